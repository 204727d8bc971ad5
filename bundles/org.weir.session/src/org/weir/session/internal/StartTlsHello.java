package org.weir.session.internal;

import java.util.Arrays;

/**
 * The originator's first TLS bytes after a line protocol switched its connection to TLS (SMTP's STARTTLS answered by
 * 220, FTP's AUTH TLS answered by 234): Zeek then hands the stream to an SSL analyzer of its own, which confirms
 * {@code ssl} on the ClientHello by the same rules as at a stream's start ({@link TlsStreamStart}), so the service
 * becomes {@code smtp,ssl} or {@code ftp,ssl}. Gathers at most {@link TlsAnalysis#MAX_GATHERED} bytes.
 */
final class StartTlsHello implements InOrderStream.Receiver {

    private byte[] bytes = new byte[2048];
    private int length;
    private int result = 0;

    @Override
    public void deliver(byte[] d, int o, int n) {
        if (decided()) {
            return;
        }
        int take = Math.min(n, TlsAnalysis.MAX_GATHERED - length);
        if (length + take > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.min(TlsAnalysis.MAX_GATHERED, Math.max(length + take,
                    2 * bytes.length)));
        }
        System.arraycopy(d, o, bytes, length, take);
        length += take;
        result = TlsStreamStart.clientHello(bytes, 0, length);
        if (result > TlsAnalysis.MAX_GATHERED || (result >= 0 && length >= TlsAnalysis.MAX_GATHERED)) {
            result = TlsStreamStart.VIOLATION; // a hello larger than Zeek's analyzer reads
        }
        if (decided()) {
            bytes = null;
        }
    }

    /** The SSL analyzer accepted a ClientHello. */
    boolean confirmed() {
        return result == TlsStreamStart.CONFIRMED;
    }

    /** Confirmed, or nothing more can confirm. */
    boolean decided() {
        return result == TlsStreamStart.CONFIRMED || result == TlsStreamStart.VIOLATION;
    }
}
