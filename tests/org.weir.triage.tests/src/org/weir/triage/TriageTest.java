package org.weir.triage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.weir.core.Session;
import org.weir.core.SessionBatch;
import org.weir.core.Transport;
import org.weir.detect.Alert;
import org.weir.detect.Severity;
import org.weir.testsupport.TestSession;

class TriageTest {

    @TempDir
    Path dir;

    /** A closed session from 10.0.0.1:40000. */
    private static TestSession session(String uid, String resp, int port, Transport t) {
        return new TestSession("10.0.0.1", 40000, resp, port, t).uid(uid);
    }

    private static Alert alert(String type, String target, List<String> uids, Map<String, Object> evidence) {
        return new Alert("port_scan", type, Severity.MEDIUM, 0, "10.0.0.1", target, "x", evidence, uids);
    }

    @Test
    void dismissalsMarkSessionsWithoutRemovingThem() throws IOException {
        Triage t = Triage.inMemory();
        Session web = session("C1", "10.0.0.2", 443, Transport.TCP);
        Session dns = session("C2", "10.0.0.53", 53, Transport.UDP);
        Session ssh = session("C3", "10.0.0.3", 22, Transport.TCP);
        assertEquals(Status.OPEN, t.status(web));
        Dismissal port = t.dismissPort("53/udp", "resolver");
        Dismissal one = t.dismissSession("C3", "known admin");
        assertEquals(Status.OPEN, t.status(web));
        assertEquals(Status.DISMISSED, t.status(dns));
        assertEquals(Status.DISMISSED, t.status(ssh));
        assertSame(port, t.match(dns));
        assertEquals("53/udp", port.value());
        assertNull(t.match(session("C4", "10.0.0.53", 53, Transport.TCP)), "53/udp does not match tcp");

        t.tagger().onSessions(new SessionBatch(List.of(), List.of(), List.of(web, dns, ssh), 1));
        assertEquals(List.of("dismissed:" + port.id()), dns.tags());
        assertEquals(List.of("dismissed:" + one.id()), ssh.tags());
        assertTrue(web.tags().isEmpty());

        assertTrue(t.undismiss(one.id()));
        assertFalse(t.undismiss(one.id()));
        assertEquals(Status.OPEN, t.status(ssh));
        assertSame(port, t.dismissPort("53/UDP", "again"), "the same rule twice is one rule");
        assertThrows(IllegalArgumentException.class, () -> t.dismissPort("http", ""));
        assertThrows(IllegalArgumentException.class, () -> t.dismissPort("70000", ""));
    }

    @Test
    void processDismissalsUseTheResolver() throws IOException {
        Triage t = Triage.inMemory();
        Session s = session("C1", "10.0.0.2", 443, Transport.TCP);
        t.dismissProcess("Firefox", "browser");
        assertEquals(Status.OPEN, t.status(s), "no process known");
        t.setProcessResolver(x -> x.uid().equals("C1") ? "firefox" : null);
        assertEquals(Status.DISMISSED, t.status(s));
        Alert a = alert("x", "10.0.0.2", List.of(), Map.of("process", "firefox"));
        assertEquals(Status.DISMISSED, t.triage(a).status());
    }

    @Test
    void alertsAreDismissedByPortOrWhenAllTheirSessionsAre() throws IOException {
        Triage t = Triage.inMemory();
        Alert onPort = alert("half_open_probe", "10.0.0.2:22/tcp", List.of("C9"), Map.of());
        Alert onService = alert("horizontal_port_scan", "445/tcp", List.of(), Map.of());
        Alert onHost = alert("vertical_port_scan", "10.0.0.2", List.of("C1", "C2"), Map.of("port", 8080));
        Alert udp = alert("x", "10.0.0.2:22/udp", List.of(), Map.of());
        t.dismissPort("22/tcp", "");
        t.dismissPort("445", "");
        assertEquals(Status.DISMISSED, t.triage(onPort).status());
        assertEquals(Status.DISMISSED, t.triage(onService).status());
        assertEquals(Status.OPEN, t.triage(udp).status());
        assertEquals(Status.OPEN, t.triage(onHost).status());
        t.dismissSession("C1", "");
        assertEquals(Status.OPEN, t.triage(onHost).status(), "one of two sessions");
        t.dismissSession("C2", "");
        TriagedAlert tr = t.triage(onHost);
        assertEquals(Status.DISMISSED, tr.status());
        assertSame(onHost, tr.alert());
    }

    @Test
    void acknowledgeCoversRepetitionsOfAnAlert() throws IOException {
        Triage t = Triage.inMemory();
        Alert a = alert("vertical_port_scan", "10.0.0.2", List.of(), Map.of());
        Alert again = new Alert("port_scan", "vertical_port_scan", Severity.MEDIUM, 99, "10.0.0.1", "10.0.0.2", "y",
                Map.of(), List.of());
        t.acknowledge(a, true);
        assertEquals(Status.ACKNOWLEDGED, t.triage(again).status());
        t.acknowledge(a, false);
        assertEquals(Status.OPEN, t.triage(again).status());
        Session s = session("C1", "10.0.0.2", 443, Transport.TCP);
        t.acknowledgeSession("C1", true);
        assertEquals(Status.ACKNOWLEDGED, t.status(s));
    }

    @Test
    void decisionsPersistAcrossOpens() throws IOException {
        Path file = dir.resolve("case/triage.json");
        Triage t = Triage.open(file);
        Dismissal d1 = t.dismissPort("443/tcp", "web \"noise\"");
        Dismissal d2 = t.dismissSession("CabC", "");
        t.undismiss(d1.id());
        Dismissal d3 = t.dismissProcess("backupd", "nightly");
        t.acknowledge(alert("a", "b", List.of(), Map.of()), true);
        t.acknowledgeSession("Cx", true);
        assertTrue(Files.exists(file));

        Triage back = Triage.open(file);
        assertEquals(List.of(d2, d3), back.dismissals());
        assertEquals(Status.ACKNOWLEDGED, back.triage(alert("a", "b", List.of(), Map.of())).status());
        assertEquals(Status.ACKNOWLEDGED, back.status(session("Cx", "10.0.0.9", 1, Transport.TCP)));
        Dismissal d4 = back.dismissPort("80", "");
        assertFalse(List.of(d1.id(), d2.id(), d3.id()).contains(d4.id()), "ids are never reused");
    }

    @Test
    void aDamagedFileIsAClearError() throws IOException {
        Path file = dir.resolve("triage.json");
        Files.writeString(file, "[1,2");
        IOException e = assertThrows(IOException.class, () -> Triage.open(file));
        assertTrue(e.getMessage().contains("triage.json"), e.getMessage());
        Files.writeString(file, "{\"dismissals\":[{\"id\":\"d1\",\"kind\":\"colour\",\"value\":\"red\"}]}");
        IOException kind = assertThrows(IOException.class, () -> Triage.open(file));
        assertTrue(kind.getMessage().contains("bad dismissal d1"), kind.getMessage());
    }
}
