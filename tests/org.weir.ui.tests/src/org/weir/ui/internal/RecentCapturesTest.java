package org.weir.ui.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.eclipse.core.runtime.preferences.IEclipsePreferences;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.weir.testsupport.ScratchPreferences;

/** File › Open Recent's list: newest first, each capture once, ten at most, kept in the preferences. */
class RecentCapturesTest {

    private static final String NODE = "org.weir.ui.recenttest";
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
    void newestFirstEachOnceTenAtMost() {
        RecentCaptures recent = new RecentCaptures(node);
        List<Path> expected = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            recent.add(Path.of("/captures/c" + i + ".pcap"));
            expected.add(0, Path.of("/captures/c" + i + ".pcap"));
        }
        assertEquals(expected.subList(0, RecentCaptures.MAX), new RecentCaptures(node).list());
        recent.add(Path.of("/captures/c5.pcap"));
        assertEquals(Path.of("/captures/c5.pcap"), recent.list().get(0));
        assertEquals(RecentCaptures.MAX, recent.list().size());
        assertEquals(1, recent.list().stream().filter(p -> p.endsWith("c5.pcap")).count(), "once");
    }

    @Test
    void aNameWithALineBreakIsNotListedAndBlankLinesAreSkipped() {
        node.put(RecentCaptures.KEY, "/a.pcap\n\n  \n/b.pcap");
        RecentCaptures recent = new RecentCaptures(node);
        assertEquals(List.of(Path.of("/a.pcap"), Path.of("/b.pcap")), recent.list());
        recent.add(Path.of("/odd\nname.pcap"));
        assertEquals(List.of(Path.of("/a.pcap"), Path.of("/b.pcap")), recent.list());
    }
}
