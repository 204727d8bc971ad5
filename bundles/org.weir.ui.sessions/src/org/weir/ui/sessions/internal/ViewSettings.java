package org.weir.ui.sessions.internal;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.eclipse.core.runtime.preferences.IEclipsePreferences;
import org.eclipse.core.runtime.preferences.InstanceScope;
import org.osgi.service.prefs.BackingStoreException;
import org.weir.exchange.ConnColumns;

/**
 * The Sessions view's choices that outlive a run: how ts shows time, the optional column groups, the filters applied
 * lately, the columns' order and widths. They are the bundle's instance preferences (the {@code workbench} folder of Weir's data folder, which the
 * launcher makes the instance area), not the part's persisted state, since the workbench rebuilds its model at each
 * start so that the views of newly installed bundles appear. Written through at once: a choice is rare, and a crash
 * must not lose it.
 */
final class ViewSettings {

    /** The preference node: the bundle's symbolic name. */
    static final String NODE = "org.weir.ui.sessions";
    static final String TIME_DISPLAY = "timeDisplay";
    static final String COLUMN_GROUPS = "columnGroups";
    static final String FILTER_HISTORY = "filterHistory";
    static final String COLUMN_LAYOUT = "columnLayout";
    /** The groups shown until a person chooses: what Weir knows of the ends beyond Zeek's columns. */
    static final Set<ConnColumns> DEFAULT_GROUPS = EnumSet.of(ConnColumns.GEO, ConnColumns.NAMES);

    private final IEclipsePreferences node;

    ViewSettings() {
        this(InstanceScope.INSTANCE.getNode(NODE));
    }

    ViewSettings(IEclipsePreferences node) {
        this.node = node;
    }

    TimeDisplay timeDisplay() {
        return TimeDisplay.named(node.get(TIME_DISPLAY, null));
    }

    void setTimeDisplay(TimeDisplay d) {
        put(TIME_DISPLAY, d.name());
    }

    /** The groups chosen; names this version does not know (a choice of another version) are left out. */
    Set<ConnColumns> columnGroups() {
        String names = node.get(COLUMN_GROUPS, null);
        if (names == null) {
            return EnumSet.copyOf(DEFAULT_GROUPS);
        }
        Set<ConnColumns> groups = EnumSet.noneOf(ConnColumns.class);
        for (String name : names.split(",")) {
            try {
                groups.addAll(ConnColumns.parse(name));
            } catch (IllegalArgumentException e) {
                // not a group of this version
            }
        }
        return groups;
    }

    void setColumnGroups(Set<ConnColumns> groups) {
        put(COLUMN_GROUPS,
                groups.stream().map(g -> g.name().toLowerCase(Locale.ROOT)).collect(Collectors.joining(",")));
    }

    /** The filters applied lately, newest first. */
    List<String> filterHistory() {
        String kept = node.get(FILTER_HISTORY, "");
        return kept.isEmpty() ? List.of() : Arrays.asList(kept.split("\n"));
    }

    /** Keeps the filters applied lately (one line each: an expression has no line break that matters). */
    void setFilterHistory(List<String> history) {
        put(FILTER_HISTORY, history.stream().map(f -> f.replace('\n', ' ')).collect(Collectors.joining("\n")));
    }

    /**
     * The columns as a person arranged them: each column's title and width in pixels, in the order shown (hidden ones
     * included); empty when never arranged. Entries that are no title and width (written by hand) are left out.
     */
    Map<String, Integer> columnLayout() {
        Map<String, Integer> layout = new LinkedHashMap<>();
        for (String entry : node.get(COLUMN_LAYOUT, "").split(",")) {
            int colon = entry.lastIndexOf(':');
            try {
                if (colon > 0) {
                    layout.put(entry.substring(0, colon), Integer.parseInt(entry.substring(colon + 1)));
                }
            } catch (NumberFormatException e) {
                // not a width
            }
        }
        return layout;
    }

    void setColumnLayout(Map<String, Integer> layout) {
        put(COLUMN_LAYOUT, layout.entrySet().stream().map(e -> e.getKey() + ":" + e.getValue())
                .collect(Collectors.joining(",")));
    }

    /** Forgets the arrangement: the view's default order and widths again. */
    void clearColumnLayout() {
        node.remove(COLUMN_LAYOUT);
        flush();
    }

    private void put(String key, String value) {
        node.put(key, value);
        flush();
    }

    private void flush() {
        try {
            node.flush();
        } catch (BackingStoreException e) {
            // The choice holds for this run; the workbench's data folder may be read-only.
        }
    }
}
