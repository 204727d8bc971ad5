package org.weir.testsupport;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Locates the shared test corpus (real captures and data kept beside the project, not in it). The build passes
 * its location as the system property {@code weir.corpus}; without it, {@code ../shared/corpus} is tried from
 * the working directory and its parents. A missing corpus is an error, never a silent skip.
 */
public final class Corpus {

    private static Path root;

    private Corpus() {
    }

    /** The corpus root. */
    public static synchronized Path root() {
        if (root == null) {
            root = locate();
        }
        return root;
    }

    /** A file or folder inside the corpus, which must exist. */
    public static Path resolve(String relative) {
        Path p = root().resolve(relative);
        if (!Files.exists(p)) {
            throw new IllegalStateException("corpus entry missing: " + p);
        }
        return p;
    }

    private static Path locate() {
        String configured = System.getProperty("weir.corpus");
        if (configured != null && !configured.isBlank()) {
            Path p = Path.of(configured).toAbsolutePath().normalize();
            if (Files.isDirectory(p)) {
                return p;
            }
            throw new IllegalStateException("weir.corpus points to " + p + ", which is not a directory");
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("../shared/corpus").normalize();
            if (Files.isDirectory(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException(
                "shared test corpus not found: set -Dweir.corpus=DIR or place it at ../shared/corpus beside the project");
    }
}
