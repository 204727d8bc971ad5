package org.weir.triage;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.weir.core.DataFolder;
import org.weir.core.Session;
import org.weir.core.SessionListener;
import org.weir.detect.Alert;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

/**
 * The analyst's triage decisions and how they apply to sessions and alerts. Dismissals match sessions by uid,
 * responder port or local process; an alert is dismissed when a port or process dismissal names what it is about,
 * or when all of its sessions are dismissed. Acknowledging marks an alert (by detector, type, source and target, so
 * its repetitions too) or a session as seen. Matching only marks: the store and views keep every item, show the
 * status, and an undismiss brings items back.
 *
 * <p>With a file, every change is saved at once (JSON, written to a temporary file and moved into place).
 * Thread-safe: changes are serialised, readers see an immutable snapshot.
 *
 * <p>A DS service: the framework's {@code Triage} keeps its decisions in the file named by the property
 * {@value #FILE} of the configuration {@value #PID} (Configuration Admin; a relative path is taken in Weir's data
 * folder), by default {@value #DEFAULT_FILE} in Weir's data folder ({@link DataFolder}). A new configuration
 * restarts the component, which loads the file again.
 */
@Component(service = Triage.class, configurationPid = Triage.PID, configurationPolicy = ConfigurationPolicy.OPTIONAL)
public final class Triage {

    /** Configuration Admin PID of the service. */
    public static final String PID = "org.weir.triage";
    /** Configuration property: the triage file (absolute, or relative to Weir's data folder). */
    public static final String FILE = "file";
    /** The service's file in Weir's data folder when none is configured. */
    public static final String DEFAULT_FILE = "triage.json";

    private record State(List<Dismissal> dismissals, Set<String> acknowledgedAlerts, Set<String> acknowledgedSessions,
            int nextId) {
    }

    private final Path file;
    private volatile State state = new State(List.of(), Set.of(), Set.of(), 1);
    private volatile Function<Session, String> processOf = s -> null;

    private Triage(Path file) {
        this.file = file;
    }

    /**
     * The service, as Declarative Services creates it: decisions kept in the configured file ({@link #fileOf}),
     * loaded now when it exists. Elsewhere use {@link #inMemory()} or {@link #open(Path)}.
     *
     * @throws IOException when the file exists but cannot be read or is not a triage file (the component then
     *     does not activate: a damaged file is never overwritten)
     */
    @Activate
    public Triage(Map<String, Object> properties) throws IOException {
        this(fileOf(properties));
        if (Files.exists(file)) {
            state = load(file);
        }
    }

    /** The file a configuration names ({@value #FILE}), else {@value #DEFAULT_FILE} in Weir's data folder. */
    static Path fileOf(Map<String, ?> properties) {
        Object configured = properties == null ? null : properties.get(FILE);
        String name = configured == null ? "" : configured.toString().trim();
        return DataFolder.path().resolve(name.isEmpty() ? DEFAULT_FILE : name);
    }

    /** Decisions kept in memory only. */
    public static Triage inMemory() {
        return new Triage((Path) null);
    }

    /**
     * Decisions kept in {@code file}, loaded now when it exists.
     *
     * @throws IOException when the file exists but cannot be read or is not a triage file
     */
    public static Triage open(Path file) throws IOException {
        Triage t = new Triage(file);
        if (Files.exists(file)) {
            t.state = load(file);
        }
        return t;
    }

    /** Where every change is saved; null when the decisions are kept in memory only. */
    public Path file() {
        return file;
    }

    /** How to find a session's local process (from process attribution); by default none is known. */
    public void setProcessResolver(Function<Session, String> resolver) {
        this.processOf = resolver == null ? s -> null : resolver;
    }

    // ---- decisions --------------------------------------------------------------------------------------

    public Dismissal dismissSession(String uid, String reason) throws IOException {
        return add(Dismissal.Kind.SESSION, uid, reason);
    }

    /** @param port {@code 443} (any transport) or {@code 53/udp} */
    public Dismissal dismissPort(String port, String reason) throws IOException {
        return add(Dismissal.Kind.PORT, port, reason);
    }

    public Dismissal dismissProcess(String process, String reason) throws IOException {
        return add(Dismissal.Kind.PROCESS, process, reason);
    }

    /** Removes a dismissal; what it matched is open again. False when no dismissal has that id. */
    public synchronized boolean undismiss(String id) throws IOException {
        State s = state;
        List<Dismissal> next = new ArrayList<>(s.dismissals);
        if (!next.removeIf(d -> d.id().equals(id))) {
            return false;
        }
        commit(new State(List.copyOf(next), s.acknowledgedAlerts, s.acknowledgedSessions, s.nextId));
        return true;
    }

    public synchronized void acknowledge(Alert alert, boolean acknowledged) throws IOException {
        State s = state;
        Set<String> next = new LinkedHashSet<>(s.acknowledgedAlerts);
        if (acknowledged ? next.add(key(alert)) : next.remove(key(alert))) {
            commit(new State(s.dismissals, Set.copyOf(next), s.acknowledgedSessions, s.nextId));
        }
    }

    public synchronized void acknowledgeSession(String uid, boolean acknowledged) throws IOException {
        State s = state;
        Set<String> next = new LinkedHashSet<>(s.acknowledgedSessions);
        if (acknowledged ? next.add(uid) : next.remove(uid)) {
            commit(new State(s.dismissals, s.acknowledgedAlerts, Set.copyOf(next), s.nextId));
        }
    }

    private synchronized Dismissal add(Dismissal.Kind kind, String value, String reason) throws IOException {
        State s = state;
        String v = value == null ? "" : value.trim();
        Dismissal d = new Dismissal("d" + s.nextId, kind, v, reason, System.currentTimeMillis());
        for (Dismissal existing : s.dismissals) {
            if (existing.kind() == kind && existing.value().equalsIgnoreCase(d.value())) {
                return existing; // already dismissed: keep the first decision
            }
        }
        List<Dismissal> next = new ArrayList<>(s.dismissals);
        next.add(d);
        commit(new State(List.copyOf(next), s.acknowledgedAlerts, s.acknowledgedSessions, s.nextId + 1));
        return d;
    }

    private void commit(State next) throws IOException {
        if (file != null) {
            save(file, next);
        }
        state = next;
    }

    /** The active dismissals, oldest first. */
    public List<Dismissal> dismissals() {
        return state.dismissals;
    }

    // ---- matching ---------------------------------------------------------------------------------------

    /** The first dismissal matching the session, or null. */
    public Dismissal match(Session s) {
        String process = null;
        boolean processAsked = false;
        for (Dismissal d : state.dismissals) {
            switch (d.kind()) {
                case SESSION -> {
                    if (d.value().equals(s.uid())) {
                        return d;
                    }
                }
                case PORT -> {
                    String t = s.transport() == null ? null : s.transport().zeekName();
                    if (PortSpec.parse(d.value()).matches(s.respPort(), t)) {
                        return d;
                    }
                }
                case PROCESS -> {
                    if (!processAsked) {
                        process = processOf.apply(s);
                        processAsked = true;
                    }
                    if (process != null && process.equalsIgnoreCase(d.value())) {
                        return d;
                    }
                }
            }
        }
        return null;
    }

    public Status status(Session s) {
        if (match(s) != null) {
            return Status.DISMISSED;
        }
        return state.acknowledgedSessions.contains(s.uid()) ? Status.ACKNOWLEDGED : Status.OPEN;
    }

    /** The first dismissal matching the alert, or null. */
    public Dismissal match(Alert a) {
        State st = state;
        PortSpec port = portOf(a);
        Object process = a.evidence() == null ? null : a.evidence().get("process");
        for (Dismissal d : st.dismissals) {
            if (d.kind() == Dismissal.Kind.PORT && port != null) {
                PortSpec rule = PortSpec.parse(d.value());
                if (rule.matches(port.port(), port.transport() == null ? rule.transport() : port.transport())) {
                    return d;
                }
            } else if (d.kind() == Dismissal.Kind.PROCESS && process != null
                    && d.value().equalsIgnoreCase(process.toString())) {
                return d;
            }
        }
        // All of its sessions dismissed one by one: nothing of the alert is left to look at.
        List<String> uids = a.sessionUids();
        if (uids == null || uids.isEmpty()) {
            return null;
        }
        Dismissal last = null;
        for (String uid : uids) {
            last = null;
            for (Dismissal d : st.dismissals) {
                if (d.kind() == Dismissal.Kind.SESSION && d.value().equals(uid)) {
                    last = d;
                    break;
                }
            }
            if (last == null) {
                return null;
            }
        }
        return last;
    }

    public TriagedAlert triage(Alert a) {
        Dismissal d = match(a);
        if (d != null) {
            return new TriagedAlert(a, Status.DISMISSED, d);
        }
        return new TriagedAlert(a, state.acknowledgedAlerts.contains(key(a)) ? Status.ACKNOWLEDGED : Status.OPEN,
                null);
    }

    /**
     * A listener that marks closed sessions matching a dismissal with its {@code dismissed:<id>} tag; put it after
     * the detectors and before the sinks.
     */
    public SessionListener tagger() {
        return batch -> {
            if (state.dismissals.isEmpty()) {
                return;
            }
            for (Session s : batch.closed()) {
                Dismissal d = match(s);
                if (d != null) {
                    s.addTag(d.tag());
                }
            }
        };
    }

    /** Identity of an alert for acknowledgement: its repetitions share it. */
    public static String key(Alert a) {
        return a.detector() + "|" + a.type() + "|" + a.source() + "|" + a.target();
    }

    /** The port an alert is about: from a target like {@code 10.0.0.2:22/tcp}, {@code 445/tcp}, or its evidence. */
    static PortSpec portOf(Alert a) {
        String t = a.target() == null ? "" : a.target();
        int colon = t.lastIndexOf(':');
        String tail = colon >= 0 && t.indexOf('.') >= 0 ? t.substring(colon + 1) : t;
        if (!tail.isEmpty() && Character.isDigit(tail.charAt(0))) {
            try {
                return PortSpec.parse(tail);
            } catch (IllegalArgumentException notAPort) {
                // an address or a name: look at the evidence
            }
        }
        Map<String, Object> ev = a.evidence();
        if (ev != null) {
            for (String k : List.of("port", "dst_port")) {
                if (ev.get(k) instanceof Number n) {
                    return new PortSpec(n.intValue(), null);
                }
            }
        }
        return null;
    }

    // ---- persistence ------------------------------------------------------------------------------------

    private static void save(Path file, State s) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        if (dir != null) {
            Files.createDirectories(dir);
        }
        Path tmp = Files.createTempFile(dir, file.getFileName().toString(), ".tmp");
        try (OutputStream out = Files.newOutputStream(tmp);
                JsonGenerator g = new JsonFactory().createGenerator(out, JsonEncoding.UTF8)) {
            g.useDefaultPrettyPrinter();
            g.writeStartObject();
            g.writeNumberField("version", 1);
            g.writeNumberField("next_id", s.nextId);
            g.writeArrayFieldStart("dismissals");
            for (Dismissal d : s.dismissals) {
                g.writeStartObject();
                g.writeStringField("id", d.id());
                g.writeStringField("kind", d.kind().label());
                g.writeStringField("value", d.value());
                g.writeStringField("reason", d.reason());
                g.writeNumberField("created", d.createdMillis());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeArrayFieldStart("acknowledged_alerts");
            for (String k : s.acknowledgedAlerts) {
                g.writeString(k);
            }
            g.writeEndArray();
            g.writeArrayFieldStart("acknowledged_sessions");
            for (String k : s.acknowledgedSessions) {
                g.writeString(k);
            }
            g.writeEndArray();
            g.writeEndObject();
        }
        try {
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static State load(Path file) throws IOException {
        List<Dismissal> dismissals = new ArrayList<>();
        Set<String> alerts = new LinkedHashSet<>(), sessions = new LinkedHashSet<>();
        int nextId = 1;
        try (InputStream in = Files.newInputStream(file); JsonParser p = new JsonFactory().createParser(in)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new IOException(file + ": not a triage file (expected a JSON object)");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken t = p.nextToken();
                switch (field) {
                    case "next_id" -> nextId = p.getIntValue();
                    case "dismissals" -> {
                        expect(file, t, JsonToken.START_ARRAY, field);
                        while (p.nextToken() == JsonToken.START_OBJECT) {
                            dismissals.add(dismissal(file, p));
                        }
                    }
                    case "acknowledged_alerts", "acknowledged_sessions" -> {
                        expect(file, t, JsonToken.START_ARRAY, field);
                        Set<String> target = field.equals("acknowledged_alerts") ? alerts : sessions;
                        while (p.nextToken() == JsonToken.VALUE_STRING) {
                            target.add(p.getText());
                        }
                    }
                    default -> p.skipChildren(); // newer fields: ignore
                }
            }
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IOException(file + ": not a triage file: " + e.getOriginalMessage(), e);
        }
        for (Dismissal d : dismissals) {
            try {
                nextId = Math.max(nextId, Integer.parseInt(d.id().substring(1)) + 1);
            } catch (RuntimeException foreignId) {
                // ids not made here keep their names
            }
        }
        return new State(List.copyOf(dismissals), Set.copyOf(alerts), Set.copyOf(sessions), nextId);
    }

    private static void expect(Path file, JsonToken t, JsonToken wanted, String field) throws IOException {
        if (t != wanted) {
            throw new IOException(file + ": field '" + field + "' should be " + wanted + ", is " + t);
        }
    }

    private static Dismissal dismissal(Path file, JsonParser p) throws IOException {
        String id = null, kind = null, value = null, reason = "";
        long created = 0;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String f = p.currentName();
            p.nextToken();
            switch (f) {
                case "id" -> id = p.getText();
                case "kind" -> kind = p.getText();
                case "value" -> value = p.getText();
                case "reason" -> reason = p.getText();
                case "created" -> created = p.getLongValue();
                default -> p.skipChildren();
            }
        }
        try {
            return new Dismissal(id, Dismissal.Kind.valueOf(String.valueOf(kind).toUpperCase(Locale.ROOT)), value,
                    reason, created);
        } catch (IllegalArgumentException e) {
            throw new IOException(file + ": bad dismissal " + id + ": " + e.getMessage(), e);
        }
    }
}
