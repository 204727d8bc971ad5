package org.weir.triage;

import java.util.Locale;

/** A port with an optional transport: {@code 443}, {@code 53/udp}. */
record PortSpec(int port, String transport) {

    static PortSpec parse(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        String proto = null;
        int slash = t.indexOf('/');
        if (slash >= 0) {
            proto = t.substring(slash + 1);
            t = t.substring(0, slash);
            if (!proto.equals("tcp") && !proto.equals("udp") && !proto.equals("icmp")) {
                throw new IllegalArgumentException("unknown transport '" + proto + "' in port '" + text + "'");
            }
        }
        int port;
        try {
            port = Integer.parseInt(t);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a port: '" + text + "'");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port out of range: '" + text + "'");
        }
        return new PortSpec(port, proto);
    }

    boolean matches(int p, String zeekTransport) {
        return p == port && (transport == null || transport.equals(zeekTransport));
    }

    @Override
    public String toString() {
        return transport == null ? Integer.toString(port) : port + "/" + transport;
    }
}
