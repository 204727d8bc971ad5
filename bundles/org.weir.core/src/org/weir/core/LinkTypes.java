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
}
