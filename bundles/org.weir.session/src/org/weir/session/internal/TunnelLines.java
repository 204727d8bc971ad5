package org.weir.session.internal;

/**
 * The line protocols that Zeek's DPD finds in a CONNECT's tunnel besides SSL and SSH (the PIA under its HTTP analyzer
 * runs every signature): SMTP and POP3 by the server's greeting, IRC by the client's registration, each then read as
 * on a connection of its own ({@link SmtpAnalysis}, {@link Pop3Analysis}, {@link IrcAnalysis}), with the tunnel's
 * bytes numbered from its start and DPD's buffer counting the tunnel's bytes alone. Each side's first bytes are
 * gathered until they end a line, reach {@link StreamHead#BYTES}, or the other side speaks, as the signature engine
 * matches streams, not deliveries. FTP, whose data channels a tunnel would hide anyway, is not looked for.
 */
final class TunnelLines {

    private final byte[][] start = {new byte[StreamHead.BYTES], new byte[StreamHead.BYTES]};
    private final int[] startLength = new int[2];
    private final boolean[] judged = new boolean[2];
    /** Each side's tunnel bytes delivered so far. */
    private final long[] delivered = new long[2];
    /** The analyses made by DPD, in the order they may be made: SMTP's, POP3's, IRC's (null: not made). */
    private final LineAnalysis[] analyses = new LineAnalysis[3];
    private static final int SMTP = 0, POP3 = 1, IRC = 2;
    /** A content gap: nothing more is read. */
    private boolean lost;

    /** A delivery of a side's tunnel bytes [o, o + n) of {@code d}, on connection {@code tcp}. */
    void deliver(TcpConnection tcp, boolean fromOrig, byte[] d, int o, int n) {
        if (lost || n <= 0) {
            return;
        }
        int side = fromOrig ? 0 : 1, other = 1 - side;
        if (!judged[other] && startLength[other] > 0) {
            judge(tcp, other); // the other side spoke first: its bytes so far are all DPD saw of it
        }
        int taken = 0;
        if (!judged[side]) {
            taken = Math.min(n, StreamHead.BYTES - startLength[side]);
            System.arraycopy(d, o, start[side], startLength[side], taken);
            startLength[side] += taken;
            if (startLength[side] < StreamHead.BYTES && !StreamHead.endsLine(d, o, taken)) {
                delivered[side] += n;
                return; // too few bytes for the signatures yet
            }
            judge(tcp, side);
        }
        feed(tcp, side, delivered[side] + taken, d, o + taken, n - taken);
        delivered[side] += n;
    }

    /** Whether a side's later bytes may still matter: it is not judged yet, or an analysis follows it. */
    boolean following() {
        return !lost && (!judged[0] || !judged[1] || analyses[SMTP] != null || analyses[POP3] != null
                || analyses[IRC] != null);
    }

    /** A content gap in the tunnel: the analyses keep what they concluded and read no more. */
    void lose() {
        lost = true;
    }

    /** The services found, each after a comma. */
    String services() {
        StringBuilder s = new StringBuilder();
        for (LineAnalysis a : analyses) {
            String name = a == null ? "" : a.service();
            if (!name.isEmpty()) {
                s.append(',').append(name);
            }
        }
        return s.toString();
    }

    /** DPD on a side's first bytes: made while DPD's buffer held at most its size of the other side's. */
    private void judge(TcpConnection tcp, int side) {
        judged[side] = true;
        byte[] b = start[side];
        int n = startLength[side];
        if (delivered[1 - side] <= ZeekConfig.DPD_BUFFER_SIZE) {
            if (side == 1 && SmtpAnalysis.serverSignature(b, 0, n)) {
                analyses[SMTP] = new SmtpAnalysis(false);
            }
            if (side == 1 && Pop3Analysis.serverSignature(b, 0, n)) {
                analyses[POP3] = new Pop3Analysis();
            }
            if (side == 0 && IrcAnalysis.opensRegistration(b, 0, n)) {
                analyses[IRC] = new IrcAnalysis(false);
            }
        }
        feed(tcp, side, 0, b, 0, n);
    }

    /** A side's bytes [o, o + n) of {@code d}, at tunnel offset {@code at}, to the analyses made so far. */
    private void feed(TcpConnection tcp, int side, long at, byte[] d, int o, int n) {
        if (n <= 0) {
            return;
        }
        boolean fromOrig = side == 0;
        // DPD's buffer in the tunnel: what the connection delivered less what came before the tunnel.
        long origDone = fromOrig ? at + n : delivered[0], respDone = fromOrig ? delivered[1] : at + n;
        for (LineAnalysis a : analyses) {
            if (a != null) {
                a.origBase = tcp.orig.lastReassemSeq - 1 - origDone;
                a.respBase = tcp.resp.lastReassemSeq - 1 - respDone;
                a.segment(tcp, fromOrig, at + 1, d, o, n, at + n + 1);
            }
        }
    }
}
