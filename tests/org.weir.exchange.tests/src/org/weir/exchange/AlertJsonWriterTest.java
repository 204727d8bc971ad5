package org.weir.exchange;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.weir.detect.Alert;
import org.weir.detect.Severity;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

class AlertJsonWriterTest {

    private static Alert alert(String type, Map<String, Object> evidence, List<String> uids) {
        return new Alert("port_scan", type, Severity.MEDIUM, 1_600_000_000_123_456_789L, "10.0.0.1", "10.0.0.2",
                "10.0.0.1 probed 12 \"ports\" of 10.0.0.2", evidence, uids);
    }

    /** Reads one JSON object into field → token text, with nested objects' fields as "outer.inner". */
    private static Map<String, String> read(JsonParser p) throws IOException {
        Map<String, String> out = new LinkedHashMap<>();
        String prefix = "";
        String field = null;
        int depth = 0;
        JsonToken t;
        while ((t = p.nextToken()) != null) {
            switch (t) {
                case START_OBJECT -> {
                    depth++;
                    if (depth == 2) {
                        prefix = field + ".";
                    }
                }
                case END_OBJECT -> {
                    depth--;
                    prefix = "";
                    if (depth == 0) {
                        return out;
                    }
                }
                case FIELD_NAME -> field = p.currentName();
                case START_ARRAY -> {
                    List<String> items = new ArrayList<>();
                    while (p.nextToken() != JsonToken.END_ARRAY) {
                        items.add(p.getText());
                    }
                    out.put(prefix + field, String.join("|", items));
                }
                default -> out.put(prefix + field, t + ":" + p.getText());
            }
        }
        return out;
    }

    @Test
    void writesOneObjectPerLineWithTypedEvidence() throws IOException {
        Map<String, Object> ev = new LinkedHashMap<>();
        ev.put("distinct_ports", 12);
        ev.put("window_s", 60.0);
        ev.put("ports_sample", "21,22");
        ev.put("z", Double.POSITIVE_INFINITY);
        ev.put("closed", true);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (AlertJsonWriter w = new AlertJsonWriter(out)) {
            w.raise(alert("vertical_port_scan", ev, List.of("C1", "C2")));
            w.write(alert("half_open_probe", Map.of(), List.of()));
            assertEquals(2, w.written());
        }
        String text = out.toString(StandardCharsets.UTF_8);
        String[] lines = text.split("\n");
        assertEquals(2, lines.length, text);
        assertTrue(text.endsWith("\n"));
        try (JsonParser p = new JsonFactory().createParser(lines[0])) {
            Map<String, String> m = read(p);
            assertEquals("VALUE_NUMBER_FLOAT:1600000000.123457", m.get("ts")); // microseconds, rounded as Zeek
            assertEquals("VALUE_STRING:port_scan", m.get("detector"));
            assertEquals("VALUE_STRING:vertical_port_scan", m.get("type"));
            assertEquals("VALUE_STRING:medium", m.get("severity"));
            assertEquals("VALUE_STRING:10.0.0.1", m.get("src"));
            assertEquals("VALUE_STRING:10.0.0.2", m.get("dst"));
            assertEquals("VALUE_STRING:10.0.0.1 probed 12 \"ports\" of 10.0.0.2", m.get("msg"));
            assertEquals("VALUE_NUMBER_INT:12", m.get("evidence.distinct_ports"));
            assertEquals("VALUE_NUMBER_FLOAT:60.0", m.get("evidence.window_s"));
            assertEquals("VALUE_STRING:21,22", m.get("evidence.ports_sample"));
            assertEquals("VALUE_STRING:Infinity", m.get("evidence.z"));
            assertEquals("VALUE_TRUE:true", m.get("evidence.closed"));
            assertEquals("C1|C2", m.get("uids"));
        }
        try (JsonParser p = new JsonFactory().createParser(lines[1])) {
            Map<String, String> m = read(p);
            assertEquals("VALUE_STRING:half_open_probe", m.get("type"));
            assertEquals("", m.get("uids"));
        }
    }

    @Test
    void noAlertsMakeAnEmptyFile() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new AlertJsonWriter(out).close();
        assertEquals(0, out.size());
    }
}
