package org.weir.ui.sessions.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;

import org.eclipse.core.runtime.NullProgressMonitor;
import org.eclipse.core.runtime.OperationCanceledException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.weir.core.EndpointInfo;
import org.weir.core.Session;
import org.weir.core.Transport;
import org.weir.exchange.ConnColumns;
import org.weir.testsupport.TestSession;
import org.weir.testsupport.ZeekLog;

/** File › Export Sessions… writes the rows given, in their order, as conn.log (with the groups shown) or JSON. */
class SessionExportTest {

    @TempDir
    Path tmp;

    private static List<Session> sessions(int n) {
        List<Session> rows = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            TestSession s = new TestSession("10.0.0." + (1 + i % 200), 40000 + i % 20000, "192.0.2.1", 53,
                    Transport.UDP).uid("Cexport" + i).at(1_300_475_167_000_000_000L + i * 1_000_000L, 420_000)
                    .bytes(38, 89).state("SF", "Dd").service("dns");
            s.setRespInfo(EndpointInfo.NONE.withName("ns" + i + ".example", "example", "dns"));
            rows.add(s);
        }
        return rows;
    }

    @Test
    void aConnLogWithTheGroupsShownInTheRowsOrder() throws Exception {
        List<Session> rows = new ArrayList<>(sessions(3));
        java.util.Collections.reverse(rows);
        Path file = tmp.resolve("shown.log");
        SessionExport.write(rows.toArray(Session[]::new), EnumSet.of(ConnColumns.NAMES), file,
                new NullProgressMonitor());
        ZeekLog log = ZeekLog.read(file);
        assertTrue(log.fields().contains("resp_domain") && !log.fields().contains("resp_location.country_code"),
                log.fields().toString());
        assertEquals(List.of("Cexport2", "Cexport1", "Cexport0"), log.records().stream().map(r -> r.get("uid"))
                .toList(), "the view's order");
        Map<String, String> first = log.records().get(0);
        assertEquals("ns2.example", first.get("resp_domain"));
        assertEquals("dns", first.get("service"));
        assertTrue(Files.readAllLines(file).get(Files.readAllLines(file).size() - 1).startsWith("#close\t"));
    }

    @Test
    void jsonLinesWhenTheNameSaysSo() throws Exception {
        Path file = tmp.resolve("shown.JSON");
        SessionExport.write(sessions(2).toArray(Session[]::new), EnumSet.noneOf(ConnColumns.class), file,
                new NullProgressMonitor());
        List<String> lines = Files.readAllLines(file);
        assertEquals(2, lines.size());
        assertTrue(lines.get(0).startsWith("{") && lines.get(0).contains("\"uid\":\"Cexport0\""), lines.get(0));
    }

    @Test
    void aCancelledExportLeavesNoFile() {
        Path file = tmp.resolve("cancelled.log");
        NullProgressMonitor monitor = new NullProgressMonitor();
        monitor.setCanceled(true);
        assertThrows(OperationCanceledException.class, () -> SessionExport.write(sessions(10_000)
                .toArray(Session[]::new), EnumSet.noneOf(ConnColumns.class), file, monitor));
        assertFalse(Files.exists(file), "a half-written file is removed");
    }
}
