package org.weir.filter.internal;

import java.util.Locale;
import java.util.regex.Pattern;

import org.weir.core.Subnet;

/**
 * The right-hand side of a relation, compiled for the kind of field it was written against: a field hands each of a
 * session's values to the method of its kind, and the relation holds when one of them answers true. A method of
 * another kind is never called (the parser checks kinds), so it answers false.
 */
abstract class Comparison {

    /** Answers true for every value: a field that hands it one has a value. */
    static final Comparison ANY = new Comparison() {
        @Override
        boolean number(long v) {
            return true;
        }

        @Override
        boolean text(String v) {
            return true;
        }

        @Override
        boolean address(long hi, long lo) {
            return true;
        }

        @Override
        boolean bool(boolean v) {
            return true;
        }
    };

    boolean number(long v) {
        return false;
    }

    boolean text(String v) {
        return false;
    }

    boolean address(long hi, long lo) {
        return false;
    }

    boolean bool(boolean v) {
        return false;
    }

    /** {@code == != < <= > >=} against one number (nanoseconds for times and durations). */
    static Comparison relation(String operator, long x) {
        return switch (operator) {
            case "==", "!=" -> new Comparison() { // != is the negation of ==, applied by the caller
                @Override
                boolean number(long v) {
                    return v == x;
                }
            };
            case "<" -> new Comparison() {
                @Override
                boolean number(long v) {
                    return v < x;
                }
            };
            case "<=" -> new Comparison() {
                @Override
                boolean number(long v) {
                    return v <= x;
                }
            };
            case ">" -> new Comparison() {
                @Override
                boolean number(long v) {
                    return v > x;
                }
            };
            case ">=" -> new Comparison() {
                @Override
                boolean number(long v) {
                    return v >= x;
                }
            };
            default -> throw new IllegalArgumentException(operator);
        };
    }

    /** Membership in closed ranges {@code [low[i], high[i]]} (a single number is a range of one). */
    static Comparison numberIn(long[] low, long[] high) {
        return new Comparison() {
            @Override
            boolean number(long v) {
                for (int i = 0; i < low.length; i++) {
                    if (v >= low[i] && v <= high[i]) {
                        return true;
                    }
                }
                return false;
            }
        };
    }

    /** An address in one of these networks (a single address is a network of one). */
    static Comparison addressIn(Subnet[] networks) {
        return new Comparison() {
            @Override
            boolean address(long hi, long lo) {
                for (Subnet n : networks) {
                    if (n.contains(hi, lo)) {
                        return true;
                    }
                }
                return false;
            }
        };
    }

    /**
     * An address in one of these networks or in one of these closed ranges of addresses (each {@code {lowHi, lowLo,
     * highHi, highLo}}, compared as unsigned 128-bit numbers; IPv4 addresses are IPv4-mapped, so an IPv4 range holds
     * only IPv4 addresses).
     */
    static Comparison addressIn(Subnet[] networks, long[][] ranges) {
        Comparison inNetworks = addressIn(networks);
        return new Comparison() {
            @Override
            boolean address(long hi, long lo) {
                if (inNetworks.address(hi, lo)) {
                    return true;
                }
                for (long[] r : ranges) {
                    if (compare(hi, lo, r[0], r[1]) >= 0 && compare(hi, lo, r[2], r[3]) <= 0) {
                        return true;
                    }
                }
                return false;
            }
        };
    }

    /** Orders two 128-bit addresses as unsigned numbers. */
    static int compare(long aHi, long aLo, long bHi, long bLo) {
        int c = Long.compareUnsigned(aHi, bHi);
        return c != 0 ? c : Long.compareUnsigned(aLo, bLo);
    }

    /** Text equal to one of these values; with {@code ignoreCase}, regardless of case. */
    static Comparison textIn(String[] values, boolean ignoreCase) {
        return new Comparison() {
            @Override
            boolean text(String v) {
                for (String x : values) {
                    if (ignoreCase ? x.equalsIgnoreCase(v) : x.equals(v)) {
                        return true;
                    }
                }
                return false;
            }
        };
    }

    /** Text with {@code part} in it; with {@code ignoreCase}, regardless of case. */
    static Comparison textContains(String part, boolean ignoreCase) {
        String lowerPart = part.toLowerCase(Locale.ROOT);
        return new Comparison() {
            @Override
            boolean text(String v) {
                return ignoreCase ? v.toLowerCase(Locale.ROOT).contains(lowerPart) : v.contains(part);
            }
        };
    }

    /** Text in which the regular expression finds a match (anywhere, as Wireshark's {@code matches}). */
    static Comparison textMatches(Pattern pattern) {
        return new Comparison() {
            @Override
            boolean text(String v) {
                return pattern.matcher(v).find();
            }
        };
    }

    static Comparison boolEquals(boolean x) {
        return new Comparison() {
            @Override
            boolean bool(boolean v) {
                return v == x;
            }
        };
    }
}
