package org.weir.ui.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The command-line contract of the workbench: which arguments name the captures to open at start-up (several are
 * merged by time), and which the capture filter to read them with.
 */
class CaptureArgsTest {

    private static List<Path> captures(String... args) {
        return CaptureArgs.captures(args);
    }

    private static List<Path> paths(String... names) {
        return Arrays.stream(names).map(Path::of).toList();
    }

    @Test
    void explicitOptionsWin() {
        assertEquals(paths("b.pcapng"), captures("a.pcap", "-capture", "b.pcapng"));
        assertEquals(paths("c.pcap"), captures("--capture", "c.pcap"));
        assertEquals(paths("d.pcap"), captures("--capture=d.pcap"));
        assertEquals(paths("trace"), captures("-C", "-r", "trace"), "as zeek -r, any name");
        assertEquals(paths("in", "out.pcap"), captures("-r", "in", "x.pcap", "-r", "out.pcap"), "each -r, in order");
    }

    @Test
    void bareCaptureFilesAreOpened() {
        assertEquals(paths("/data/x.PCAP"), captures("/data/x.PCAP"));
        assertEquals(paths("first.cap", "second.pcap"), captures("first.cap", "second.pcap"), "merged");
        assertEquals(paths("/data/y.pcapng.gz"), captures("notes.gz", "/data/y.pcapng.gz"));
        assertEquals(paths("z.PCAP.ZST"), captures("notes.zst", "z.PCAP.ZST"));
        assertEquals(paths("a.cap.lz4"), captures("notes.lz4", "a.cap.lz4"));
        assertEquals(paths("z.PCAP.GZ"), captures("z.PCAP.GZ"));
    }

    /** As Wireshark opens any file it is given: Zeek's traces are called {@code .trace}, tcpdump's often nothing. */
    @Test
    void aBareFileByAnyNameIsOpened(@TempDir Path folder) throws IOException {
        Path trace = Files.createFile(folder.resolve("wikipedia.trace")), dump = Files.createFile(folder.resolve("dump"));
        assertEquals(List.of(trace, dump), captures(trace.toString(), dump.toString()));
        assertTrue(captures(folder.resolve("missing.trace").toString(), folder.toString()).isEmpty(),
                "neither a missing file nor a folder");
    }

    @Test
    void workbenchOptionsAndTheirValuesAreNotCaptures() {
        assertTrue(captures("-applicationXMI", "org.weir.ui/Application.e4xmi", "-persistState", "false",
                "-clearPersistedState", "-data", "/w/ws.pcap").isEmpty());
        assertEquals(paths("t.pcap"),
                captures("-persistState", "false", "-cssTheme", "org.weir.ui.theme.default", "t.pcap"));
    }

    @Test
    void nothingToOpen() {
        assertTrue(captures().isEmpty());
        assertTrue(captures((String[]) null).isEmpty());
        assertTrue(captures("notes.txt", "-capture").isEmpty());
    }

    @Test
    void captureFilterIsTakenWithItsValue() {
        assertEquals(Optional.of("tcp port 80"), CaptureArgs.filter(new String[] {"-filter", "tcp port 80", "a.pcap"}));
        assertEquals(Optional.of("udp"), CaptureArgs.filter(new String[] {"--filter=udp"}));
        assertEquals(Optional.of("host x.pcap"), CaptureArgs.filter(new String[] {"--filter", "host x.pcap"}));
        // The filter's value is not the capture, even when it looks like one.
        assertEquals(paths("a.pcap"), captures("--filter", "host x.pcap", "a.pcap"));
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
        assertEquals(paths("a.pcap"), captures("-Y", "x.pcap", "a.pcap"));
        assertTrue(CaptureArgs.displayFilter(new String[] {"-y", "tcp"}).isEmpty());
        assertTrue(CaptureArgs.displayFilter(new String[] {"a.pcap", "-Y"}).isEmpty());
        assertTrue(CaptureArgs.displayFilter(new String[] {"-Y", " "}).isEmpty());
        assertTrue(CaptureArgs.displayFilter(null).isEmpty());
    }

    @Test
    void ignoringChecksumsIsAskedForAsWeirAnalyzeDoes() {
        assertTrue(CaptureArgs.ignoreChecksums(new String[] {"a.pcap", "-C"}));
        assertTrue(CaptureArgs.ignoreChecksums(new String[] {"--ignore-checksums", "a.pcap"}));
        assertEquals(paths("a.pcap"), captures("-C", "a.pcap"));
        assertFalse(CaptureArgs.ignoreChecksums(new String[] {"a.pcap", "-clean", "-c"}));
        assertFalse(CaptureArgs.ignoreChecksums(null));
    }
}
