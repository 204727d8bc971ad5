package org.weir.session.internal;

import java.util.Arrays;

/**
 * Zeek's MySQL analysis of one TCP connection (attached by the responder port, 1434 or 3306; no DPD signature), as far
 * as conn.log shows it: {@code mysql} in {@code service} once the analyzer confirmed, {@code mysql,ssl} when the client
 * asked for TLS and then sent a ClientHello, nothing when a violation disabled it in the connection's first
 * {@link ZeekConfig#IGNORE_VIOLATIONS_AFTER} bytes.
 *
 * <p>Each side's stream is cut into packets as the analyzer's binpac grammar frames them (a three-byte little-endian
 * length, a sequence number, then that many bytes), and each packet is parsed as the grammar parses it, with the state
 * it keeps for the connection: the connection phase (the server's greeting, protocol 10 or 9, else an error packet;
 * the client's handshake response for that protocol; OK, error, AuthMoreData and AuthSwitchRequest packets of the
 * server; the client's opaque authentication data), then the command phase (commands with their query attributes and
 * COM_CHANGE_USER's fields; the server's replies as the last command leads the grammar to expect them: status,
 * column count, column definitions, the legacy EOF, rows). The analyzer confirms its protocol when a client's handshake
 * response parses, so a greeting alone (a scanner's banner grab) or a refused one is never {@code mysql}. A packet that
 * does not parse as the grammar wants it (a field beyond the packet's end, a string without its NUL, a value its
 * {@code &enforce} refuses, a case without a branch: a server packet type of the connection phase other than OK, 01,
 * FE and error, a response before any greeting) is a violation. A response that sets {@code CLIENT_SSL} hands the
 * rest of the streams to an SSL analyzer; what the same delivery holds after it is lost to both, as in Zeek, whose
 * grammar reads the rest of the delivery as MySQL.
 *
 * <p>Partial connections are not looked at, and a content gap in either direction ends the analysis (Zeek's
 * {@code had_gap}). Once the connection has carried more than {@link ZeekConfig#IGNORE_VIOLATIONS_AFTER} bytes nothing
 * is read: a violation no longer removes the analyzer then, and only a handshake response that late (after a
 * COM_CHANGE_USER, say) could still confirm, which real clients do not send; buffers stay within that size so.
 */
final class MysqlAnalysis extends LineAnalysis {

    /** The connection's phases (binpac's {@code state}). */
    private static final int CONNECTION_PHASE = 0, COMMAND_PHASE = 1;
    /** What the server's next command-phase packet is expected to be (binpac's {@code Expected}). */
    private static final int NO_EXPECTATION = 0, EXPECT_STATUS = 1, EXPECT_COLUMN_DEFINITION = 2,
            EXPECT_COLUMN_DEFINITION_OR_EOF = 3, EXPECT_COLUMN_COUNT = 4, EXPECT_EOF_THEN_RESULTSET = 5,
            EXPECT_RESULTSET = 6, EXPECT_REST_OF_PACKET = 7;
    /** Client capabilities the grammar reads. */
    private static final int CLIENT_CONNECT_WITH_DB = 0x8, CLIENT_SSL = 0x800, CLIENT_PLUGIN_AUTH = 0x80000,
            CLIENT_CONNECT_ATTRS = 0x100000, CLIENT_DEPRECATE_EOF = 0x1000000,
            CLIENT_ZSTD_COMPRESSION_ALGORITHM = 0x4000000, CLIENT_QUERY_ATTRIBUTES = 0x8000000;
    private static final int COM_QUERY = 0x03, COM_CHANGE_USER = 0x11;

    private static final Malformed MALFORMED = Malformed.INSTANCE;

    // the grammar's connection state (binpac's MySQL_Conn members)
    private int version;
    private int previousSeqId;
    private int phase = CONNECTION_PHASE;
    private int expected = EXPECT_STATUS;
    private boolean expectAuthData;
    /** Columns of the current result set and those whose definition is still to come (binpac's uint32s). */
    private int columns, remainingColumns;
    private boolean deprecateEof, serverQueryAttrs, clientQueryAttrs;
    private int clientCapabilities;
    /** A content gap came, or the connection carried more than what violations can still change: nothing is read. */
    private boolean done;

    /** The packet being parsed and the position in it. */
    private byte[] p;
    private int at, end;

    /** One side's stream cut into packets. */
    private final class PacketSide extends Side {
        private final byte[] header = new byte[4];
        private int headerFilled;
        private byte[] body = new byte[256];
        private int bodyLength, bodyFilled;

        PacketSide(boolean fromOrig) {
            super(fromOrig);
        }

        @Override
        void take(byte[] d, int o, int n) {
            int i = o, stop = o + n;
            while (i < stop && !done && !disabled && tls == null) {
                if (headerFilled < 4) {
                    header[headerFilled++] = d[i++];
                    if (headerFilled == 4) {
                        bodyLength = (header[0] & 0xFF) | (header[1] & 0xFF) << 8 | (header[2] & 0xFF) << 16;
                        bodyFilled = 0;
                    }
                }
                if (headerFilled == 4) {
                    int take = Math.min(bodyLength - bodyFilled, stop - i);
                    if (bodyFilled + take > body.length) {
                        body = Arrays.copyOf(body, Math.max(bodyFilled + take, 2 * body.length));
                    }
                    System.arraycopy(d, i, body, bodyFilled, take);
                    bodyFilled += take;
                    i += take;
                    if (bodyFilled == bodyLength) {
                        headerFilled = 0;
                        packet(fromOrig, header[3] & 0xFF, body, bodyLength);
                    }
                }
            }
        }
    }

    MysqlAnalysis() {
        super(true);
    }

    @Override
    Side side(boolean fromOrig) {
        return new PacketSide(fromOrig);
    }

    @Override
    void match(Side s, byte[] d, int o, int n) {
        // attached by the port only
    }

    @Override
    String service() {
        return service("mysql");
    }

    @Override
    void gap(boolean fromOrig, long seq, long len) {
        super.gap(fromOrig, seq, len);
        done = true; // Zeek's had_gap: neither side is parsed any more (TLS after the switch still is)
        if (tls == null) {
            stop();
        }
    }

    @Override
    void taken() {
        done |= stopPastViolations();
    }

    private void packet(boolean fromOrig, int seqId, byte[] body, int length) {
        p = body;
        at = 0;
        end = length;
        try {
            if (fromOrig) {
                clientPacket();
            } else {
                serverPacket(seqId);
            }
        } catch (Malformed e) {
            violation();
        } finally {
            p = null;
        }
    }

    // ---- the server's packets --------------------------------------------------------------------------------

    private void serverPacket(int seqId) {
        if (phase == CONNECTION_PHASE) {
            if (seqId == 0 && previousSeqId != 255) {
                initialHandshake();
            } else {
                connectionPhasePacket();
            }
        } else {
            commandResponse();
        }
        previousSeqId = seqId;
    }

    private void initialHandshake() {
        int v = u8();
        if (v == 10) {
            cString();
            skip(4 + 8 + 1);
            int capabilities1 = u16();
            skip(1 + 2);
            int capabilities2 = u16();
            int authDataLength = u8();
            if (authDataLength != 0 && authDataLength < 21) {
                throw MALFORMED; // &enforce
            }
            skip(10 + (authDataLength > 21 ? authDataLength - 8 : 13));
            int capabilities = capabilities2 << 16 | capabilities1;
            if ((capabilities & CLIENT_PLUGIN_AUTH) != 0) {
                cString();
            }
            serverQueryAttrs = (capabilities & CLIENT_QUERY_ATTRIBUTES) != 0;
        } else if (v == 9) {
            cString();
            skip(4);
            cString();
        } else {
            errPacket();
        }
        version = v;
    }

    private void connectionPhasePacket() {
        switch (u8()) {
            case 0x00 -> okPacket();
            case 0x01 -> at = end; // AuthMoreData
            case 0xFE -> { // AuthSwitchRequest
                cString();
                expectAuthData = true;
                expected = EXPECT_STATUS;
            }
            case 0xFF -> errPacket();
            default -> throw MALFORMED; // no branch for it
        }
    }

    private void commandResponse() {
        switch (expected) {
            case EXPECT_COLUMN_COUNT -> {
                int b = u8();
                if (b == 0x00) {
                    okPacket();
                } else if (b == 0xFF) {
                    errPacket();
                } else {
                    columns = (int) lengthEncodedRest(b);
                    remainingColumns = columns;
                    expected = EXPECT_COLUMN_DEFINITION;
                }
            }
            case EXPECT_COLUMN_DEFINITION -> {
                columnDefinition(u8());
                remainingColumns--;
                expected = remainingColumns != 0 ? EXPECT_COLUMN_DEFINITION : EXPECT_EOF_THEN_RESULTSET;
            }
            case EXPECT_COLUMN_DEFINITION_OR_EOF -> {
                int marker = u8();
                if (marker == 0xFE) {
                    eofOrOk();
                } else {
                    columnDefinition(marker);
                }
            }
            case EXPECT_RESULTSET -> resultset();
            case EXPECT_STATUS -> {
                switch (u8()) {
                    case 0x00 -> okPacket();
                    case 0xFE -> skip(4); // EOF
                    case 0xFF -> errPacket();
                    default -> {
                        // nothing more is read
                    }
                }
            }
            case EXPECT_EOF_THEN_RESULTSET -> {
                if (deprecateEof) {
                    resultset();
                } else {
                    skip(1 + 4); // an EOF with its marker
                    toCommandPhase();
                    expected = EXPECT_RESULTSET;
                }
            }
            default -> {
                // EXPECT_REST_OF_PACKET, NO_EXPECTATION: the packet is taken as it is
            }
        }
    }

    private void resultset() {
        int marker = u8();
        boolean eof = marker == 0xFE;
        if (eof) {
            eofOrOk();
        } else {
            skip(lengthEncodedRest(marker)); // the first field
            for (int k = 1; k < columns; k++) { // binpac's uint32 count less one
                lengthEncodedString();
            }
        }
        expected = eof ? NO_EXPECTATION : EXPECT_RESULTSET;
    }

    /** After a marker FE: an OK packet when EOF is deprecated or the packet is longer than an EOF, else an EOF. */
    private void eofOrOk() {
        if (deprecateEof || end + 4 > 13) {
            okPacket();
        } else {
            skip(4);
        }
    }

    private void columnDefinition(int firstByte) {
        skip(lengthEncodedRest(firstByte)); // catalog
        for (int k = 0; k < 5; k++) {
            lengthEncodedString(); // schema, table, org_table, name, org_name
        }
        lengthEncodedInteger();
        skip(2 + 4 + 1 + 2 + 1 + 2);
    }

    private void okPacket() {
        lengthEncodedInteger();
        at = end;
        toCommandPhase();
    }

    private void errPacket() {
        skip(2 + 6);
        at = end;
        toCommandPhase();
    }

    private void toCommandPhase() {
        phase = COMMAND_PHASE;
        expectAuthData = false;
    }

    // ---- the client's packets --------------------------------------------------------------------------------

    private void clientPacket() {
        if (phase == COMMAND_PHASE) {
            commandRequest();
        } else if (expectAuthData) {
            at = end; // AuthMoreData
        } else {
            handshakeResponse();
        }
    }

    private void handshakeResponse() {
        if (version == 10) {
            int capabilities = s32();
            skip(4 + 1 + 23);
            if ((capabilities & CLIENT_SSL) == 0) {
                cString(); // user name
                lengthEncodedString(); // password
                if ((capabilities & CLIENT_CONNECT_WITH_DB) != 0) {
                    cString();
                }
                if ((capabilities & CLIENT_PLUGIN_AUTH) != 0) {
                    emptyOrCString();
                }
                if ((capabilities & CLIENT_CONNECT_ATTRS) != 0) {
                    connectionAttributes();
                }
                if ((capabilities & CLIENT_ZSTD_COMPRESSION_ALGORITHM) != 0) {
                    skip(1);
                }
                if ((capabilities & CLIENT_PLUGIN_AUTH) != 0) {
                    expectAuthData = true;
                }
            }
            deprecateEof = (capabilities & CLIENT_DEPRECATE_EOF) != 0;
            clientQueryAttrs = (capabilities & CLIENT_QUERY_ATTRIBUTES) != 0;
            clientCapabilities = capabilities;
            confirmed = true;
            if ((capabilities & CLIENT_SSL) != 0) {
                startTls(); // the rest of this delivery is lost: the grammar reads it as MySQL
            }
        } else if (version == 9) {
            int capabilities = u16();
            skip(3);
            cString();
            cString();
            if ((capabilities & CLIENT_CONNECT_WITH_DB) != 0) {
                cString();
            }
            at = end;
            confirmed = true;
        } else {
            throw MALFORMED; // no greeting of a known protocol before: no branch for the response
        }
    }

    /** A one-byte length (the grammar's, where the protocol has a length-encoded one), then name/value pairs. */
    private void connectionAttributes() {
        int length = u8();
        if (length > end - at) {
            throw MALFORMED;
        }
        int outer = end;
        end = at + length;
        while (at < end) {
            lengthEncodedString();
            lengthEncodedString();
        }
        end = outer;
    }

    private void commandRequest() {
        int command = u8();
        if (command == COM_QUERY && clientQueryAttrs && serverQueryAttrs) {
            queryAttributes();
        }
        if (command == COM_CHANGE_USER) {
            changeUser();
        }
        at = end;
        switch (command) {
            case 0x00, 0x01, 0x02, 0x05, 0x06, 0x07, 0x08, 0x0B, 0x0C, 0x0D, 0x0E, 0x0F, 0x10, 0x1D, 0x1F ->
                expected = EXPECT_STATUS;
            case COM_QUERY, 0x0A -> expected = EXPECT_COLUMN_COUNT;
            case 0x04 -> expected = EXPECT_COLUMN_DEFINITION_OR_EOF;
            case 0x09 -> expected = EXPECT_REST_OF_PACKET;
            case COM_CHANGE_USER -> phase = CONNECTION_PHASE;
            default -> expected = NO_EXPECTATION;
        }
    }

    private void queryAttributes() {
        int count = (int) lengthEncodedInteger();
        lengthEncodedInteger(); // the parameter set count
        if (count <= 0) {
            return;
        }
        int bitmap = at;
        skip((count + 7) / 8);
        if (u8() != 1) {
            throw MALFORMED; // &enforce(send_types_to_server == 1)
        }
        if (count > (end - at) / 3) {
            throw MALFORMED; // the names (three bytes at least each) run past the packet
        }
        int[] types = new int[count]; // a rare path: a query with attributes
        for (int k = 0; k < count; k++) {
            types[k] = u8();
            skip(1);
            lengthEncodedString();
        }
        for (int k = 0; k < count; k++) {
            if ((p[bitmap + k / 8] >> (k % 8) & 1) == 0) {
                binaryValue(types[k]);
            }
        }
    }

    private void binaryValue(int type) {
        switch (type) {
            case 0x00 -> lengthEncodedInteger(); // DECIMAL
            case 0x01 -> skip(1);
            case 0x02, 0x0D -> skip(2);
            case 0x03, 0x04, 0x09 -> skip(4);
            case 0x05, 0x08 -> skip(8);
            case 0x06 -> {
                // NULL: in the bitmap
            }
            case 0x07, 0x0A, 0x0C, 0x11 -> binaryDate();
            case 0x0B -> binaryTime();
            case 0x0F, 0x10, 0xF5, 0xF6, 0xF7, 0xF8, 0xF9, 0xFA, 0xFB, 0xFC, 0xFD, 0xFE, 0xFF -> lengthEncodedString();
            default -> throw MALFORMED; // no branch for the type
        }
    }

    private void binaryDate() {
        int length = u8();
        if (length != 0 && length != 4 && length != 7 && length != 11) {
            throw MALFORMED;
        }
        skip((length > 0 ? 4 : 0) + (length > 4 ? 3 : 0) + (length > 7 ? 4 : 0));
    }

    private void binaryTime() {
        int length = u8();
        if (length != 0 && length != 8 && length != 12) {
            throw MALFORMED;
        }
        if (length > 0) {
            int negative = u8();
            if (negative != 0 && negative != 1) {
                throw MALFORMED;
            }
            skip(4 + 3);
        }
        if (length > 8) {
            skip(4);
        }
    }

    private void changeUser() {
        int start = at;
        cString(); // user name
        skip(u8()); // authentication data
        cString(); // database
        skip(2); // character set
        // The grammar compares the offset within this record with the packet's length, header included.
        boolean more = at - start < end + 4;
        if (more && (clientCapabilities & CLIENT_PLUGIN_AUTH) != 0) {
            cString();
        }
        if (more && (clientCapabilities & CLIENT_CONNECT_ATTRS) != 0) {
            connectionAttributes();
        }
    }

    // ---- the grammar's basic types ---------------------------------------------------------------------------

    private int u8() {
        if (at >= end) {
            throw MALFORMED;
        }
        return p[at++] & 0xFF;
    }

    private int u16() {
        return u8() | u8() << 8;
    }

    private int s32() {
        return u16() | u16() << 16;
    }

    private void skip(long n) {
        if (n < 0 || n > end - at) {
            throw MALFORMED;
        }
        at += (int) n;
    }

    /** A NUL-terminated string: up to and with its NUL, which must be in the packet. */
    private void cString() {
        while (u8() != 0) {
            // up to the NUL
        }
    }

    /** Nothing, or a NUL-terminated string when the packet has a NUL further on. */
    private void emptyOrCString() {
        for (int i = at; i < end; i++) {
            if (p[i] == 0) {
                at = i + 1;
                return;
            }
        }
    }

    private long lengthEncodedInteger() {
        return lengthEncodedRest(u8());
    }

    /**
     * The rest of a length-encoded integer whose first byte was read: two, three or eight more bytes after FC, FD,
     * FE; its value as binpac's {@code to_int} gives it (an int: eight bytes are cut to their low 32 bits).
     */
    private long lengthEncodedRest(int first) {
        return switch (first) {
            case 0xFC -> u16();
            case 0xFD -> u16() | u8() << 16;
            case 0xFE -> {
                int low = s32();
                skip(4);
                yield low;
            }
            case 0xFB, 0xFF -> 0;
            default -> first;
        };
    }

    private void lengthEncodedString() {
        skip(lengthEncodedInteger());
    }
}
