package org.weir.ui.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Optional;

import org.junit.jupiter.api.Test;

/**
 * The command-line contract of the workbench: which argument names the capture to open at start-up, and which the
 * capture filter to read it with.
 */
class CaptureArgsTest {

    private static Optional<Path> capture(String... args) {
        return CaptureArgs.capture(args);
    }

    @Test
    void explicitOptionWins() {
        assertEquals(Optional.of(Path.of("b.pcapng")), capture("a.pcap", "-capture", "b.pcapng"));
        assertEquals(Optional.of(Path.of("c.pcap")), capture("--capture", "c.pcap"));
        assertEquals(Optional.of(Path.of("d.pcap")), capture("--capture=d.pcap"));
        assertEquals(Optional.of(Path.of("trace")), capture("-C", "-r", "trace"), "as zeek -r, any name");
    }

    @Test
    void bareCaptureFileIsOpened() {
        assertEquals(Optional.of(Path.of("/data/x.PCAP")), capture("/data/x.PCAP"));
        assertEquals(Optional.of(Path.of("first.cap")), capture("first.cap", "second.pcap"));
        assertEquals(Optional.of(Path.of("/data/y.pcapng.gz")), capture("notes.gz", "/data/y.pcapng.gz"));
        assertEquals(Optional.of(Path.of("z.PCAP.ZST")), capture("notes.zst", "z.PCAP.ZST"));
        assertEquals(Optional.of(Path.of("a.cap.lz4")), capture("notes.lz4", "a.cap.lz4"));
        assertEquals(Optional.of(Path.of("z.PCAP.GZ")), capture("z.PCAP.GZ"));
    }

    @Test
    void workbenchOptionsAndTheirValuesAreNotCaptures() {
        assertTrue(capture("-applicationXMI", "org.weir.ui/Application.e4xmi", "-persistState", "false",
                "-clearPersistedState", "-data", "/w/ws.pcap").isEmpty());
        assertEquals(Optional.of(Path.of("t.pcap")),
                capture("-persistState", "false", "-cssTheme", "org.weir.ui.theme.default", "t.pcap"));
    }

    @Test
    void nothingToOpen() {
        assertTrue(capture().isEmpty());
        assertTrue(capture((String[]) null).isEmpty());
        assertTrue(capture("notes.txt", "-capture").isEmpty());
    }

    @Test
    void captureFilterIsTakenWithItsValue() {
        assertEquals(Optional.of("tcp port 80"), CaptureArgs.filter(new String[] {"-filter", "tcp port 80", "a.pcap"}));
        assertEquals(Optional.of("udp"), CaptureArgs.filter(new String[] {"--filter=udp"}));
        assertEquals(Optional.of("host x.pcap"), CaptureArgs.filter(new String[] {"--filter", "host x.pcap"}));
        // The filter's value is not the capture, even when it looks like one.
        assertEquals(Optional.of(Path.of("a.pcap")), capture("--filter", "host x.pcap", "a.pcap"));
        assertTrue(CaptureArgs.filter(new String[] {"a.pcap", "-filter"}).isEmpty());
        assertTrue(CaptureArgs.filter(new String[] {"-filter", " "}).isEmpty());
        assertTrue(CaptureArgs.filter(null).isEmpty());
    }

    @Test
    void displayFilterIsTakenAsWiresharkTakesIt() {
        assertEquals(Optional.of("tcp && !service"), CaptureArgs.displayFilter(new String[] {"-r", "a.pcap", "-Y",
                "tcp && !service"}));
        assertEquals(Optional.of("udp"), CaptureArgs.displayFilter(new String[] {"--display-filter=udp", "a.pcap"}));
        assertEquals(Optional.of("domain == \"x.pcap\""), CaptureArgs.displayFilter(new String[] {"--display-filter",
                "domain == \"x.pcap\""}));
        // Its value is never the capture, and -y (lower case) is not the option.
        assertEquals(Optional.of(Path.of("a.pcap")), capture("-Y", "x.pcap", "a.pcap"));
        assertTrue(CaptureArgs.displayFilter(new String[] {"-y", "tcp"}).isEmpty());
        assertTrue(CaptureArgs.displayFilter(new String[] {"a.pcap", "-Y"}).isEmpty());
        assertTrue(CaptureArgs.displayFilter(new String[] {"-Y", " "}).isEmpty());
        assertTrue(CaptureArgs.displayFilter(null).isEmpty());
    }

    @Test
    void ignoringChecksumsIsAskedForAsWeirAnalyzeDoes() {
        assertTrue(CaptureArgs.ignoreChecksums(new String[] {"a.pcap", "-C"}));
        assertTrue(CaptureArgs.ignoreChecksums(new String[] {"--ignore-checksums", "a.pcap"}));
        assertEquals(Optional.of(Path.of("a.pcap")), capture("-C", "a.pcap"));
        assertFalse(CaptureArgs.ignoreChecksums(new String[] {"a.pcap", "-clean", "-c"}));
        assertFalse(CaptureArgs.ignoreChecksums(null));
    }
}
