package org.weir.session.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;

import org.junit.jupiter.api.Test;

/** Record by record, whether Zeek's DNS analyzer would confirm the protocol on a message (answers parse or not). */
class DnsConfirmationTest {

    private final DnsConfirmation dns = new DnsConfirmation();

    /** A response asking for "a.example" (type A) with one answer of {@code type} and {@code rdata}. */
    private static byte[] answer(int type, int... rdata) {
        return record(type, rdata.length, rdata);
    }

    /** The same with a record length that need not match the bytes that follow it. */
    private static byte[] record(int type, int rdlength, int... rest) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int[] head = {0, 1, 0x81, 0x80, 0, 1, 0, 1, 0, 0, 0, 0,
            1, 'a', 7, 'e', 'x', 'a', 'm', 'p', 'l', 'e', 0, 0, 1, 0, 1, // the question at offset 12
            0xC0, 12, type >> 8, type & 0xFF, 0, 1, 0, 0, 0, 60, rdlength >> 8, rdlength & 0xFF};
        for (int x : head) {
            b.write(x);
        }
        for (int x : rest) {
            b.write(x);
        }
        return b.toByteArray();
    }

    private boolean confirms(byte[] m, boolean netbios) {
        return dns.confirms(m, 0, m.length, netbios);
    }

    private void check(boolean expected, byte[] m, String what) {
        assertEquals(expected, confirms(m, false), what);
    }

    @Test
    void addressRecords() {
        check(true, answer(1, 93, 184, 216, 34), "A of 4 bytes");
        check(false, answer(1, 93, 184, 216), "A of 3 bytes");
        check(true, answer(28, new int[16]), "AAAA");
        check(false, record(1, 10, 93, 184, 216), "a length beyond the message");
        check(false, record(5, 0, 1, 2), "a length of 0 with bytes left");
    }

    @Test
    void namesAndStrings() {
        check(true, answer(5, 3, 'w', 'w', 'w', 0xC0, 14), "CNAME with a compressed tail");
        check(true, answer(15, 0, 10, 2, 'm', 'x', 0xC0, 14), "MX");
        check(true, answer(16, 3, 'a', 'b', 'c', 1, 'd'), "TXT of two strings");
        check(false, answer(16, 5, 'a', 'b'), "TXT string past its record");
        // A pointer forward of its own position only ends the name: the record still parses.
        check(true, answer(5, 0xC0, 0x7F), "CNAME with a forward pointer");
    }

    @Test
    void startOfAuthority() {
        int[] names = {1, 'n', 0, 1, 'h', 0};
        int[] full = new int[names.length + 20];
        System.arraycopy(names, 0, full, 0, names.length);
        check(true, answer(6, full), "SOA");
        int[] cut = java.util.Arrays.copyOf(full, full.length - 1);
        check(false, record(6, cut.length, cut), "SOA with 19 bytes of numbers");
    }

    @Test
    void dnssecAndOthers() {
        check(true, answer(48, 1, 1, 3, 8, 0xAA, 0xBB), "DNSKEY");
        check(false, answer(48, 1, 1, 3), "DNSKEY with three bytes left");
        check(true, answer(43, 0, 1, 8, 2, 0xCC), "DS");
        check(true, answer(44, 1, 1, 0xDD), "SSHFP");
        check(true, answer(13, 1, 'x', 1, 'y'), "HINFO, unread by Zeek's default scripts");
        check(true, answer(260, 1, 2, 3), "an unknown type, skipped");
        check(true, answer(41, 0, 10, 0, 2, 0xEE, 0xFF), "EDNS options filling the message");
        check(false, answer(41, 0, 10, 0, 2, 0xEE, 0xFF, 0), "EDNS options and a byte more");
    }

    @Test
    void aLongChainOfPointersEndsTheName() {
        // Two answers. The first, of an unknown type (skipped whole), carries a root name and then 8,000 pointers,
        // each to the one before it; the second answer's name points to the last of them. Following the chain to its
        // end would recurse 8,000 deep: the walk stops after a few dozen, the name ends there, and the record after
        // it (an A record) parses.
        int pointers = 8_000;
        java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream();
        int[] header = {0, 1, 0x81, 0x80, 0, 0, 0, 2, 0, 0, 0, 0};
        for (int x : header) {
            b.write(x);
        }
        int rdlength = 1 + 2 * pointers;
        int[] first = {0, 1, 4, 0, 1, 0, 0, 0, 60, rdlength >> 8, rdlength & 0xFF, 0}; // the last 0: the root name
        for (int x : first) {
            b.write(x);
        }
        int root = 12 + 11, previous = root;
        for (int i = 0; i < pointers; i++) {
            int at = root + 1 + 2 * i;
            b.write(0xC0 | previous >> 8);
            b.write(previous & 0xFF);
            previous = at;
        }
        int[] second = {0xC0 | previous >> 8, previous & 0xFF, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4, 10, 0, 0, 1};
        for (int x : second) {
            b.write(x);
        }
        assertEquals(true, confirms(b.toByteArray(), false));
    }

    @Test
    void netbiosStatusRecordsAreLeftUnread() {
        // Two answers: an SRV record, then nothing. On DNS the SRV's priority, weight, port and target are read and
        // the second answer finds three bytes; on NetBIOS (NBSTAT) Zeek reads none of the SRV's data, so the second
        // answer is read from it: a root name, type 260, class 1, TTL 60 and length 0, which parses.
        byte[] m = answer(33, 0, 1, 4, 0, 1, 0, 0, 0, 60, 0, 0);
        m[7] = 2;
        assertEquals(false, confirms(m, false), "DNS");
        assertEquals(true, confirms(m, true), "NetBIOS");
    }
}
