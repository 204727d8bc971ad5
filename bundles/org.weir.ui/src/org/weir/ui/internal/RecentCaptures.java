package org.weir.ui.internal;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

import org.eclipse.core.runtime.preferences.IEclipsePreferences;
import org.eclipse.core.runtime.preferences.InstanceScope;
import org.osgi.service.prefs.BackingStoreException;

/**
 * The captures opened lately, newest first, as File › Open Recent lists them: kept in the bundle's instance preferences
 * (the {@code workbench} folder of Weir's data folder), so they outlive the run, and written through at once.
 */
final class RecentCaptures {

    /** The preference node: the bundle's symbolic name. */
    static final String NODE = "org.weir.ui";
    static final String KEY = "recentCaptures";
    /** As many as Wireshark lists by default. */
    static final int MAX = 10;

    private final IEclipsePreferences node;

    RecentCaptures() {
        this(InstanceScope.INSTANCE.getNode(NODE));
    }

    RecentCaptures(IEclipsePreferences node) {
        this.node = node;
    }

    /** The captures, newest first; a line that is no path (written by hand) is left out. */
    synchronized List<Path> list() {
        List<Path> captures = new ArrayList<>();
        for (String line : node.get(KEY, "").split("\n")) {
            try {
                if (!line.isBlank()) {
                    captures.add(Path.of(line));
                }
            } catch (InvalidPathException e) {
                // not a path
            }
        }
        return captures;
    }

    /** Puts the capture first (once), keeping at most {@value #MAX}; not one whose name has a line break. */
    synchronized void add(Path capture) {
        if (capture.toString().indexOf('\n') >= 0) {
            return; // one path a line
        }
        List<Path> captures = list();
        captures.remove(capture);
        captures.add(0, capture);
        node.put(KEY, captures.stream().limit(MAX).map(Path::toString).collect(Collectors.joining("\n")));
        try {
            node.flush();
        } catch (BackingStoreException e) {
            // The list holds for this run; the workbench's data folder may be read-only.
        }
    }
}
