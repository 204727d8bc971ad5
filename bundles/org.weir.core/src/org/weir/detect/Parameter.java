package org.weir.detect;

/**
 * One tunable of a detector, described once so that the CLI ({@code weir detectors}, {@code --set id.name=value}),
 * Configuration Admin and the workbench's preferences all show and accept it. {@link ParameterReader} checks and
 * reads values of these types.
 *
 * @param name key, e.g. {@code min_ports}
 * @param type one of {@code int}, {@code long}, {@code double}, {@code boolean}, {@code duration} (seconds, decimal
 *     allowed), {@code ports} (port numbers separated by commas), {@code string}
 * @param defaultValue the default, as text in the type's syntax
 * @param help one sentence
 */
public record Parameter(String name, String type, String defaultValue, String help) {
}
