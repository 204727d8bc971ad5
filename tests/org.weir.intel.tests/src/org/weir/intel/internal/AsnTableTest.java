package org.weir.intel.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.weir.core.IpAddress;
import org.weir.intel.FeedException;

/** The ip-location-db AS tables: CSV as published, the binary copy, bad rows reported with line and column. */
class AsnTableTest {

    @TempDir
    Path tmp;

    private static String lookup(AsnTable t, String address) {
        long[] a = new long[2];
        IpAddress.parse(address, a);
        Object[] r = t.lookup(a[0], a[1]);
        return r == null ? null : r[0] + " " + r[1];
    }

    private List<Path> tables() throws IOException {
        Path v4 = tmp.resolve("asn-ipv4.csv"), v6 = tmp.resolve("asn-ipv6.csv");
        Files.writeString(v4, """
                1.0.0.0,1.0.0.255,13335,"Cloudflare, Inc."
                1.0.4.0,1.0.7.255,38803,Gtelecom Pty Ltd
                214.95.0.0,215.0.255.255,749,United States Department of Defense (DoD)
                215.0.0.0,215.0.3.255,721,DoD Network Information Center
                """);
        Files.writeString(v6, "2001:200::,2001:200:1b9:ffff:ffff:ffff:ffff:ffff,2500,WIDE Project\n");
        return List.of(v4, v6);
    }

    private static void check(AsnTable t) {
        assertEquals("13335 Cloudflare, Inc.", lookup(t, "1.0.0.1"), "quoted organisation with a comma");
        assertEquals("38803 Gtelecom Pty Ltd", lookup(t, "1.0.7.255"));
        assertNull(lookup(t, "1.0.1.0"), "between ranges");
        assertEquals("721 DoD Network Information Center", lookup(t, "215.0.1.1"), "the narrower, later range");
        assertEquals("749 United States Department of Defense (DoD)", lookup(t, "215.0.200.1"),
                "the wider, earlier range it overlaps");
        assertEquals("2500 WIDE Project", lookup(t, "2001:200:1::1"));
        assertNull(lookup(t, "2001:db8::1"));
    }

    @Test
    void csvAndItsBinaryCopyAnswerAlike() throws IOException {
        List<Path> files = tables();
        AsnTable fromCsv = AsnTable.loadCached(files);
        check(fromCsv);
        Path cache = tmp.resolve(AsnTable.CACHE);
        assertTrue(Files.isRegularFile(cache), "a binary copy is written beside the tables");
        // Make the CSV unreadable as CSV: an answer now proves the copy was used.
        byte[] csv = Files.readAllBytes(files.get(0));
        FileTime time = Files.getLastModifiedTime(files.get(0));
        byte[] garbage = new byte[csv.length];
        Arrays.fill(garbage, (byte) 'x');
        Files.write(files.get(0), garbage);
        Files.setLastModifiedTime(files.get(0), time);
        check(AsnTable.loadCached(files));
        // A changed file (another time) invalidates the copy: the CSV is read again, and here it is bad.
        Files.setLastModifiedTime(files.get(0), FileTime.fromMillis(time.toMillis() + 60_000));
        FeedException e = assertThrows(FeedException.class, () -> AsnTable.loadCached(files));
        assertEquals(1, e.line());
        Files.write(files.get(0), csv);
        check(AsnTable.loadCached(files));
    }

    @Test
    void aDamagedCopyIsReplacedFromTheCsv() throws IOException {
        List<Path> files = tables();
        AsnTable.loadCached(files);
        Path cache = tmp.resolve(AsnTable.CACHE);
        byte[] good = Files.readAllBytes(cache);
        // Cut short, and with every byte after the stamp set to 0x7F (counts of two billion): the CSV answers, no
        // array of that size is made, and the copy is written again whole.
        byte[] cut = Arrays.copyOf(good, good.length / 2);
        byte[] huge = good.clone();
        Arrays.fill(huge, good.length - 200, good.length, (byte) 0x7F);
        byte[] stampEnd = Arrays.copyOf(good, 8 + 4 + 20);
        for (byte[] damaged : new byte[][] { cut, huge, stampEnd }) {
            Files.write(cache, damaged);
            check(AsnTable.loadCached(files));
            assertEquals(good.length, Files.size(cache), "rewritten");
        }
        byte[] counts = good.clone();
        int stampLength = java.nio.ByteBuffer.wrap(good, 8, 4).order(java.nio.ByteOrder.LITTLE_ENDIAN).getInt();
        Arrays.fill(counts, 8 + 4 + stampLength, 8 + 4 + stampLength + 4, (byte) 0x7F); // the organisations' count
        Files.write(cache, counts);
        check(AsnTable.loadCached(files));
    }

    @Test
    void badRowsNameLineAndColumn() throws IOException {
        Path f = tmp.resolve("asn-ipv4.csv");
        Files.writeString(f, "1.0.0.0,1.0.0.255,13335,A\n1.0.4.0,1.0.999.255,1,B\n");
        FeedException e = assertThrows(FeedException.class, () -> AsnTable.load(List.of(f)));
        assertEquals(2, e.line());
        assertEquals(9, e.column());
        Files.writeString(f, "1.0.4.0,1.0.7.255,1,B\n1.0.0.0,1.0.0.255,2,A\n");
        e = assertThrows(FeedException.class, () -> AsnTable.load(List.of(f)));
        assertTrue(e.getMessage().contains("not sorted"), e.getMessage());
    }
}
