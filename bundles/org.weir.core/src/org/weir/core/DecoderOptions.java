package org.weir.core;

/**
 * Options of a decoder.
 *
 * @param ignoreChecksums do not verify IP/TCP/UDP/ICMP checksums (Zeek's {@code -C})
 * @param maxFragmentBytes memory bound for IP fragments awaiting reassembly
 * @param fragmentTimeoutNanos how long an incomplete datagram may wait for its other fragments
 */
public record DecoderOptions(boolean ignoreChecksums, int maxFragmentBytes, long fragmentTimeoutNanos) {

    public static DecoderOptions defaults() {
        return new DecoderOptions(false, 16 << 20, 60_000_000_000L);
    }

    public DecoderOptions withIgnoreChecksums(boolean ignore) {
        return new DecoderOptions(ignore, maxFragmentBytes, fragmentTimeoutNanos);
    }
}
