package org.weir.core;

/**
 * Zeek's ICMP "ports": the type is the source port; the destination port is the counterpart type for
 * request/reply pairs (so echo request and echo reply are one connection) and the code for one-way messages.
 */
public final class IcmpPorts {

    private IcmpPorts() {
    }

    /** The counterpart type, or -1 when the message is one-way. */
    public static int counterpart(boolean v6, int type) {
        if (!v6) {
            return switch (type) {
                case 8 -> 0; // echo
                case 0 -> 8;
                case 13 -> 14; // timestamp
                case 14 -> 13;
                case 15 -> 16; // information
                case 16 -> 15;
                case 10 -> 9; // router solicitation / advertisement
                case 9 -> 10;
                case 17 -> 18; // address mask
                case 18 -> 17;
                default -> -1;
            };
        }
        return switch (type) {
            case 128 -> 129; // echo
            case 129 -> 128;
            case 133 -> 134; // router solicitation / advertisement
            case 134 -> 133;
            case 135 -> 136; // neighbor solicitation / advertisement
            case 136 -> 135;
            case 130 -> 131; // MLD query / report
            case 131 -> 130;
            case 139 -> 140; // node information query / response
            case 140 -> 139;
            case 144 -> 145; // home agent address discovery
            case 145 -> 144;
            default -> -1;
        };
    }

    /** The responder-side "port" of a connection started by a message of this type and code. */
    public static int respPort(boolean v6, int type, int code) {
        int c = counterpart(v6, type);
        return c >= 0 ? c : code;
    }
}
