package org.weir.session.internal;

/**
 * Zeek's SSH analysis of one TCP connection, as far as conn.log shows it: {@code ssh} in {@code service} once the
 * analyzer confirmed the protocol. Zeek's analyzer confirms when it has parsed a whole {@code SSH_MSG_NEWKEYS}
 * packet (SSH 2) or {@code SSH_CMSG_SESSION_KEY} packet (SSH 1) from either side, the end of the key exchange in
 * clear text; so this follows each side's stream through its version line and then packet by packet, by their
 * lengths, until that packet or the side's switch to encrypted data.
 *
 * <p>As Zeek's grammar reads the streams: the client's first line is its version; the server's lines before one
 * that begins with {@code SSH-} are data before its banner; a line ends at CR or LF, and an LF right after a CR
 * belongs to it. The protocol version that frames the packets comes from both version lines (the character after
 * {@code SSH-}, with {@code 1.99} for either): until both are known and compatible, a packet cannot be parsed, which
 * in Zeek is a parse error that drops the rest of that delivery. Other parse errors emulated: an SSH 2 packet too
 * short for its padding and header, an SSH 1 packet other than the two key messages. The key exchange messages'
 * contents are not checked (Zeek's parser could fail on a malformed one), nor are the limits of Zeek 8's SSH script
 * that put {@code X} in the history (packet, string and algorithm list lengths).
 *
 * <p>Attached by the responder port (22) or, elsewhere, by its DPD signatures: both streams begin with
 * {@code SSH-1.} or {@code SSH-2.} (any case), each matched while DPD's buffer still held everything delivered
 * before. Like Zeek's analyzer it looks at nothing of a partial connection and stops at the first content gap of
 * either side. Each side's stream is taken in order ({@link InOrderStream}).
 */
final class SshAnalysis {

    /** Protocol versions, as Zeek's grammar names them. */
    private static final int UNKNOWN = 0, SSH1 = 1, SSH2 = 2, SSH199 = 3;
    /** Zeek's message types: the end of the key exchange. */
    private static final int MSG_NEWKEYS = 21, SSH_CMSG_SESSION_KEY = 3, SSH_SMSG_PUBLIC_KEY = 2;

    /** What a side's parser is reading. */
    private static final int LINE = 0, PACKET_LENGTH = 1, PACKET = 2, DONE = 3;

    /** One side's stream parser. */
    private final class Side implements InOrderStream.Receiver {
        final boolean fromOrig;
        final InOrderStream stream = new InOrderStream();
        int phase = LINE;
        /** The line so far: its length and (for the version) its first eight bytes. */
        int lineLength;
        long lineStart;
        /** The last line ended with a CR: an LF right after it belongs to that line. */
        boolean afterCr;
        /** The rest of the current delivery is dropped (Zeek's parser failed in it). */
        boolean dropping;
        int lengthBytes;
        long packetLength;
        /** Bytes of the packet (after its length) read so far. */
        long packetRead;
        /** Where the message type is (after SSH 2's padding length, or SSH 1's padding); the two bytes read. */
        int typeIndex;
        int paddingLength, type;

        Side(boolean fromOrig) {
            this.fromOrig = fromOrig;
        }

        @Override
        public void deliver(byte[] d, int o, int n) {
            dropping = false; // a new delivery
            parse(this, d, o, n);
        }
    }

    private final boolean port;
    private final Side orig = new Side(true), resp = new Side(false);
    private int clientVersion = UNKNOWN, serverVersion = UNKNOWN, version = UNKNOWN;
    /** DPD's signatures matched the originator's and the responder's stream. */
    private boolean clientSignature, serverSignature, origSeen, respSeen;
    /** The bytes the signature reads ({@code ^[sS][sS][hH]-[12]\.}). */
    static final int SIGNATURE_BYTES = 6;
    /** The first bytes of the side whose signature is being judged, and where its stream goes on. */
    private final byte[] start = new byte[SIGNATURE_BYTES];
    private int startLength;
    private long startNext;
    private boolean confirmed, stopped;

    /**
     * @param port attached by the responder port; otherwise only DPD can attach it, and the stream that made this
     *             has matched its signature
     * @param firstFromOrig the side whose first data made this
     */
    SshAnalysis(boolean port, boolean firstFromOrig) {
        this.port = port;
        if (!port) {
            if (firstFromOrig) {
                clientSignature = true;
            } else {
                serverSignature = true;
            }
        }
    }

    /** An analysis that saw a content gap before its first payload: it looks at nothing. */
    static SshAnalysis stoppedByGap() {
        SshAnalysis a = new SshAnalysis(true, true);
        a.stop();
        return a;
    }

    /** Whether nothing more is read (confirmed, both sides done, a gap, or DPD did not attach it). */
    boolean stopped() {
        return stopped;
    }

    /** Zeek's {@code service}: the analyzer was attached and confirmed SSH. */
    boolean confirmed() {
        return confirmed && (port || (clientSignature && serverSignature));
    }

    /** Whether DPD's signature for SSH's clients and servers matches a stream that begins with these bytes. */
    static boolean signature(byte[] d, int o, int n) {
        return n >= SIGNATURE_BYTES && signaturePrefix(d, o, SIGNATURE_BYTES);
    }

    /**
     * A payload of a connection that is not partial, taken by its sender's reassembly at relative sequence
     * {@code dataSeq}: bytes [o, o + n) of {@code d}, of which the stream has delivered what lies below
     * {@code delivered} (exclusive, relative). {@code otherDelivered}: what the other side had delivered.
     *
     * @return whether the analyzer confirmed SSH with this payload
     */
    boolean segment(boolean fromOrig, long dataSeq, byte[] d, int o, int n, long delivered, long otherDelivered) {
        if (stopped) {
            return false;
        }
        if (!port && !dpdFirstData(fromOrig, dataSeq, d, o, n, otherDelivered)) {
            stop();
            return false;
        }
        Side s = fromOrig ? orig : resp;
        if (s.phase == DONE) {
            return false;
        }
        s.stream.segment(dataSeq, d, o, n, delivered, s);
        if (s.stream.lost()) {
            s.phase = DONE; // the stream can no longer be followed
        }
        if (s.phase == DONE) {
            s.stream.lose();
        }
        if (confirmed || (orig.phase == DONE && resp.phase == DONE)) {
            stop();
        }
        return confirmed();
    }

    /**
     * DPD: a side's first data must match the signature while the buffer still holds everything delivered before
     * (both sides' streams up to {@link ZeekConfig#DPD_BUFFER_SIZE}); until both matched, the analysis goes on, as
     * the analyzer would see the buffered data once attached. Zeek's signature engine matches the stream, so the
     * signature's bytes may come in more than one delivery: they are gathered until they decide.
     */
    private boolean dpdFirstData(boolean fromOrig, long dataSeq, byte[] d, int o, int n, long otherDelivered) {
        if (fromOrig ? clientSignature : serverSignature) {
            return true; // this side's data made the analysis, or matched
        }
        boolean seen = fromOrig ? origSeen : respSeen;
        if (dataSeq > (seen ? startNext : 1)) {
            return true; // ahead of the bytes the signature reads (a lost or reordered segment): the stream holds it
        }
        if (!seen) {
            if (fromOrig) {
                origSeen = true;
            } else {
                respSeen = true;
            }
            if (otherDelivered - 1 > ZeekConfig.DPD_BUFFER_SIZE) {
                return false;
            }
            startNext = 1;
        }
        int skip = (int) (startNext - dataSeq); // bytes sent again
        if (skip >= n) {
            return true;
        }
        int k = Math.min(n - skip, start.length - startLength);
        System.arraycopy(d, o + skip, start, startLength, k);
        startLength += k;
        startNext += n - skip;
        if (!signaturePrefix(start, 0, startLength)) {
            return false;
        }
        if (startLength < start.length) {
            return true; // too few bytes to decide yet
        }
        if (fromOrig) {
            clientSignature = true;
        } else {
            serverSignature = true;
        }
        return true;
    }

    /** Whether bytes [o, o + n) of {@code d}, n at most {@link #SIGNATURE_BYTES}, can begin a match of the signature. */
    private static boolean signaturePrefix(byte[] d, int o, int n) {
        for (int i = 0; i < n; i++) {
            int c = d[o + i];
            boolean ok = switch (i) {
                case 0, 1 -> (c | 0x20) == 's';
                case 2 -> (c | 0x20) == 'h';
                case 3 -> c == '-';
                case 4 -> c == '1' || c == '2';
                default -> c == '.';
            };
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    /** Parses bytes [i, i + n) of a side's stream, in order. */
    private void parse(Side s, byte[] d, int i, int n) {
        int end = i + n;
        while (i < end && s.phase != DONE && !s.dropping) {
            int b = d[i++] & 0xFF;
            if (s.afterCr) {
                s.afterCr = false;
                if (b == '\n') {
                    continue;
                }
            }
            switch (s.phase) {
                case LINE -> line(s, b);
                case PACKET_LENGTH -> {
                    s.packetLength = s.packetLength << 8 | b;
                    if (++s.lengthBytes == 4) {
                        packetStart(s);
                    }
                }
                default -> {
                    // Inside a packet: only its first byte (SSH 2's padding length) and its message type matter; the
                    // bytes up to the next of them, or to the packet's end, are skipped in one step.
                    if (s.packetRead == 0) {
                        s.paddingLength = b;
                    }
                    if (s.packetRead == s.typeIndex) {
                        s.type = b;
                    }
                    s.packetRead++;
                    long size = packetSize(s);
                    long stopAt = s.packetRead <= s.typeIndex ? s.typeIndex : size;
                    int skip = (int) Math.min(stopAt - s.packetRead, end - i);
                    i += skip;
                    s.packetRead += skip;
                    if (s.packetRead == size) {
                        packetEnd(s);
                    }
                }
            }
        }
    }

    private void line(Side s, int b) {
        if (b == '\r' || b == '\n') {
            s.afterCr = b == '\r';
            lineEnd(s);
            s.lineLength = 0;
            s.lineStart = 0;
            return;
        }
        if (s.lineLength < 8) {
            s.lineStart |= (long) b << (8 * s.lineLength);
        }
        s.lineLength++;
    }

    private int lineByte(Side s, int index) {
        return index < s.lineLength ? (int) (s.lineStart >>> (8 * index)) & 0xFF : -1;
    }

    /** A whole line: the client's version, the server's version or data before its banner. */
    private void lineEnd(Side s) {
        boolean fromOrig = s.fromOrig;
        if (!fromOrig && !(lineByte(s, 0) == 'S' && lineByte(s, 1) == 'S' && lineByte(s, 2) == 'H'
                && lineByte(s, 3) == '-')) {
            return; // data before the server's banner
        }
        int v = UNKNOWN;
        if (lineByte(s, 4) == '2') {
            v = SSH2;
        } else if (lineByte(s, 4) == '1') {
            v = lineByte(s, 6) == '9' && lineByte(s, 7) == '9' ? SSH199 : SSH1;
        }
        if (fromOrig) {
            clientVersion = v;
        } else {
            serverVersion = v;
        }
        version = negotiated(clientVersion, serverVersion, version);
        s.phase = PACKET_LENGTH;
        s.lengthBytes = 0;
        s.packetLength = 0;
        // Each side has one version line: once one is unknown, or both are known and no version comes of them, no
        // packet will ever be parsed (a stream on port 22 that is not SSH ends here, after its first line).
        boolean bothRead = orig.phase != LINE && resp.phase != LINE;
        if (v == UNKNOWN || (bothRead && version == UNKNOWN)) {
            stop();
        }
    }

    /** Zeek's combination of the two sides' versions; a pair it has no rule for leaves it as it was. */
    private static int negotiated(int client, int server, int before) {
        if (client == server) {
            return server == SSH199 ? SSH2 : server;
        }
        if (client == SSH199 && server != UNKNOWN) {
            return server == SSH1 ? SSH1 : SSH2;
        }
        if (server == SSH199 && client != UNKNOWN) {
            return client == SSH1 ? SSH1 : SSH2;
        }
        if ((client == SSH1 && server == SSH2) || (client == SSH2 && server == SSH1)) {
            return UNKNOWN;
        }
        return before;
    }

    /** The packet's length is read: the rest of it follows, unless it cannot be parsed now. */
    private void packetStart(Side s) {
        s.lengthBytes = 0;
        s.packetRead = 0;
        boolean parsable = switch (version) {
            case SSH2 -> s.packetLength >= 2;
            case SSH1 -> s.packetLength >= 5;
            default -> false;
        };
        if (!parsable) {
            parseError(s);
            return;
        }
        s.typeIndex = version == SSH1 ? 8 - (int) (s.packetLength % 8) : 1;
        s.phase = PACKET;
    }

    /** The bytes of a packet after its length field, by the version's framing. */
    private long packetSize(Side s) {
        return version == SSH1 ? s.packetLength + 8 - (s.packetLength % 8) : s.packetLength;
    }

    private void packetEnd(Side s) {
        long length = s.packetLength;
        s.phase = PACKET_LENGTH;
        s.packetLength = 0;
        if (version == SSH1) {
            // Only the two key messages parse, and either ends that side's clear text.
            if (s.type != SSH_SMSG_PUBLIC_KEY && s.type != SSH_CMSG_SESSION_KEY) {
                parseError(s);
                return;
            }
            s.phase = DONE;
            confirmed |= s.type == SSH_CMSG_SESSION_KEY;
            return;
        }
        if (s.paddingLength + 2 > length) {
            parseError(s); // the padding does not fit in the packet
            return;
        }
        if (s.type == MSG_NEWKEYS) {
            s.phase = DONE; // the side's data is encrypted from here on
            confirmed = true;
        }
    }

    /** Zeek's parser failed: the rest of this delivery is dropped and the next one starts a new packet. */
    private static void parseError(Side s) {
        s.dropping = true;
        s.phase = PACKET_LENGTH;
        s.lengthBytes = 0;
        s.packetLength = 0;
    }

    /** A content gap in either direction: Zeek's SSH analyzer delivers nothing more to its parser. */
    void stop() {
        stopped = true;
        orig.phase = DONE;
        orig.stream.lose();
        resp.phase = DONE;
        resp.stream.lose();
    }
}
