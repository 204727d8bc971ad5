package org.weir.core;

/** LINKTYPE_* values (tcpdump.org link-layer header types) that Weir decodes. */
public final class LinkTypes {

    public static final int NULL = 0;
    public static final int ETHERNET = 1;
    public static final int RAW = 101;
    public static final int PPP = 9;
    public static final int FDDI = 10;
    public static final int PPP_HDLC = 50;
    public static final int PPP_ETHER = 51;
    public static final int C_HDLC = 104;
    public static final int IEEE802_11 = 105;
    public static final int LOOP = 108;
    public static final int LINUX_SLL = 113;
    public static final int IEEE802_11_RADIOTAP = 127;
    public static final int IPV4 = 228;
    public static final int IPV6 = 229;
    /** Linux netfilter log messages (tcpdump -i nflog). */
    public static final int NFLOG = 239;
    public static final int LINUX_SLL2 = 276;

    private LinkTypes() {
    }

    /** The LINKTYPE_ name of a link type without its prefix, e.g. {@code ETHERNET}, or its number when unknown. */
    public static String name(int linkType) {
        return switch (linkType) {
            case NULL -> "NULL";
            case ETHERNET -> "ETHERNET";
            case RAW -> "RAW";
            case PPP -> "PPP";
            case FDDI -> "FDDI";
            case PPP_HDLC -> "PPP_HDLC";
            case PPP_ETHER -> "PPP_ETHER";
            case C_HDLC -> "C_HDLC";
            case IEEE802_11 -> "IEEE802_11";
            case LOOP -> "LOOP";
            case LINUX_SLL -> "LINUX_SLL";
            case IEEE802_11_RADIOTAP -> "IEEE802_11_RADIOTAP";
            case IPV4 -> "IPV4";
            case IPV6 -> "IPV6";
            case NFLOG -> "NFLOG";
            case LINUX_SLL2 -> "LINUX_SLL2";
            default -> Integer.toString(linkType);
        };
    }
}
