package org.weir.engine.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.weir.detect.DetectorInfo;
import org.weir.detect.Parameter;
import org.weir.detect.ParameterReader;
import org.weir.detect.Severity;

/**
 * The detector SPI's parameter reader (the SPI bundle has no test fragment; the engine validates with the reader).
 */
class ParameterReaderTest {

    private static final Parameter LIMIT = new Parameter("limit", "int", "10", "a count");
    private static final Parameter BYTES = new Parameter("bytes", "long", "20000", "a size");
    private static final Parameter SHARE = new Parameter("share", "double", "0.5", "a ratio");
    private static final Parameter WINDOW = new Parameter("window", "duration", "60", "a time");
    private static final Parameter ON = new Parameter("on", "boolean", "true", "a switch");
    private static final Parameter PORTS = new Parameter("ports", "ports", "21,23", "a list of ports");
    private static final Parameter NAME = new Parameter("name", "string", "x", "a text");
    private static final DetectorInfo DEMO = new DetectorInfo("demo", "Demo", "Test", Severity.LOW, "for tests",
            List.of(LIMIT, BYTES, SHARE, WINDOW, ON, PORTS, NAME));

    private final List<String> problems = new ArrayList<>();

    private ParameterReader reader(Map<String, String> values) {
        return new ParameterReader(DEMO, values, problems::add);
    }

    private long nanos(String seconds) {
        return reader(Map.of("window", seconds)).nanos("window");
    }

    @Test
    void durationsAreNanosecondsRoundedToTheNearest() {
        assertEquals(300_000_000L, nanos("0.3"));
        // (long) (8.2 * 1e9) and (long) (1.003 * 1e9) fall a nanosecond short.
        assertEquals(8_200_000_000L, nanos("8.2"));
        assertEquals(1_003_000_000L, nanos("1.003"));
        assertEquals(60_000_000_000L, nanos("60"));
        assertEquals(1_500_000_000L, nanos(" 1.5 "));
        assertEquals(0L, nanos("0"));
        assertEquals(0L, nanos("0.0000000004"));
        assertEquals(1L, nanos("0.0000000006"));
        assertEquals(List.of(), problems);
    }

    @Test
    void valuesAreReadAsTheirDeclaredTypes() {
        ParameterReader r = reader(Map.of("limit", " 7 ", "bytes", "9000000000", "share", "0.25", "on", "FALSE",
                "name", " a b "));
        assertEquals(7, r.intValue("limit"));
        assertEquals(9_000_000_000L, r.longValue("bytes"));
        assertEquals(0.25, r.doubleValue("share"));
        assertFalse(r.booleanValue("on"));
        assertEquals("a b", r.text("name"));
        assertTrue(reader(Map.of("on", "True")).booleanValue("on"));
        assertEquals(List.of(), problems);
    }

    private static void assertRefused(Parameter parameter, String value, String expected) {
        assertEquals("detector 'demo' parameter '" + parameter.name() + "': '" + value + "' is not " + expected,
                ParameterReader.problem(DEMO, parameter, value));
    }

    @Test
    void aBadValueIsRefusedNamingDetectorParameterValueAndWhatWasExpected() {
        assertRefused(LIMIT, "ten", "an int");
        assertRefused(LIMIT, "3000000000", "an int");
        assertRefused(BYTES, "1.5", "a long integer");
        assertRefused(SHARE, "NaN", "a finite number");
        assertRefused(SHARE, "half", "a number");
        assertRefused(ON, "yes", "a boolean (true or false)");
        // No units: a duration is a number of seconds.
        for (String notADuration : List.of("-1", "-0.001", "5m", "Infinity", "NaN", "1e300", "")) {
            assertRefused(WINDOW, notADuration, "a duration in seconds (a non-negative number, at most 292 years)");
        }
        assertRefused(new Parameter("x", "percent", "1", "?"), "1", "of the undeclared type 'percent'");
        assertNull(ParameterReader.problem(DEMO, LIMIT, "-3"), "only durations must not be negative");
        for (String notPorts : List.of("22,abc", "65536", "-1", "+22", "22;23", "1.5", "0x16", "123456")) {
            assertRefused(PORTS, notPorts, "a list of ports (numbers from 0 to 65535, separated by commas)");
        }
        for (String ports : List.of("", " ", "0", "65535", "22, 2222 ,", ",22")) {
            assertNull(ParameterReader.problem(DEMO, PORTS, ports), ports);
        }
        assertNull(ParameterReader.problem(DEMO, NAME, ""));

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> reader(Map.of("window", "-1")).nanos("window"));
        assertEquals(ParameterReader.problem(DEMO, WINDOW, "-1"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> reader(Map.of("on", "yes")).booleanValue("on"));
        assertEquals(List.of(), problems);
    }

    @Test
    void aMissingValueTakesTheDeclaredDefaultAndIsReported() {
        assertEquals(10, reader(Map.of()).intValue("limit"));
        assertEquals(List.of("detector 'demo' parameter 'limit' has no value; using its default '10'"), problems);
        assertEquals(60_000_000_000L, reader(Map.of("window", " ")).nanos("window"));
        assertEquals(2, problems.size());
        assertEquals("", reader(Map.of("name", "")).text("name"), "an empty text is a value");
        assertEquals(2, problems.size());
        assertEquals(-1, indexOfTrue(reader(Map.of("ports", " ")).ports("ports")), "an empty list is a value");
        assertEquals(2, problems.size());
    }

    @Test
    void portsAreASetIndexedByPortNumber() {
        boolean[] set = reader(Map.of("ports", " 0, 22,,65535 ")).ports("ports");
        assertEquals(65536, set.length);
        for (int port = 0; port < set.length; port++) {
            assertEquals(port == 0 || port == 22 || port == 65535, set[port], "port " + port);
        }
        assertTrue(reader(Map.of()).ports("ports")[23], "the default");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> reader(Map.of("ports", "22,ssh")).ports("ports"));
        assertEquals(ParameterReader.problem(DEMO, PORTS, "22,ssh"), e.getMessage());
    }

    private static int indexOfTrue(boolean[] set) {
        for (int i = 0; i < set.length; i++) {
            if (set[i]) {
                return i;
            }
        }
        return -1;
    }

    @Test
    void readingAnUndeclaredParameterOrAnotherTypeIsRefused() {
        ParameterReader r = reader(Map.of("limit", "3", "window", "5"));
        IllegalArgumentException undeclared = assertThrows(IllegalArgumentException.class, () -> r.intValue("lmit"));
        assertEquals("detector 'demo' declares no parameter 'lmit'", undeclared.getMessage());
        IllegalArgumentException type = assertThrows(IllegalArgumentException.class, () -> r.intValue("window"));
        assertEquals("detector 'demo' parameter 'window' is declared duration, not int", type.getMessage());
    }
}
