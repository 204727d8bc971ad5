package org.weir.core;

/**
 * DS service: compiles capture filter expressions in tcpdump's syntax (pcap-filter(7), what Zeek's {@code -f} and
 * Wireshark's capture filters take) into filters for the frames of one link type.
 */
public interface CaptureFilterCompiler {

    /**
     * @param expression the filter expression, e.g. {@code "tcp port 80 or icmp"}
     * @param linkType the link type of the frames it will see ({@link LinkTypes}, pcap's LINKTYPE numbers)
     * @throws IllegalArgumentException when the expression is not valid or does not apply to that link type; the
     *     message says why in the compiler's words
     * @throws IllegalStateException when no compiler can be used on this machine (e.g. libpcap is missing); the
     *     message says what is missing
     */
    CaptureFilter compile(String expression, int linkType);
}
