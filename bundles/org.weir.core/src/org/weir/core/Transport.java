package org.weir.core;

/** The {@code proto} column of Zeek's conn.log. */
public enum Transport {
    TCP("tcp"), UDP("udp"), ICMP("icmp"), UNKNOWN("unknown_transport");

    private final String zeekName;

    Transport(String zeekName) {
        this.zeekName = zeekName;
    }

    public String zeekName() {
        return zeekName;
    }

    public static Transport of(int ipProtocol) {
        return switch (ipProtocol) {
            case 6 -> TCP;
            case 17 -> UDP;
            case 1, 58 -> ICMP;
            default -> UNKNOWN;
        };
    }
}
