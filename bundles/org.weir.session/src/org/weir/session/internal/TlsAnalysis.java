package org.weir.session.internal;

import java.util.Arrays;

import org.weir.core.PacketView;

/**
 * Zeek's SSL analysis of one TCP connection, as far as conn.log shows it: {@code ssl} in {@code service} once the
 * analyzer confirmed the protocol. It is attached by the responder port ({@link ZeekConfig#SSL_PORTS}) or, on other
 * ports, by its DPD signatures (the originator's stream begins with a ClientHello record, the responder's with a
 * ServerHello record, while Zeek's DPD buffer of the first 1,024 stream bytes still holds everything delivered), and
 * confirms on the originator's first ClientHello ({@link TlsStreamStart}), which often spans two segments: the
 * stream's bytes are gathered until it is complete. Like Zeek's analyzer it looks at nothing of a partial connection
 * and stops at the first content gap of either side, and a responder whose first record fails the record layer's
 * checks before the ClientHello is complete ends it too. Once the ClientHello confirmed, a responder's first record
 * of a version other than SSL 3 to TLS 1.2 is a violation that, in the connection's first 10 KiB, takes the
 * confirmation back (the responder's later records are not followed, nor the record layer after an SSLv2-format
 * ClientHello, which leaves Zeek's record layer version unset).
 *
 * <p>The state is {@link TcpConnection#ssl}; the bytes gathered are in {@link RareState#tlsStream}, held only while a
 * ClientHello is incomplete.
 */
final class TlsAnalysis {

    /** {@link TcpConnection#ssl}: attached by the responder port. */
    static final int PORT = 0x1;
    /** The originator's stream began with {@code dpd_ssl_client}'s bytes. */
    static final int CLIENT_SIGNATURE = 0x2;
    /** The responder's stream began with {@code dpd_ssl_server}'s bytes (while DPD still buffered). */
    static final int SERVER_SIGNATURE = 0x4;
    /** The originator's first data was looked at. */
    static final int ORIG_SEEN = 0x8;
    /** The responder's first data was looked at. */
    static final int RESP_SEEN = 0x10;
    /** The ClientHello is incomplete: more of the originator's stream is gathered. */
    static final int PENDING = 0x20;
    /** The originator's ClientHello confirms the protocol (once the analyzer is attached). */
    static final int HELLO_OK = 0x40;
    /** Nothing more to look at: a violation, a content gap, or the stream ran past what is gathered. */
    static final int STOPPED = 0x80;

    /** The most of a stream gathered for a ClientHello: a full TLS record with a message header. */
    static final int MAX_GATHERED = 5 + 16384 + 4;

    private TlsAnalysis() {
    }

    /** Zeek's {@code service}: the analyzer confirmed SSL. */
    static boolean confirmed(int ssl) {
        return (ssl & HELLO_OK) != 0 && ((ssl & PORT) != 0 || (ssl & (CLIENT_SIGNATURE | SERVER_SIGNATURE))
                == (CLIENT_SIGNATURE | SERVER_SIGNATURE));
    }

    /** Whether a payload from this side still has anything to tell the analysis. */
    static boolean wants(int ssl, boolean fromOrig) {
        if (fromOrig) {
            return (ssl & STOPPED) == 0 && (ssl & (ORIG_SEEN | PENDING)) != ORIG_SEEN;
        }
        // The responder's first data: its record header (before the ClientHello, or once it confirmed), or DPD's
        // server half.
        return (ssl & RESP_SEEN) == 0 && ((ssl & STOPPED) == 0 || (ssl & HELLO_OK) != 0);
    }

    /**
     * A payload of a connection that is not partial, taken by its sender's reassembly at relative sequence
     * {@code dataSeq} (the first byte of a stream is 1).
     */
    static void segment(TcpConnection tcp, PacketView p, boolean fromOrig, long dataSeq) {
        byte[] d = p.data;
        int o = p.payloadOffset, n = Math.min(p.payloadLength, d.length - o);
        int s = tcp.ssl;
        if (!fromOrig) {
            if (dataSeq != 1) {
                return; // ahead of the responder's first bytes (a lost or reordered segment): only they are judged
            }
            s |= RESP_SEEN;
            if ((s & (PORT | CLIENT_SIGNATURE)) == CLIENT_SIGNATURE
                    && tcp.dpdStillBuffering() && TlsStreamStart.serverSignature(d, o, n)) {
                s |= SERVER_SIGNATURE;
            }
            if ((s & (HELLO_OK | STOPPED)) == 0 && !TlsStreamStart.responderRecordOk(d, o, n)) {
                s = stop(tcp, s);
            } else if (confirmed(s) && n >= 3 && !TlsStreamStart.recordVersionOk(TlsStreamStart.u16(d, o + 1))
                    && tcp.violationRemovesAnalyzer()) {
                // The ClientHello's record set the record layer's version: a later record of another version is
                // "Invalid version late in TLS connection" (a server answering in plain text), and the DPD
                // framework removes the analyzer, taking its confirmation back.
                s &= ~HELLO_OK;
            }
            tcp.ssl = (byte) s;
            return;
        }
        long delivered = tcp.orig.lastReassemSeq - 1;
        if ((s & ORIG_SEEN) == 0) {
            byte[] ahead = tcp.rare == null ? null : tcp.rare.tlsStream;
            if (dataSeq != 1) {
                // Ahead of the stream's first bytes (a lost or reordered first segment): kept until they come.
                tcp.rare().tlsStream = gather(tcp, ahead == null ? new byte[2048] : ahead, d, o, n, dataSeq);
                return;
            }
            s |= ORIG_SEEN;
            if ((s & PORT) == 0) {
                if (!TlsStreamStart.clientSignature(d, o, n)) {
                    if (ahead != null) {
                        tcp.rare.tlsStream = null;
                    }
                    tcp.ssl = (byte) s; // DPD does not attach the analyzer
                    return;
                }
                s |= CLIENT_SIGNATURE;
            }
            int capacity = 2048;
            if (delivered == n) {
                // The usual case: the ClientHello is read in place from the first segment.
                int result = TlsStreamStart.clientHello(d, o, n);
                if (result < 0 || result > MAX_GATHERED) {
                    tcp.ssl = (byte) decided(tcp, s, result);
                    return;
                }
                capacity = Math.max(result, n);
            }
            if (ahead == null) {
                tcp.rare().tlsStream = new byte[capacity];
            }
            s |= PENDING;
        }
        byte[] gathered = tcp.rare().tlsStream;
        gathered = gather(tcp, gathered, d, o, n, dataSeq);
        if (delivered > gathered.length) {
            delivered = gathered.length;
        }
        int result = TlsStreamStart.clientHello(gathered, 0, (int) delivered);
        if (result >= 0 && result <= MAX_GATHERED && delivered < MAX_GATHERED) {
            tcp.ssl = (byte) s; // wait for more of the stream
            return;
        }
        tcp.ssl = (byte) decided(tcp, s, result);
    }

    /** Copies the payload's part within the first {@link #MAX_GATHERED} bytes of the stream. */
    private static byte[] gather(TcpConnection tcp, byte[] gathered, byte[] d, int o, int n, long dataSeq) {
        long at = dataSeq - 1;
        if (at >= MAX_GATHERED) {
            return gathered;
        }
        int len = (int) Math.min(n, MAX_GATHERED - at);
        if (at + len > gathered.length) {
            gathered = Arrays.copyOf(gathered, (int) Math.min(MAX_GATHERED, Math.max(at + len,
                    2L * gathered.length)));
            tcp.rare().tlsStream = gathered;
        }
        System.arraycopy(d, o, gathered, (int) at, len);
        return gathered;
    }

    private static int decided(TcpConnection tcp, int s, int result) {
        if (result == TlsStreamStart.CONFIRMED) {
            s |= HELLO_OK;
        }
        return stop(tcp, s);
    }

    private static int stop(TcpConnection tcp, int s) {
        if (tcp.rare != null) {
            tcp.rare.tlsStream = null;
        }
        return (s | STOPPED) & ~PENDING;
    }

    /**
     * A content gap in either direction: Zeek's SSL analyzer delivers nothing more to its parser
     * ({@code SSL_Analyzer::Undelivered} sets {@code had_gap}).
     */
    static void contentGap(TcpConnection tcp) {
        if ((tcp.ssl & STOPPED) == 0) {
            tcp.ssl = (byte) stop(tcp, tcp.ssl);
        }
    }
}
