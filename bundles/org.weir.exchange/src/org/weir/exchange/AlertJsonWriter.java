package org.weir.exchange;

import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.Map;

import org.weir.detect.Alert;
import org.weir.detect.AlertSink;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.MinimalPrettyPrinter;

/**
 * Writes alerts as JSON lines ({@code weir analyze … --alerts FILE}): one object per alert with {@code ts} (epoch
 * seconds, as Zeek's JSON logs), {@code detector}, {@code type}, {@code severity}, {@code src}, {@code dst},
 * {@code msg}, {@code evidence} (numbers stay numbers) and {@code uids} of the sessions involved. As an
 * {@link AlertSink}, I/O errors surface as {@link UncheckedIOException}.
 */
public final class AlertJsonWriter implements AlertSink, Closeable {

    private final JsonGenerator json;
    private long written;

    public AlertJsonWriter(OutputStream stream) throws IOException {
        this.json = new JsonFactory().createGenerator(stream, JsonEncoding.UTF8);
        this.json.setPrettyPrinter(new MinimalPrettyPrinter("\n"));
    }

    @Override
    public void raise(Alert alert) {
        try {
            write(alert);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public void write(Alert a) throws IOException {
        JsonGenerator g = json;
        g.writeStartObject();
        g.writeFieldName("ts");
        g.writeNumber(ZeekValues.seconds(a.timeNanos()));
        g.writeStringField("detector", a.detector());
        g.writeStringField("type", a.type());
        g.writeStringField("severity", a.severity().label());
        g.writeStringField("src", a.source() == null ? "" : a.source());
        g.writeStringField("dst", a.target() == null ? "" : a.target());
        g.writeStringField("msg", a.summary());
        g.writeObjectFieldStart("evidence");
        if (a.evidence() != null) {
            for (Map.Entry<String, Object> e : a.evidence().entrySet()) {
                g.writeFieldName(e.getKey());
                value(g, e.getValue());
            }
        }
        g.writeEndObject();
        g.writeArrayFieldStart("uids");
        if (a.sessionUids() != null) {
            for (String uid : a.sessionUids()) {
                g.writeString(uid);
            }
        }
        g.writeEndArray();
        g.writeEndObject();
        written++;
    }

    private static void value(JsonGenerator g, Object v) throws IOException {
        if (v == null) {
            g.writeNull();
        } else if (v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte) {
            g.writeNumber(((Number) v).longValue());
        } else if (v instanceof Double d && (d.isNaN() || d.isInfinite())) {
            g.writeString(d.toString()); // JSON has no NaN or infinity
        } else if (v instanceof Float f && (f.isNaN() || f.isInfinite())) {
            g.writeString(f.toString());
        } else if (v instanceof Number n) {
            g.writeNumber(n.doubleValue());
        } else if (v instanceof Boolean b) {
            g.writeBoolean(b);
        } else {
            g.writeString(v.toString());
        }
    }

    /** Alerts written so far. */
    public long written() {
        return written;
    }

    /** Flushes what was written (e.g. at the end of each batch of a live capture). */
    public void flush() throws IOException {
        json.flush();
    }

    @Override
    public void close() throws IOException {
        if (written > 0) {
            json.writeRaw('\n');
        }
        json.close();
    }
}
