package org.weir.cli.internal;

import java.util.ArrayList;
import java.util.List;

/**
 * A small GNU-style argument reader: options with values ({@code --x V} or {@code --x=V}), flags, operands. Single
 * letter flags may be grouped as with Zeek and most Unix tools: {@code -bC} is {@code -b -C}; the last letter of a
 * group may take the next argument as its value ({@code -Cr trace.pcap}).
 */
final class Arguments {

    private final List<String> args;
    private int index;
    private String pendingValue;
    /** Letters left of a group of single-letter flags ({@code -bC}). */
    private String pendingFlags = "";
    private final List<String> operands = new ArrayList<>();

    Arguments(List<String> args) {
        this.args = args;
    }

    /** The next option name, or null at the end; operands are collected on the way. */
    String nextOption() {
        pendingValue = null;
        if (!pendingFlags.isEmpty()) {
            String flag = "-" + pendingFlags.charAt(0);
            pendingFlags = pendingFlags.substring(1);
            return flag;
        }
        while (index < args.size()) {
            String a = args.get(index++);
            if (a.equals("--")) {
                while (index < args.size()) {
                    operands.add(args.get(index++));
                }
                return null;
            }
            if (a.startsWith("--") && a.indexOf('=') > 0) {
                pendingValue = a.substring(a.indexOf('=') + 1);
                return a.substring(0, a.indexOf('='));
            }
            if (a.length() > 2 && a.charAt(0) == '-' && a.chars().skip(1).allMatch(Character::isLetter)) {
                pendingFlags = a.substring(2);
                return a.substring(0, 2);
            }
            if (a.startsWith("-") && a.length() > 1) {
                return a;
            }
            operands.add(a);
        }
        return null;
    }

    /** The value of the option just read. */
    String value(String option) throws UsageException {
        if (pendingValue != null) {
            String v = pendingValue;
            pendingValue = null;
            return v;
        }
        if (index >= args.size()) {
            throw new UsageException("option " + option + " needs a value");
        }
        return args.get(index++);
    }

    /** The value of the option just read, a whole number of at least {@code min}. */
    long longValue(String option, long min) throws UsageException {
        return wholeNumber(option, value(option), min, Long.MAX_VALUE);
    }

    /** The value of the option just read, a whole number of at least {@code min} that an int holds. */
    int intValue(String option, int min) throws UsageException {
        return (int) wholeNumber(option, value(option), min, Integer.MAX_VALUE);
    }

    /**
     * A whole number given for an option ({@code 1_000} too), at least {@code min}; {@code max} is the largest the
     * option's type holds (that of a long, or of an int), beyond which, as beyond the smallest, it is not a number of
     * that type.
     */
    static long wholeNumber(String option, String text, long min, long max) throws UsageException {
        long n;
        try {
            n = Long.parseLong(text.strip().replace("_", ""));
        } catch (NumberFormatException e) {
            throw notWholeNumber(option, text);
        }
        if (n > max || n < -max - 1) {
            throw notWholeNumber(option, text);
        }
        if (n < min) {
            throw new UsageException("option " + option + " must be at least " + min + ", not " + text);
        }
        return n;
    }

    private static UsageException notWholeNumber(String option, String text) {
        return new UsageException("option " + option + " needs a whole number, not '" + text + "'");
    }

    /** Adds an operand named by an option (as {@code -r FILE}), in its place among the others. */
    void addOperand(String operand) {
        operands.add(operand);
    }

    List<String> operands() {
        return operands;
    }
}
