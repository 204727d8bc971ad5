package org.weir.ui.sessions.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.Reader;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import org.eclipse.core.runtime.preferences.IEclipsePreferences;
import org.eclipse.core.runtime.preferences.InstanceScope;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.weir.exchange.ConnColumns;
import org.weir.testsupport.ScratchPreferences;

/** The view's choices go to the instance preferences on disk at once, and come back as they were chosen. */
class ViewSettingsTest {

    private static final String NODE = "org.weir.ui.sessions.settingstest";
    private IEclipsePreferences node;

    @BeforeEach
    void freshNode() throws Exception {
        node = ScratchPreferences.fresh(NODE);
    }

    @AfterEach
    void removeNode() throws Exception {
        ScratchPreferences.remove(node);
    }

    @Test
    void defaultsUntilAChoiceIsMade() {
        ViewSettings settings = new ViewSettings(node);
        assertEquals(TimeDisplay.ZEEK, settings.timeDisplay());
        assertEquals(EnumSet.of(ConnColumns.GEO, ConnColumns.NAMES), settings.columnGroups());
        assertEquals(List.of(), settings.filterHistory());
    }

    @Test
    void choicesAreWrittenThroughAndReadBack() throws Exception {
        ViewSettings settings = new ViewSettings(node);
        settings.setTimeDisplay(TimeDisplay.UTC);
        settings.setColumnGroups(EnumSet.of(ConnColumns.NAMES, ConnColumns.INTEL));
        settings.setFilterHistory(List.of("tcp && !service", "addr == 10.0.0.0/8"));
        settings.setColumnGroups(EnumSet.noneOf(ConnColumns.class));

        // Where Eclipse keeps instance preferences: the instance area (the workbench's data folder).
        Path file = Path.of(new URI(System.getProperty("osgi.instance.area"))).resolve(Path.of(".metadata", ".plugins",
                "org.eclipse.core.runtime", ".settings", NODE + ".prefs"));
        Properties written = new Properties();
        try (Reader in = Files.newBufferedReader(file)) {
            written.load(in);
        }
        assertEquals("UTC", written.getProperty("timeDisplay"));
        assertEquals("", written.getProperty("columnGroups"));
        assertEquals("tcp && !service\naddr == 10.0.0.0/8", written.getProperty("filterHistory"));

        ViewSettings again = new ViewSettings(InstanceScope.INSTANCE.getNode(NODE));
        assertEquals(TimeDisplay.UTC, again.timeDisplay());
        assertEquals(EnumSet.noneOf(ConnColumns.class), again.columnGroups(), "no group chosen is a choice");
        assertEquals(List.of("tcp && !service", "addr == 10.0.0.0/8"), again.filterHistory());
    }

    @Test
    void theColumnLayoutComesBackInItsOrderAndCanBeForgotten() {
        ViewSettings settings = new ViewSettings(node);
        assertEquals(Map.of(), settings.columnLayout(), "never arranged");
        Map<String, Integer> layout = new LinkedHashMap<>();
        layout.put("uid", 222);
        layout.put("ts", 150);
        layout.put("id.orig_h", 170);
        settings.setColumnLayout(layout);
        assertEquals(List.copyOf(layout.entrySet()),
                List.copyOf(new ViewSettings(node).columnLayout().entrySet()), "titles and widths, in order");
        settings.clearColumnLayout();
        assertEquals(Map.of(), new ViewSettings(node).columnLayout());
    }

    @Test
    void aColumnLayoutEditedByHandKeepsWhatReadsAsTitleAndWidth() {
        node.put(ViewSettings.COLUMN_LAYOUT, "uid:200,garbage,ts:wide,:5,history:90");
        assertEquals(List.of(Map.entry("uid", 200), Map.entry("history", 90)),
                List.copyOf(new ViewSettings(node).columnLayout().entrySet()));
    }

    @Test
    void namesOfAnotherVersionAreLeftOut() {
        node.put(ViewSettings.COLUMN_GROUPS, "geo,holograms,intel");
        node.put(ViewSettings.TIME_DISPLAY, "SOLAR");
        ViewSettings settings = new ViewSettings(node);
        assertEquals(EnumSet.of(ConnColumns.GEO, ConnColumns.INTEL), settings.columnGroups());
        assertEquals(TimeDisplay.ZEEK, settings.timeDisplay());
    }
}
