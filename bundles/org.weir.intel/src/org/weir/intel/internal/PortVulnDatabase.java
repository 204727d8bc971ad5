package org.weir.intel.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Modified;
import org.weir.intel.FeedException;
import org.weir.intel.FeedHolder;
import org.weir.intel.FeedSignature;
import org.weir.intel.PortVulnerabilities;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

/**
 * {@link PortVulnerabilities} over EDAMAME's {@code lanscan-port-vulns-db.json}:
 * {@code {"date","signature","vulnerabilities":[{"port","protocol","name","description","count",
 * "vulnerabilities":[{"name","description"}]}]}}. Configuration (PID {@code org.weir.intel.portvulns}):
 * {@code file}.
 */
@Component(service = PortVulnerabilities.class, configurationPid = "org.weir.intel.portvulns",
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
public final class PortVulnDatabase implements PortVulnerabilities {

    /** Component configuration. */
    public @interface Config {
        String file() default "";
    }

    private static final JsonFactory JSON = new JsonFactory();

    private final FeedHolder<PortInfo[]> ports = new FeedHolder<>(new PortInfo[65536]);

    @Activate
    @Modified
    void configure(Config config) {
        if (!config.file().isBlank()) {
            try {
                load(Path.of(config.file()));
            } catch (FeedException e) {
                // kept in lastError(); the previous database stays in force
            }
        }
    }

    @Override
    public PortInfo lookup(int port) {
        return port < 0 || port > 0xFFFF ? null : ports.get()[port];
    }

    @Override
    public int size() {
        int n = 0;
        for (PortInfo p : ports.get()) {
            n += p == null ? 0 : 1;
        }
        return n;
    }

    @Override
    public java.util.Optional<FeedException> lastError() {
        return ports.lastError();
    }

    @Override
    public void load(Path file) throws FeedException {
        ports.reload(() -> parse(file, FeedSignature.readVerified(file, null)));
    }

    static PortInfo[] parse(Path file, byte[] data) throws FeedException {
        PortInfo[] table = new PortInfo[65536];
        try (JsonParser p = JSON.createParser(data)) {
            expect(file, p, p.nextToken(), JsonToken.START_OBJECT, "a JSON object");
            boolean seen = false;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken v = p.nextToken();
                if (!"vulnerabilities".equals(field)) {
                    p.skipChildren();
                    continue;
                }
                seen = true;
                expect(file, p, v, JsonToken.START_ARRAY, "an array of ports");
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    JsonLocation at = p.currentTokenLocation();
                    PortInfo info = entry(file, p);
                    if (table[info.port()] != null) {
                        throw new FeedException(file, at.getLineNr(), at.getColumnNr(),
                                "port " + info.port() + " listed twice");
                    }
                    table[info.port()] = info;
                }
            }
            if (!seen) {
                throw new FeedException(file, 1, 1, "no \"vulnerabilities\" array: not an EDAMAME port database");
            }
        } catch (IOException e) {
            throw FeedException.reading(file, e);
        }
        return table;
    }

    private static PortInfo entry(Path file, JsonParser p) throws IOException {
        expect(file, p, p.currentToken(), JsonToken.START_OBJECT, "a port object");
        JsonLocation at = p.currentTokenLocation();
        int port = -1;
        String protocol = null, name = null, description = null;
        List<Cve> cves = new ArrayList<>();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken v = p.nextToken();
            switch (field) {
            case "port" -> {
                expect(file, p, v, JsonToken.VALUE_NUMBER_INT, "a port number");
                port = p.getIntValue();
                if (port < 0 || port > 0xFFFF) {
                    throw error(file, p, "port out of range: " + port);
                }
            }
            case "protocol" -> protocol = string(file, p, v);
            case "name" -> name = string(file, p, v);
            case "description" -> description = string(file, p, v);
            case "vulnerabilities" -> {
                expect(file, p, v, JsonToken.START_ARRAY, "an array of CVEs");
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    expect(file, p, p.currentToken(), JsonToken.START_OBJECT, "a CVE object");
                    String id = null, text = null;
                    while (p.nextToken() == JsonToken.FIELD_NAME) {
                        String f = p.currentName();
                        JsonToken fv = p.nextToken();
                        if ("name".equals(f)) {
                            id = string(file, p, fv);
                        } else if ("description".equals(f)) {
                            text = string(file, p, fv);
                        } else {
                            p.skipChildren();
                        }
                    }
                    cves.add(new Cve(id, text));
                }
            }
            default -> p.skipChildren(); // count: derived, the list is the truth
            }
        }
        if (port < 0) {
            throw new FeedException(file, at.getLineNr(), at.getColumnNr(), "port entry without \"port\"");
        }
        return new PortInfo(port, protocol, name == null || name.isEmpty() ? null : name,
                description == null || description.isEmpty() ? null : description, List.copyOf(cves));
    }

    private static String string(Path file, JsonParser p, JsonToken v) throws IOException {
        if (v == JsonToken.VALUE_NULL) {
            return null;
        }
        expect(file, p, v, JsonToken.VALUE_STRING, "a string");
        return p.getText();
    }

    private static void expect(Path file, JsonParser p, JsonToken actual, JsonToken wanted, String what)
            throws FeedException {
        if (actual != wanted) {
            throw error(file, p, "expected " + what + ", found " + (actual == null ? "end of input" : actual));
        }
    }

    private static FeedException error(Path file, JsonParser p, String message) {
        JsonLocation l = p.currentTokenLocation();
        return new FeedException(file, l.getLineNr(), l.getColumnNr(), message);
    }
}
