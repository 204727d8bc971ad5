package org.weir.engine.internal;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.weir.core.Spelling;

import org.weir.detect.Detector;
import org.weir.detect.DetectorInfo;
import org.weir.detect.Parameter;
import org.weir.detect.ParameterReader;

/**
 * Checks parameter overrides ({@code detector id → name → value}, e.g. from {@code --set port_scan.min_ports=20})
 * against what the detectors declare, and completes them with defaults. Errors name the detector, the parameter and
 * what was expected, because a mistyped threshold that is silently ignored is worse than a refused start.
 */
public final class DetectorParameters {

    private DetectorParameters() {
    }

    /**
     * Validates every override against the given detectors.
     *
     * @throws IllegalArgumentException for an unknown detector, an unknown parameter or a value not of its type
     */
    public static void validate(Collection<? extends Detector> detectors, Map<String, Map<String, String>> overrides) {
        Map<String, DetectorInfo> byId = new LinkedHashMap<>();
        for (Detector d : detectors) {
            DetectorInfo info = d.info();
            byId.put(info.id(), info);
        }
        for (Map.Entry<String, Map<String, String>> e : overrides.entrySet()) {
            DetectorInfo info = byId.get(e.getKey());
            if (info == null) {
                throw new IllegalArgumentException("unknown detector '" + e.getKey() + "'"
                        + Spelling.suggestion(e.getKey(), byId.keySet()) + " (known: "
                        + String.join(", ", byId.keySet().stream().sorted().toList()) + ")");
            }
            resolve(info, e.getValue());
        }
    }

    /**
     * The run parameters of one detector: its defaults, replaced by the valid overrides.
     *
     * @param overrides values by parameter name for this detector, may be null
     * @throws IllegalArgumentException for an unknown parameter or a value not of its type
     */
    public static Map<String, String> resolve(DetectorInfo info, Map<String, String> overrides) {
        Map<String, String> values = new LinkedHashMap<>();
        for (Parameter p : info.parameters()) {
            values.put(p.name(), p.defaultValue());
        }
        if (overrides != null) {
            for (Map.Entry<String, String> o : overrides.entrySet()) {
                Parameter p = find(info, o.getKey());
                if (p == null) {
                    List<String> names = info.parameters().stream().map(Parameter::name).toList();
                    throw new IllegalArgumentException("detector '" + info.id() + "' has no parameter '" + o.getKey()
                            + "'" + Spelling.suggestion(o.getKey(), names) + " (parameters: " + String.join(", ", names)
                            + ")");
                }
                String value = o.getValue() == null ? "" : o.getValue().trim();
                String problem = ParameterReader.problem(info, p, value);
                if (problem != null) {
                    throw new IllegalArgumentException(problem);
                }
                values.put(p.name(), value);
            }
        }
        return values;
    }


    private static Parameter find(DetectorInfo info, String name) {
        for (Parameter p : info.parameters()) {
            if (p.name().equals(name)) {
                return p;
            }
        }
        return null;
    }

    /**
     * Detector parameters from a Configuration Admin dictionary: every property {@code DETECTOR.PARAMETER} with a
     * scalar value, the framework's own properties aside (SCR adds some, e.g.
     * {@code osgi.ds.satisfying.condition.target}). Values are validated, like {@code --set}, when an analysis
     * starts.
     */
    public static Map<String, Map<String, String>> fromConfiguration(Map<String, ?> properties) {
        Map<String, Map<String, String>> out = new LinkedHashMap<>();
        for (Map.Entry<String, ?> e : properties.entrySet()) {
            String key = e.getKey();
            int dot = key.lastIndexOf('.');
            Object value = e.getValue();
            if (dot <= 0 || dot == key.length() - 1 || isFrameworkProperty(key)
                    || !(value instanceof String || value instanceof Number || value instanceof Boolean)) {
                continue;
            }
            out.computeIfAbsent(key.substring(0, dot), k -> new LinkedHashMap<>()).put(key.substring(dot + 1),
                    String.valueOf(e.getValue()));
        }
        return out;
    }

    private static boolean isFrameworkProperty(String key) {
        return key.startsWith("component.") || key.startsWith("service.") || key.startsWith("osgi.")
                || key.startsWith("felix.") || key.startsWith("objectClass");
    }

    /** {@code base} with {@code overrides} on top, parameter by parameter. */
    public static Map<String, Map<String, String>> merge(Map<String, Map<String, String>> base,
            Map<String, Map<String, String>> overrides) {
        Map<String, Map<String, String>> out = new LinkedHashMap<>();
        base.forEach((id, values) -> out.put(id, new LinkedHashMap<>(values)));
        overrides.forEach((id, values) -> out.computeIfAbsent(id, k -> new LinkedHashMap<>()).putAll(values));
        return out;
    }
}
