package org.weir.capture.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.weir.core.CaptureFilter;
import org.weir.core.CaptureFormatException;
import org.weir.core.CaptureReader;
import org.weir.core.LinkTypes;
import org.weir.core.PacketView;
import org.weir.testsupport.Captures;
import org.weir.testsupport.Corpus;

import com.sun.jna.NativeLong;
import com.sun.jna.Pointer;
import com.sun.jna.Structure;

/**
 * The interpreter against libpcap's own ({@code pcap_offline_filter}, what tcpdump and Zeek run on files): the same
 * decision for every frame of every small corpus capture, for expressions that reach every kind of instruction the
 * compiler emits.
 */
class LibpcapFilterTest {

    /** libpcap with its own filter interpreter: the reference. */
    public interface Reference extends Libpcap.Api {
        int pcap_offline_filter(Libpcap.BpfProgramStruct program, PacketHeader header, byte[] frame);
    }

    /** {@code struct pcap_pkthdr} on LP64 Linux. */
    @Structure.FieldOrder({ "tv_sec", "tv_usec", "caplen", "len" })
    public static final class PacketHeader extends Structure {
        public NativeLong tv_sec = new NativeLong(0), tv_usec = new NativeLong(0);
        public int caplen, len;
    }

    /** Expressions whose programs between them use loads of every size and mode, ALU operations and jumps. */
    private static final List<String> EXPRESSIONS = List.of(
            "tcp",
            "udp port 53",
            "icmp or icmp6",
            "ip6 and tcp",
            "tcp portrange 1-1023",
            "tcp[tcpflags] & (tcp-syn|tcp-fin) != 0",
            "ip[6:2] & 0x1fff != 0 or ip[6] & 0x20 != 0",
            "ip6[6] = 44",
            "vlan and (tcp or udp)",
            "mpls",
            "pppoes",
            "ether broadcast or ether multicast",
            "ip proto 47 or udp port 4789 or udp port 3544",
            "net 10.0.0.0/8 or net 192.168.0.0/16 or net 172.16.0.0/12",
            "greater 500",
            "less 100",
            "tcp[((tcp[12:1] & 0xf0) >> 2):4] = 0x47455420",
            "ip[2:2] % 7 = 3",
            "ip[8] * 3 > 200",
            "ip[2:2] / 3 > 200",
            "ip[2:2] ^ 0xff > 0x100",
            "(ip[0] << 2) - ip[1] > 10",
            "len - 14 > ip[2:2] + 4",
            "(tcp[0:2] | udp[2:2]) & 3 = 1");

    private static Reference libpcap;

    @BeforeAll
    static void load() {
        libpcap = Libpcap.load(Reference.class);
    }

    @AfterAll
    static void release() {
        libpcap = null;
    }

    @Test
    void decidesEveryCorpusFrameAsLibpcapDoes() throws IOException {
        Map<Integer, Map<String, Programs>> byLinkType = new HashMap<>();
        long[] accepted = new long[EXPRESSIONS.size()], frames = { 0 };
        PacketHeader header = new PacketHeader();
        List<String> mismatches = new ArrayList<>();
        for (Path capture : smallCaptures()) {
            try (CaptureReader reader = Captures.open(capture)) {
                PacketView view = new PacketView();
                while (next(reader, view)) {
                    Map<String, Programs> programs = byLinkType.computeIfAbsent(view.linkType,
                            lt -> compileAll(lt));
                    byte[] frame = Arrays.copyOfRange(view.data, view.frameOffset,
                            view.frameOffset + view.capturedLength);
                    header.caplen = view.capturedLength;
                    header.len = view.wireLength;
                    frames[0]++;
                    for (int i = 0; i < EXPRESSIONS.size(); i++) {
                        Programs p = programs.get(EXPRESSIONS.get(i));
                        if (p == null) {
                            continue; // does not apply to this link type, for both
                        }
                        int expected = libpcap.pcap_offline_filter(p.reference, header, frame);
                        int ours = p.ours.run(view.data, view.frameOffset, view.capturedLength, view.wireLength);
                        if (expected != ours && mismatches.size() < 20) {
                            mismatches.add(capture.getFileName() + " frame " + view.frameNumber + " '"
                                    + EXPRESSIONS.get(i) + "': libpcap " + expected + ", ours " + ours);
                        }
                        if (ours != 0) {
                            accepted[i]++;
                        }
                    }
                }
            }
        }
        byLinkType.values().forEach(m -> m.values().forEach(p -> p.free()));
        assertEquals(List.of(), mismatches);
        assertTrue(frames[0] > 30_000, "frames compared: " + frames[0]);
        for (int i = 0; i < EXPRESSIONS.size(); i++) {
            // Each expression both takes and leaves frames of the corpus, so that its comparison decides something.
            assertTrue(accepted[i] > 0 && accepted[i] < frames[0],
                    "'" + EXPRESSIONS.get(i) + "' accepted " + accepted[i] + " of " + frames[0] + " frames");
        }
    }

    @Test
    void rawIpFramesAreCompiledForLibpcapsNumberOfTheirLinkType() {
        LibpcapFilterCompiler compiler = new LibpcapFilterCompiler();
        CaptureFilter tcp = compiler.compile("tcp port 80", LinkTypes.RAW);
        byte[] ipv4Tcp = new byte[40];
        ipv4Tcp[0] = 0x45;
        ipv4Tcp[3] = 40;
        ipv4Tcp[9] = 6;
        ipv4Tcp[22] = 0;
        ipv4Tcp[23] = 80; // destination port
        assertTrue(tcp.accepts(frame(ipv4Tcp)));
        ipv4Tcp[23] = 81;
        assertFalse(tcp.accepts(frame(ipv4Tcp)));
    }

    @Test
    void wrongExpressionsAreRefusedInLibpcapsWords() {
        LibpcapFilterCompiler compiler = new LibpcapFilterCompiler();
        IllegalArgumentException syntax = assertThrows(IllegalArgumentException.class,
                () -> compiler.compile("tcp port", LinkTypes.ETHERNET));
        assertTrue(syntax.getMessage().contains("syntax error"), syntax.getMessage());
        IllegalArgumentException unknownHost = assertThrows(IllegalArgumentException.class,
                () -> compiler.compile("port 99999", LinkTypes.ETHERNET));
        assertTrue(unknownHost.getMessage().contains("99999"), unknownHost.getMessage());
        IllegalArgumentException linkLayer = assertThrows(IllegalArgumentException.class,
                () -> compiler.compile("ether host 00:11:22:33:44:55", LinkTypes.RAW));
        assertFalse(linkLayer.getMessage().isBlank());
    }

    private static PacketView frame(byte[] bytes) {
        PacketView v = new PacketView();
        v.data = bytes;
        v.capturedLength = v.wireLength = bytes.length;
        return v;
    }

    /** Every capture of the corpus under 3 MB: some thousand frames of every link type and oddity it has. */
    private static List<Path> smallCaptures() throws IOException {
        try (Stream<Path> files = Files.walk(Corpus.root())) {
            return files.filter(Files::isRegularFile).filter(p -> {
                try {
                    return Files.size(p) < 3_000_000 && Captures.isCapture(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }).sorted().toList();
        }
    }

    /** The next frame, or false at the end or where the capture is damaged (the frames before still count). */
    private static boolean next(CaptureReader reader, PacketView view) throws IOException {
        try {
            return reader.next(view);
        } catch (CaptureFormatException e) {
            return false;
        }
    }

    private static Map<String, Programs> compileAll(int linkType) {
        Map<String, Programs> all = new HashMap<>();
        for (String e : EXPRESSIONS) {
            Programs p = Programs.compile(e, linkType);
            if (p != null) {
                all.put(e, p);
            }
        }
        return all;
    }

    /** One expression compiled twice for a link type: for the reference and for the interpreter. */
    private record Programs(Libpcap.BpfProgramStruct reference, BpfProgram ours) {

        /** Null when libpcap refuses the expression for the link type. */
        static Programs compile(String expression, int linkType) {
            BpfProgram ours;
            try {
                ours = Libpcap.compile(libpcap, expression, linkType);
            } catch (IllegalArgumentException e) {
                return null;
            }
            Pointer handle = libpcap.pcap_open_dead(Libpcap.dataLinkType(linkType), Libpcap.SNAP_LENGTH);
            Libpcap.BpfProgramStruct reference = new Libpcap.BpfProgramStruct();
            assertEquals(0, libpcap.pcap_compile(handle, reference, expression, 1, Libpcap.NETMASK_UNKNOWN),
                    expression + ": " + libpcap.pcap_geterr(handle));
            libpcap.pcap_close(handle);
            return new Programs(reference, ours);
        }

        void free() {
            libpcap.pcap_freecode(reference);
        }
    }
}
