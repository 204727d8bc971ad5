package org.weir.core;

import java.nio.file.Path;

/**
 * Weir's data folder, where the user's own data lives: intelligence databases ({@code weir intel update}), triage
 * decisions. Resolved as: system property {@code weir.data}, environment variable {@code WEIR_DATA},
 * {@code $XDG_DATA_HOME/weir}, {@code ~/.local/share/weir}.
 */
public final class DataFolder {

    private DataFolder() {
    }

    /** The data folder (it may not exist yet). */
    public static Path path() {
        String p = System.getProperty("weir.data");
        if (p != null && !p.isBlank()) {
            return Path.of(p);
        }
        p = System.getenv("WEIR_DATA");
        if (p != null && !p.isBlank()) {
            return Path.of(p);
        }
        p = System.getenv("XDG_DATA_HOME");
        if (p != null && !p.isBlank()) {
            return Path.of(p, "weir");
        }
        return Path.of(System.getProperty("user.home"), ".local", "share", "weir");
    }
}
