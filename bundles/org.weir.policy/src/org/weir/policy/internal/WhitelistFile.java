package org.weir.policy.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

import org.weir.intel.FeedException;
import org.weir.policy.WhitelistEndpoint;
import org.weir.policy.WhitelistEndpoint.PortRange;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

/**
 * A parsed and checked whitelist file: {@code {"date", "signature"?, "whitelists": [{"name", "extends"?,
 * "endpoints": [...]}]}}. As flodbadd's serde model, unknown fields are errors (a misspelt criterion must not
 * silently widen a rule). Every profile's inheritance is resolved at load, so a missing parent or a cycle
 * rejects the file.
 */
final class WhitelistFile {

    private static final JsonFactory JSON = new JsonFactory();

    final String date;
    /** Profile name to its endpoints after inheritance, in flodbadd's order. */
    final Map<String, List<CompiledEndpoint>> resolved;

    private WhitelistFile(String date, Map<String, List<CompiledEndpoint>> resolved) {
        this.date = date;
        this.resolved = resolved;
    }

    private record Parent(String name, int line, int column) {
    }

    private record Profile(String name, List<Parent> parents, List<CompiledEndpoint> endpoints, int line,
            int column) {
    }

    static WhitelistFile parse(Path file, byte[] data) throws FeedException {
        Map<String, Profile> profiles = new LinkedHashMap<>();
        String date = null;
        try (JsonParser p = JSON.createParser(data)) {
            expect(file, p, p.nextToken(), JsonToken.START_OBJECT, "a JSON object");
            boolean sawLists = false;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonLocation fieldAt = p.currentTokenLocation();
                JsonToken v = p.nextToken();
                switch (field) {
                case "date" -> date = string(file, p, v);
                case "signature" -> {
                    if (v != JsonToken.VALUE_NULL) {
                        string(file, p, v); // informational (EDAMAME's digest); see FeedSignature
                    }
                }
                case "whitelists" -> {
                    expect(file, p, v, JsonToken.START_ARRAY, "an array of whitelists");
                    while (p.nextToken() != JsonToken.END_ARRAY) {
                        Profile prof = profile(file, p);
                        if (profiles.putIfAbsent(prof.name(), prof) != null) {
                            throw new FeedException(file, prof.line(), prof.column(),
                                    "whitelist \"" + prof.name() + "\" defined twice");
                        }
                    }
                    sawLists = true;
                }
                default -> throw errorAt(file, fieldAt, "unknown field \"" + field + "\"");
                }
            }
            if (!sawLists) {
                throw new FeedException(file, 1, 1, "no \"whitelists\" array: not a whitelist file");
            }
        } catch (IOException e) {
            throw FeedException.reading(file, e);
        }
        Map<String, List<CompiledEndpoint>> resolved = new LinkedHashMap<>();
        for (Profile prof : profiles.values()) {
            List<CompiledEndpoint> all = new ArrayList<>();
            collect(file, profiles, prof, null, new LinkedHashSet<>(), all);
            resolved.put(prof.name(), List.copyOf(all));
        }
        return new WhitelistFile(date, resolved);
    }

    /**
     * flodbadd's documented get_all_endpoints: own endpoints, then each parent's recursively; a name met again
     * on the current path is a cycle (a parent shared by two branches is not).
     */
    private static void collect(Path file, Map<String, Profile> profiles, Profile prof, Parent via,
            LinkedHashSet<String> path, List<CompiledEndpoint> out) throws FeedException {
        if (!path.add(prof.name())) {
            List<String> chain = new ArrayList<>(path);
            chain = chain.subList(chain.indexOf(prof.name()), chain.size());
            throw new FeedException(file, via.line(), via.column(),
                    "circular dependency in whitelist inheritance: " + String.join(" -> ", chain) + " -> "
                            + prof.name());
        }
        out.addAll(prof.endpoints());
        for (Parent parent : prof.parents()) {
            Profile p = profiles.get(parent.name());
            if (p == null) {
                throw new FeedException(file, parent.line(), parent.column(),
                        "whitelist \"" + prof.name() + "\" extends unknown whitelist \"" + parent.name() + "\"");
            }
            collect(file, profiles, p, parent, path, out);
        }
        path.remove(prof.name());
    }

    private static Profile profile(Path file, JsonParser p) throws IOException {
        expect(file, p, p.currentToken(), JsonToken.START_OBJECT, "a whitelist object");
        JsonLocation at = p.currentTokenLocation();
        String name = null;
        List<Parent> parents = List.of();
        List<JsonLocation> endpointAt = new ArrayList<>();
        List<RawEndpoint> raw = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonLocation fieldAt = p.currentTokenLocation();
            JsonToken v = p.nextToken();
            switch (field) {
            case "name" -> name = string(file, p, v);
            case "extends" -> {
                if (v != JsonToken.VALUE_NULL) {
                    expect(file, p, v, JsonToken.START_ARRAY, "an array of whitelist names or null");
                    parents = new ArrayList<>();
                    while (p.nextToken() != JsonToken.END_ARRAY) {
                        JsonLocation l = p.currentTokenLocation();
                        parents.add(new Parent(string(file, p, p.currentToken()), l.getLineNr(), l.getColumnNr()));
                    }
                }
            }
            case "endpoints" -> {
                expect(file, p, v, JsonToken.START_ARRAY, "an array of endpoints");
                raw = new ArrayList<>();
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    endpointAt.add(p.currentTokenLocation());
                    raw.add(endpoint(file, p));
                }
            }
            default -> throw errorAt(file, fieldAt, "unknown field \"" + field + "\" in a whitelist");
            }
        }
        if (name == null) {
            throw new FeedException(file, at.getLineNr(), at.getColumnNr(), "whitelist without a \"name\"");
        }
        if (raw == null) {
            throw new FeedException(file, at.getLineNr(), at.getColumnNr(),
                    "whitelist \"" + name + "\" without \"endpoints\"");
        }
        List<CompiledEndpoint> endpoints = new ArrayList<>();
        for (int i = 0; i < raw.size(); i++) {
            RawEndpoint r = raw.get(i);
            WhitelistEndpoint e = new WhitelistEndpoint(name, i, endpointAt.get(i).getLineNr(), r.domain,
                    List.copyOf(r.domains), r.ip, List.copyOf(r.ips), r.port, List.copyOf(r.ports), r.protocol,
                    r.asNumber, r.asCountry, r.asOwner, r.process, r.description);
            endpoints.add(new CompiledEndpoint(e, r.networks));
        }
        return new Profile(name, List.copyOf(parents), List.copyOf(endpoints), at.getLineNr(), at.getColumnNr());
    }

    private static final class RawEndpoint {
        String domain, ip, protocol, asCountry, asOwner, process, description;
        Integer port;
        Long asNumber;
        List<String> domains = new ArrayList<>(), ips = new ArrayList<>();
        List<PortRange> ports = new ArrayList<>();
        List<CompiledEndpoint.IpSpec> networks = new ArrayList<>();
    }

    private static RawEndpoint endpoint(Path file, JsonParser p) throws IOException {
        expect(file, p, p.currentToken(), JsonToken.START_OBJECT, "an endpoint object");
        RawEndpoint e = new RawEndpoint();
        List<CompiledEndpoint.IpSpec> single = new ArrayList<>(), listed = new ArrayList<>();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonLocation fieldAt = p.currentTokenLocation();
            JsonToken v = p.nextToken();
            if (v == JsonToken.VALUE_NULL) {
                continue; // serde: null is None
            }
            switch (field) {
            case "domain" -> e.domain = string(file, p, v);
            case "domains" -> strings(file, p, v, e.domains);
            case "ip" -> {
                e.ip = string(file, p, v);
                single.add(ipSpec(file, p, e.ip));
            }
            case "ips" -> {
                expect(file, p, v, JsonToken.START_ARRAY, "an array of IP specifications");
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    String s = string(file, p, p.currentToken());
                    e.ips.add(s);
                    listed.add(ipSpec(file, p, s));
                }
            }
            case "port" -> e.port = (int) integer(file, p, v, 0xFFFF, "a port number (0-65535)");
            case "ports" -> {
                expect(file, p, v, JsonToken.START_ARRAY, "an array of ports or {start, end} ranges");
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    e.ports.add(portSpec(file, p));
                }
            }
            case "protocol" -> e.protocol = string(file, p, v);
            case "as_number" -> e.asNumber = integer(file, p, v, 0xFFFF_FFFFL, "an AS number (32-bit unsigned)");
            case "as_country" -> e.asCountry = string(file, p, v);
            case "as_owner" -> e.asOwner = string(file, p, v);
            case "process" -> e.process = string(file, p, v);
            case "description" -> e.description = string(file, p, v);
            default -> throw errorAt(file, fieldAt, "unknown field \"" + field + "\" in an endpoint");
            }
        }
        e.networks.addAll(single);
        e.networks.addAll(listed);
        return e;
    }

    private static PortRange portSpec(Path file, JsonParser p) throws IOException {
        JsonToken t = p.currentToken();
        if (t == JsonToken.VALUE_NUMBER_INT) {
            int port = (int) integer(file, p, t, 0xFFFF, "a port number (0-65535)");
            return new PortRange(port, port);
        }
        expect(file, p, t, JsonToken.START_OBJECT, "a port number or {\"start\", \"end\"}");
        Integer start = null, end = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String f = p.currentName();
            JsonToken v = p.nextToken();
            int val = (int) integer(file, p, v, 0xFFFF, "a port number (0-65535)");
            switch (f) {
            case "start" -> start = val;
            case "end" -> end = val;
            default -> throw error(file, p, "unknown field \"" + f + "\" in a port range");
            }
        }
        if (start == null || end == null) {
            throw error(file, p, "port range needs \"start\" and \"end\"");
        }
        // flodbadd accepts reversed bounds
        return new PortRange(Math.min(start, end), Math.max(start, end));
    }

    private static CompiledEndpoint.IpSpec ipSpec(Path file, JsonParser p, String text) throws FeedException {
        try {
            return CompiledEndpoint.IpSpec.parse(text);
        } catch (IllegalArgumentException ex) {
            throw error(file, p, "bad IP specification \"" + text + "\": " + ex.getMessage());
        }
    }

    private static long integer(Path file, JsonParser p, JsonToken v, long max, String what) throws IOException {
        expect(file, p, v, JsonToken.VALUE_NUMBER_INT, what);
        long value = p.getLongValue();
        if (value < 0 || value > max) {
            throw error(file, p, "expected " + what + ", found " + value);
        }
        return value;
    }

    private static String string(Path file, JsonParser p, JsonToken v) throws IOException {
        expect(file, p, v, JsonToken.VALUE_STRING, "a string");
        return p.getText();
    }

    private static void strings(Path file, JsonParser p, JsonToken v, List<String> out) throws IOException {
        expect(file, p, v, JsonToken.START_ARRAY, "an array of strings");
        while (p.nextToken() != JsonToken.END_ARRAY) {
            out.add(string(file, p, p.currentToken()));
        }
    }

    private static void expect(Path file, JsonParser p, JsonToken actual, JsonToken wanted, String what)
            throws FeedException {
        if (actual != wanted) {
            throw error(file, p, "expected " + what + ", found " + describe(actual));
        }
    }

    private static String describe(JsonToken t) {
        if (t == null) {
            return "end of input";
        }
        return switch (t) {
            case START_OBJECT -> "an object";
            case START_ARRAY -> "an array";
            case VALUE_STRING -> "a string";
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
            case VALUE_TRUE, VALUE_FALSE -> "a boolean";
            case VALUE_NULL -> "null";
            default -> t.name();
        };
    }

    private static FeedException errorAt(Path file, JsonLocation l, String message) {
        return new FeedException(file, l.getLineNr(), l.getColumnNr(), message);
    }

    private static FeedException error(Path file, JsonParser p, String message) {
        JsonLocation l = p.currentTokenLocation();
        return new FeedException(file, l.getLineNr(), l.getColumnNr(), message);
    }
}
