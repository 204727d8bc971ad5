package org.weir.detect.rules.internal;

import java.util.Map;

/** Typed access to run parameters that the host has already validated and completed with defaults. */
final class Params {

    private final Map<String, String> values;

    Params(Map<String, String> values) {
        this.values = values;
    }

    private String raw(String name) {
        String v = values.get(name);
        if (v == null) {
            throw new IllegalArgumentException("missing parameter '" + name + "'");
        }
        return v.trim();
    }

    int i(String name) {
        return Integer.parseInt(raw(name));
    }

    double d(String name) {
        return Double.parseDouble(raw(name));
    }

    boolean b(String name) {
        return Boolean.parseBoolean(raw(name));
    }

    /** A duration parameter (seconds, decimals allowed) in nanoseconds. */
    long nanos(String name) {
        return (long) (Double.parseDouble(raw(name)) * 1e9);
    }

    String s(String name) {
        return raw(name);
    }

    /** A comma-separated list of ports. */
    boolean[] ports(String name) {
        boolean[] set = new boolean[65536];
        for (String p : raw(name).split(",")) {
            if (!p.isBlank()) {
                int port = Integer.parseInt(p.trim());
                if (port >= 0 && port < 65536) {
                    set[port] = true;
                }
            }
        }
        return set;
    }
}
