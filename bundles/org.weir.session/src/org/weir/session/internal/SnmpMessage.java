package org.weir.session.internal;

/**
 * How Zeek's SNMP analyzer judges a datagram, as its binpac grammar ({@code snmp-protocol.pac} over {@code asn1.pac})
 * reads it: a BER SEQUENCE header, the version INTEGER, then the header of that version (v1 and v2c: the community
 * OCTET STRING; v3: the global data SEQUENCE of three INTEGERs and the flags OCTET STRING, then an INTEGER, the
 * security parameters, and a scoped PDU whose context engine id and name are read when it is not encrypted; any other
 * version: the rest of the datagram), then for v1, v2c and a plain v3 scoped PDU the PDU by its tag (the common PDUs:
 * three INTEGERs and the variable bindings; a v1 trap: OBJECT IDENTIFIER, IpAddress, two INTEGERs, TimeTicks and the
 * bindings; GetBulk: three INTEGERs and the bindings; any other tag: the rest). The variable bindings are a SEQUENCE
 * header, then bindings (a SEQUENCE header, an OBJECT IDENTIFIER, a value of any tag) up to the datagram's end.
 *
 * <p>As in binpac, a length runs to the end of its own bytes, not of an enclosing SEQUENCE; a long-form length of more
 * than eight bytes is 0 ({@code binary_to_int64}), and a length is taken as a C {@code int}. An element that runs past
 * the datagram, a wrong tag, an INTEGER of more than nine bytes are parse errors, a v3 flags string that is not one
 * byte long a violation raised while parsing goes on. Allocation-free and reusable (one per session table).
 */
final class SnmpMessage {

    /** {@link #judge}'s result: bits. The header parsed (the analyzer confirms on a responder's); a violation. */
    static final int HEADER = 1, VIOLATION = 2;

    private static final int INTEGER = 0x02, OCTET_STRING = 0x04, OBJECT_IDENTIFIER = 0x06, SEQUENCE = 0x30,
            IP_ADDRESS = 0x40, TIME_TICKS = 0x43, ANY = -1;

    private byte[] d;
    private int pos, end;
    /** The last element's length and, for an encoding, its content's length and value as an integer. */
    private long length;
    private int contentLength;
    private long value;

    /** What bytes [off, off + len) of {@code d} are to Zeek's SNMP analyzer: {@link #HEADER}, {@link #VIOLATION}. */
    int judge(byte[] d, int off, int len) {
        this.d = d;
        pos = off;
        end = off + len;
        try {
            return message();
        } finally {
            this.d = null;
        }
    }

    private int message() {
        if (!sequence() || !encoding(INTEGER)) {
            return VIOLATION;
        }
        long version = value;
        int result = 0;
        boolean pdu;
        if (version == 0 || version == 1) {
            if (!encoding(OCTET_STRING)) {
                return VIOLATION;
            }
            pdu = true;
        } else if (version == 3) {
            if (!sequence() || !encoding(INTEGER) || !encoding(INTEGER) || !encoding(OCTET_STRING)) {
                return VIOLATION;
            }
            if (contentLength != 1) {
                result |= VIOLATION; // "Invalid v3 HeaderData msgFlags": reported, parsing goes on
            }
            if (!encoding(INTEGER) || !encoding(OCTET_STRING)) {
                return result | VIOLATION;
            }
            int next = meta();
            if (next < 0) {
                return result | VIOLATION;
            }
            pdu = next == SEQUENCE;
            if (pdu && (!encoding(OCTET_STRING) || !encoding(OCTET_STRING))) {
                return result | VIOLATION;
            }
        } else {
            pdu = false; // an unknown version's header takes the rest
        }
        result |= HEADER;
        if (!pdu) {
            return result;
        }
        int choice = meta();
        boolean ok = switch (choice) {
            case -1 -> false;
            case 0xa0, 0xa1, 0xa2, 0xa3, 0xa5, 0xa6, 0xa7, 0xa8 -> // common PDUs; GetBulk has the same shape
                encoding(INTEGER) && encoding(INTEGER) && encoding(INTEGER) && bindings();
            case 0xa4 -> encoding(OBJECT_IDENTIFIER) && encoding(IP_ADDRESS) && encoding(INTEGER)
                    && encoding(INTEGER) && encoding(TIME_TICKS) && bindings();
            default -> true; // an unknown PDU takes the rest
        };
        return ok ? result : result | VIOLATION;
    }

    /** The variable bindings: a SEQUENCE header, then bindings up to the datagram's end. */
    private boolean bindings() {
        if (!sequence()) {
            return false;
        }
        while (pos < end) {
            if (!sequence() || !encoding(OBJECT_IDENTIFIER) || !encoding(ANY)) {
                return false;
            }
        }
        return true;
    }

    /** A SEQUENCE's header (its content is what follows). */
    private boolean sequence() {
        return meta() == SEQUENCE;
    }

    /**
     * An element of tag {@code expected} (or any, {@link #ANY}) with its content; an INTEGER's is at most nine bytes,
     * its value their first eight as {@code binary_to_int64} reads them (0 for more).
     */
    private boolean encoding(int expected) {
        int tag = meta();
        if (tag < 0) {
            return false;
        }
        int n = (int) length;
        if (n < 0 || n > end - pos) {
            return false;
        }
        contentLength = n;
        value = 0;
        for (int i = 0; i < n && n <= 8; i++) {
            value = value << 8 | (d[pos + i] & 0xFF);
        }
        pos += n;
        return expected == ANY || tag == expected && (tag != INTEGER || n <= 9);
    }

    /** An element's tag and length ({@link #length}), or -1 when the datagram ends first. */
    private int meta() {
        if (end - pos < 2) {
            return -1;
        }
        int tag = d[pos] & 0xFF, len = d[pos + 1] & 0xFF;
        pos += 2;
        if ((len & 0x80) == 0) {
            length = len;
            return tag;
        }
        int n = len & 0x7F;
        if (end - pos < n) {
            return -1;
        }
        long v = 0;
        for (int i = 0; i < n && n <= 8; i++) {
            v = v << 8 | (d[pos + i] & 0xFF);
        }
        pos += n;
        length = v;
        return tag;
    }
}
