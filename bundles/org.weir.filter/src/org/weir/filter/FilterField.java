package org.weir.filter;

/**
 * One field a filter can name.
 *
 * @param name the name in expressions: a conn.log column ({@code id.resp_p}) or a shortcut for either end
 *     ({@code addr})
 * @param type what its values are, as a person reads it: {@code number}, {@code seconds}, {@code time},
 *     {@code address}, {@code text}, {@code set of text} or {@code T/F}
 * @param description one line on what it holds
 */
public record FilterField(String name, String type, String description) {
}
