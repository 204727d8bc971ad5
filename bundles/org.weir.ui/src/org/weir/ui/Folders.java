package org.weir.ui;

import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;

/** Where a file dialog starts: the folder a typed or remembered path names, when it exists. */
public final class Folders {

    private Folders() {
    }

    /**
     * The folder {@code path} names: itself when it is one, else its parent folder; null when the text is no path
     * or names no existing folder.
     */
    public static Path of(String path) {
        if (path == null || path.isBlank()) {
            return null;
        }
        try {
            Path p = Path.of(path.strip()).toAbsolutePath();
            Path folder = Files.isDirectory(p) ? p : p.getParent();
            return folder != null && Files.isDirectory(folder) ? folder : null;
        } catch (InvalidPathException e) {
            return null;
        }
    }
}
