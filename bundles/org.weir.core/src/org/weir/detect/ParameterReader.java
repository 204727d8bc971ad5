package org.weir.detect;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Reads a detector's parameter values, given as text, as the types its {@link Parameter}s declare. The host checks
 * {@code --set} and Configuration Admin values with {@link #problem} before a run starts, and a detector reads them
 * with an instance, so what the host accepts is exactly what the detector can read.
 *
 * <p>Syntax by type: {@code int} and {@code long} are decimal integers; {@code double} a finite number;
 * {@code duration} a non-negative number of seconds (decimals allowed), read in nanoseconds rounded to the nearest
 * one, so {@code 0.3} is 300,000,000 ns; {@code boolean} {@code true} or {@code false} in any case; {@code ports}
 * port numbers from 0 to 65535 separated by commas (empty items ignored, so a blank value is the empty list);
 * {@code string} any text. Leading and trailing white space is ignored. Reading a value that is not valid, an undeclared parameter
 * or one of another type throws an {@link IllegalArgumentException} that names them.
 */
public final class ParameterReader {

    private static final String DURATION = "a duration in seconds (a non-negative number, at most 292 years)";
    private static final String PORTS = "a list of ports (numbers from 0 to 65535, separated by commas)";

    private final DetectorInfo detector;
    private final Map<String, String> values;
    private final Consumer<String> problems;

    /**
     * @param detector the detector whose declared parameters give the types and defaults
     * @param values values by parameter name, as the host passes them to {@link Detector#start}
     * @param problems told when a value is missing (or blank, for a type other than {@code string} and
     *     {@code ports}) and the declared default is used instead
     */
    public ParameterReader(DetectorInfo detector, Map<String, String> values, Consumer<String> problems) {
        this.detector = detector;
        this.values = values;
        this.problems = problems;
    }

    public int intValue(String name) {
        return Integer.parseInt(checked(name, "int"));
    }

    public long longValue(String name) {
        return Long.parseLong(checked(name, "long"));
    }

    public double doubleValue(String name) {
        return Double.parseDouble(checked(name, "double"));
    }

    public boolean booleanValue(String name) {
        return Boolean.parseBoolean(checked(name, "boolean"));
    }

    /** A {@code duration} parameter in nanoseconds. */
    public long nanos(String name) {
        return nanosOf(checked(name, "duration"));
    }

    public String text(String name) {
        return checked(name, "string");
    }

    /** A {@code ports} parameter as a set indexed by port number: a new array of 65,536 entries. */
    public boolean[] ports(String name) {
        boolean[] set = new boolean[65536];
        for (String p : checked(name, "ports").split(",", -1)) {
            if (!p.isBlank()) {
                set[Integer.parseInt(p.trim())] = true;
            }
        }
        return set;
    }

    /**
     * Null when {@code value} is valid for the parameter's type, else a message that names the detector, the
     * parameter, the value and what was expected.
     */
    public static String problem(DetectorInfo detector, Parameter parameter, String value) {
        String expected = expected(parameter.type(), value.trim());
        return expected == null ? null
                : "detector '" + detector.id() + "' parameter '" + parameter.name() + "': '" + value.trim()
                        + "' is not " + expected;
    }

    /** The value of a declared parameter of this type, trimmed and valid; the default when it is missing. */
    private String checked(String name, String type) {
        Parameter parameter = declared(name);
        if (!parameter.type().equals(type)) {
            throw new IllegalArgumentException("detector '" + detector.id() + "' parameter '" + name
                    + "' is declared " + parameter.type() + ", not " + type);
        }
        String value = values.get(name);
        if (value == null || value.isBlank() && !type.equals("string") && !type.equals("ports")) {
            problems.accept("detector '" + detector.id() + "' parameter '" + name
                    + "' has no value; using its default '" + parameter.defaultValue() + "'");
            value = parameter.defaultValue();
        }
        String problem = problem(detector, parameter, value);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
        return value.trim();
    }

    private Parameter declared(String name) {
        for (Parameter p : detector.parameters()) {
            if (p.name().equals(name)) {
                return p;
            }
        }
        throw new IllegalArgumentException("detector '" + detector.id() + "' declares no parameter '" + name + "'");
    }

    /** Null when {@code value} is valid for {@code type}, else what was expected. */
    private static String expected(String type, String value) {
        try {
            switch (type) {
                case "int" -> Integer.parseInt(value);
                case "long" -> Long.parseLong(value);
                case "double" -> {
                    if (!Double.isFinite(Double.parseDouble(value))) {
                        return "a finite number";
                    }
                }
                case "duration" -> nanosOf(value);
                case "boolean" -> {
                    String v = value.toLowerCase(Locale.ROOT);
                    if (!v.equals("true") && !v.equals("false")) {
                        return "a boolean (true or false)";
                    }
                }
                case "ports" -> {
                    for (String p : value.split(",", -1)) {
                        if (!p.isBlank() && !isPort(p.trim())) {
                            return PORTS;
                        }
                    }
                }
                case "string" -> {
                    // any text
                }
                default -> {
                    return "of the undeclared type '" + type + "'";
                }
            }
            return null;
        } catch (NumberFormatException | ArithmeticException e) {
            return switch (type) {
                case "int" -> "an int";
                case "long" -> "a long integer";
                case "duration" -> DURATION;
                default -> "a number";
            };
        }
    }

    /** A decimal port number from 0 to 65535 (digits only: no sign). */
    private static boolean isPort(String s) {
        if (s.isEmpty() || s.length() > 5) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                return false;
            }
        }
        return Integer.parseInt(s) <= 65535;
    }

    /**
     * Seconds in nanoseconds, rounded to the nearest. Through the decimal the number prints as, not its binary
     * value: {@code 8.2 * 1e9} is a hair under 8,200,000,000 in binary, which a cast truncates to 8,199,999,999.
     *
     * @throws NumberFormatException when it is not a finite non-negative number
     * @throws ArithmeticException when it does not fit a long
     */
    private static long nanosOf(String seconds) {
        double s = Double.parseDouble(seconds);
        if (!Double.isFinite(s) || s < 0) {
            throw new NumberFormatException(seconds);
        }
        return BigDecimal.valueOf(s).movePointRight(9).setScale(0, RoundingMode.HALF_UP).longValueExact();
    }
}
