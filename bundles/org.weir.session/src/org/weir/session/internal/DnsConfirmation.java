package org.weir.session.internal;

/**
 * Whether Zeek's DNS analyzer confirms its protocol on a message: it does once the message's questions and answer
 * records parse, before it looks at the authority and additional sections. The walk follows Zeek's
 * {@code DNS_Interpreter} (with the event handlers of its default scripts, which decide how far some record types
 * are read), byte for byte where it matters: a name never fails (a label it cannot take only ends the name, after
 * the bytes read so far), each record type's reader leaves the position where Zeek's leaves it (some read less or
 * more than the record's length), and a record fails only where Zeek's returns false.
 *
 * <p>Allocation-free and reusable (one per session table); it never reads past {@code off + len}.
 */
final class DnsConfirmation {

    private static final int HEADER = 12;
    /** Zeek's name buffer: 513 bytes, one kept for the terminator. */
    private static final int NAME_ROOM = 512;
    /**
     * Compression pointers followed within one name before it ends: Zeek's {@code dns_max_compression_chain_depth}.
     * A backward pointer past them is not followed (the name ends there, the record still parses) and is Zeek's
     * limit-reached weird {@code DNS_max_compression_chain_depth_exceeded}, an X in the history.
     */
    private static final int MAX_POINTERS = 20;

    private byte[] d;
    private int start, end;
    /** NetBIOS name service (responder port 137): longer labels, and SRV (NBSTAT) records left unread. */
    private boolean netbios;
    private int pos;
    private boolean chainTooDeep;

    /**
     * One per session table (the pipeline thread's); reused for every message.
     *
     * @param d the message is bytes [off, off + len) of this array
     * @param netbios the connection's responder port is 137
     * @return whether the message's questions and answers parse as Zeek's DNS analyzer reads them
     */
    boolean confirms(byte[] d, int off, int len, boolean netbios) {
        chainTooDeep = false;
        if (len < HEADER) {
            return false;
        }
        this.d = d;
        this.start = off;
        this.end = off + len;
        this.netbios = netbios;
        try {
            return walk();
        } finally {
            this.d = null;
        }
    }

    /**
     * Whether a name of the message last walked by {@link #confirms} had a chain of more compression pointers than
     * Zeek follows (its walk stops where Zeek's does, so only the names Zeek reads count).
     */
    boolean chainTooDeep() {
        return chainTooDeep;
    }

    /**
     * Whether the message holds enough bytes that can begin a compression pointer (top two bits set) for a chain
     * longer than Zeek follows: each pointer of a chain is a different one, as each points below itself. A message
     * without them cannot mark X, so a connection already confirmed need not walk it.
     */
    static boolean mayChainTooDeep(byte[] d, int off, int len) {
        int pointerBytes = 0;
        for (int i = off, end = off + len; i < end; i++) {
            if ((d[i] & 0xC0) == 0xC0) {
                pointerBytes++;
            }
        }
        return pointerBytes > MAX_POINTERS;
    }

    private boolean walk() {
        int questions = u16(start + 4), answers = u16(start + 6);
        pos = start + HEADER;
        for (int q = 0; q < questions; q++) {
            name();
            if (end - pos < 4) {
                return false; // DNS_truncated_quest_too_short
            }
            pos += 4; // type and class
        }
        for (int a = 0; a < answers; a++) {
            if (!answer()) {
                return false;
            }
        }
        return true;
    }

    private boolean answer() {
        name();
        if (end - pos < 4) {
            return false; // DNS_truncated_ans_too_short
        }
        int type = u16(pos);
        pos += 4; // type, class
        skipIfLeft(4); // TTL: read only when four bytes are left
        int rdlength = 0;
        if (end - pos >= 2) {
            rdlength = u16(pos);
            pos += 2;
        }
        int len = end - pos;
        if (rdlength > len) {
            return false; // DNS_truncated_RR_rdlength_lt_len
        }
        if (rdlength == 0 && len > 0) {
            return false; // DNS_zero_rdlength
        }
        int rdata = pos;
        switch (type) {
            case 1 -> { // A
                if (rdlength != 4) {
                    return false;
                }
                pos += 4;
            }
            case 28, 38 -> { // AAAA, A6: four 32-bit reads, each only when four bytes are left
                for (int i = 0; i < 4; i++) {
                    skipIfLeft(4);
                }
            }
            case 2, 5, 12 -> name(); // NS, CNAME, PTR
            case 6 -> { // SOA
                name();
                name();
                if (end - pos < 20) {
                    return false;
                }
                pos += 20;
            }
            case 11 -> {
                // WKS: Zeek's reader raises its event and reads nothing
            }
            case 15 -> { // MX
                skipIfLeft(2);
                name();
            }
            case 16, 99 -> { // TXT, SPF: character strings until the record's length is used up
                return characterStrings(rdlength);
            }
            case 33 -> { // SRV; on NetBIOS it is NBSTAT, which Zeek leaves unread
                if (!netbios) {
                    skipIfLeft(2);
                    skipIfLeft(2);
                    skipIfLeft(2);
                    name();
                }
            }
            case 41 -> { // EDNS (OPT): options read to the end of the message, which they must fill exactly
                return ednsOptions();
            }
            case 250 -> { // TSIG
                name();
                skipIfLeft(4);
                skipIfLeft(2);
                skipIfLeft(2);
                octets();
                skipIfLeft(2);
                skipIfLeft(2);
                octets();
            }
            case 46 -> { // RRSIG
                if (end - pos < 18) {
                    return false;
                }
                pos += 18;
                int nameStart = pos;
                name();
                stream(rdlength - ((pos - nameStart) + 18));
            }
            case 48, 43 -> { // DNSKEY, DS: four bytes of fields, then the key or digest
                return fieldsThenRest(4, 4, rdlength);
            }
            case 47 -> { // NSEC
                name();
                typeBitmaps(rdlength - (pos - rdata));
            }
            case 50 -> { // NSEC3
                if (end - pos < 6) {
                    return false;
                }
                pos += 4;
                stream(lengthByte());
                stream(lengthByte());
                typeBitmaps(rdlength - (pos - rdata));
            }
            case 51 -> { // NSEC3PARAM
                if (end - pos < 5) {
                    return false;
                }
                pos += 4;
                stream(lengthByte());
            }
            case 65534 -> { // BIND9 signing signal: five bytes wanted, four read
                return fieldsThenRest(5, 4, rdlength);
            }
            case 44 -> { // SSHFP
                return fieldsThenRest(2, 2, rdlength);
            }
            case 29 -> { // LOC
                if (end - pos < 15) {
                    return false;
                }
                skipIfLeft(2);
                skipIfLeft(2);
                skipIfLeft(4);
                skipIfLeft(4);
                skipIfLeft(4);
            }
            case 64, 65 -> { // SVCB, HTTPS: priority and target name, the parameters skipped
                if (end - pos < 3) {
                    return false;
                }
                pos += 2;
                name();
                int parsed = pos - rdata;
                if (parsed < rdlength) {
                    pos += rdlength - parsed;
                }
            }
            default -> pos += rdlength; // HINFO, CAA and others without a handler in Zeek's scripts; unknown types
        }
        return true;
    }

    /**
     * A record of {@code fields} bytes of fixed fields and then the rest of its length as one stream, which Zeek's
     * reader refuses when fewer than {@code wanted} bytes are left.
     */
    private boolean fieldsThenRest(int wanted, int fields, int rdlength) {
        if (end - pos < wanted) {
            return false;
        }
        pos += fields;
        stream(rdlength - fields);
        return true;
    }

    /** Zeek's name reader: labels until one it cannot take, which ends the name (never an error). */
    private void name() {
        readName(end, NAME_ROOM, 0);
    }

    /**
     * Reads a name's labels from {@link #pos}, which end at {@code limit}, with {@code room} bytes left in Zeek's
     * name buffer; returns the bytes Zeek writes into it (each label and a dot; a name of two bytes or more gives
     * its trailing dot back), which a compression pointer's caller subtracts from its own room. {@code pointers}:
     * those followed to get here.
     */
    private int readName(int limit, int room, int pointers) {
        int written = 0;
        boolean endsWithDot = false;
        while (limit - pos > 0) {
            int labelStart = pos;
            int length = d[pos++] & 0xFF;
            if (limit - pos <= 0 || length == 0) {
                break;
            }
            if ((length & 0xC0) == 0xC0) {
                int offset = (length & 0x3F) << 8 | d[pos++] & 0xFF;
                if (offset >= labelStart - start) {
                    break; // DNS_label_forward_compress_offset
                }
                if (pointers == MAX_POINTERS) {
                    chainTooDeep = true;
                    break;
                }
                // The name continues where the pointer points, up to the pointer; the position stays after it.
                int after = pos;
                pos = start + offset;
                int more = readName(labelStart, room - written, pointers + 1);
                pos = after;
                if (more > 0) {
                    written += more;
                    endsWithDot = false;
                }
                break;
            }
            if (length > limit - pos) {
                pos = limit; // DNS_label_len_gt_pkt: the rest is consumed
                break;
            }
            if (length > 63 && !netbios) {
                break; // DNS_label_too_long
            }
            if (length >= room - written) {
                break; // DNS_label_len_gt_name_len
            }
            written += length + 1;
            endsWithDot = true;
            pos += length;
        }
        return written >= 2 && endsWithDot ? written - 1 : written;
    }

    /** TXT/SPF: strings of a length byte each, while the record has bytes; Zeek wants them to use it up exactly. */
    private boolean characterStrings(int rdlength) {
        while (rdlength > 0) {
            int size = d[pos] & 0xFF;
            rdlength--;
            pos++;
            if (size > rdlength) {
                return false; // DNS_TXT_char_str_past_rdlen
            }
            rdlength -= size;
            pos += size;
        }
        return true;
    }

    /** EDNS options from here to the end of the message: true when they fill it exactly. */
    private boolean ednsOptions() {
        while (end - pos >= 4) {
            int optionLength = u16(pos + 2);
            pos += 4;
            if (optionLength > end - pos) {
                return false; // the loop stops with bytes left: EDNS_truncated_option
            }
            pos += optionLength;
        }
        return end == pos;
    }

    /** A type bitmap list (NSEC, NSEC3) of {@code remaining} bytes, read as Zeek does. */
    private void typeBitmaps(int remaining) {
        while (remaining > 0 && end - pos > 0) {
            int blockLength = 0;
            if (end - pos >= 2) {
                blockLength = d[pos + 1] & 0xFF;
                pos += 2;
            }
            if (blockLength == 0) {
                return; // DNSSEC_NSEC_bitmapLen0
            }
            stream(blockLength);
            remaining -= 2 + blockLength;
        }
    }

    /** A length byte, read only when a byte is left (else 0). */
    private int lengthByte() {
        return end - pos > 0 ? d[pos++] & 0xFF : 0;
    }

    /** Zeek's ExtractOctets: a 16-bit length (when two bytes are left), then that many bytes or what is left. */
    private void octets() {
        int length = 0;
        if (end - pos >= 2) {
            length = u16(pos);
            pos += 2;
        }
        pos += Math.min(end - pos, length);
    }

    /** Zeek's ExtractStream: {@code length} bytes (none if negative), or what is left. */
    private void stream(int length) {
        pos += Math.min(end - pos, Math.max(length, 0));
    }

    /** Zeek's ExtractShort/ExtractLong: the value is read only when the bytes are there; nothing moves otherwise. */
    private void skipIfLeft(int n) {
        if (end - pos >= n) {
            pos += n;
        }
    }

    private int u16(int i) {
        return (d[i] & 0xFF) << 8 | d[i + 1] & 0xFF;
    }
}
