package org.weir.detect;

import java.util.List;

/**
 * What a detector is, for people and tools.
 *
 * @param id stable identifier, used in alerts, tags and parameter keys, e.g. {@code port_scan}
 * @param name display name
 * @param category grouping in lists, e.g. {@code Reconnaissance}
 * @param defaultSeverity severity of its alerts unless the evidence raises it
 * @param description a few sentences: what it looks for and why that matters
 * @param parameters its tunables
 */
public record DetectorInfo(String id, String name, String category, Severity defaultSeverity, String description,
        List<Parameter> parameters) {
}
