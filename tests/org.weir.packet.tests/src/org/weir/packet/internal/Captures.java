package org.weir.packet.internal;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.weir.core.CaptureFormat;
import org.weir.core.CaptureReader;
import org.weir.core.PacketView;
import org.weir.testsupport.Corpus;

/** Finding and reading the corpus captures and the reference outputs of other tools beside them. */
final class Captures {

    private Captures() {
    }

    /** Every pcap/pcapng file under a corpus folder (by magic, not by name), sorted. */
    static List<Path> under(String folder) throws IOException {
        Path root = Corpus.resolve(folder);
        Path refs = Corpus.root().resolve("refs");
        List<Path> out = new ArrayList<>();
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : (Iterable<Path>) s.sorted()::iterator) {
                if (Files.isRegularFile(p) && !p.startsWith(refs) && org.weir.testsupport.Captures.isCapture(p)) {
                    out.add(p);
                }
            }
        }
        return out;
    }

    /** The capture format the pipeline picks for the file. */
    static CaptureFormat format(Path file) throws IOException {
        return org.weir.testsupport.Captures.format(file);
    }

    static CaptureReader open(Path file) throws IOException {
        return org.weir.testsupport.Captures.open(file);
    }

    static String relative(Path file) {
        return Corpus.root().relativize(file).toString();
    }

    /** A copy of the frame fields of the view (tests keep frames; the hot path never does). */
    record Frame(long number, long timestampNanos, int capturedLength, int wireLength, int linkType, int interfaceId,
            byte[] bytes) {

        static Frame of(PacketView v) {
            byte[] b = new byte[v.capturedLength];
            System.arraycopy(v.data, v.frameOffset, b, 0, v.capturedLength);
            return new Frame(v.frameNumber, v.timestampNanos, v.capturedLength, v.wireLength, v.linkType,
                    v.interfaceId, b);
        }
    }

    static List<Frame> frames(CaptureReader r) throws IOException {
        List<Frame> out = new ArrayList<>();
        PacketView v = new PacketView();
        while (r.next(v)) {
            out.add(Frame.of(v));
        }
        return out;
    }

    static List<Frame> frames(Path file) throws IOException {
        try (CaptureReader r = open(file)) {
            return frames(r);
        }
    }

    /** The per-packet TSV tshark wrote for a capture (see refs/TOOLS-COMMANDS.md), or null. */
    static Tsv tshark(Path capture) throws IOException {
        Path tsv = Corpus.root().resolve("refs").resolve(relative(capture) + ".refs").resolve("tshark-packets.tsv");
        return Files.exists(tsv) ? Tsv.read(tsv) : null;
    }

    /** A tab-separated table with a header line (tshark fields or a Zeek log). */
    record Tsv(List<String> columns, List<String[]> rows) {

        static Tsv read(Path file) throws IOException {
            List<String> lines = Files.readAllLines(file);
            List<String> columns = null;
            List<String[]> rows = new ArrayList<>();
            for (String line : lines) {
                if (line.startsWith("#fields\t")) {
                    columns = List.of(line.substring(8).split("\t", -1));
                } else if (line.startsWith("#") || line.isEmpty()) {
                    continue;
                } else if (columns == null) {
                    columns = List.of(line.split("\t", -1));
                } else {
                    rows.add(line.split("\t", -1));
                }
            }
            return new Tsv(columns == null ? List.of() : columns, rows);
        }

        /** Zeek's zeek-cut output (-m): the header is a plain first line after the comment lines. */
        int index(String column) {
            return columns.indexOf(column);
        }

        String get(String[] row, String column) {
            int i = index(column);
            return i < 0 || i >= row.length ? "" : row[i];
        }

        Map<String, Integer> indexMap() {
            Map<String, Integer> m = new HashMap<>();
            for (int i = 0; i < columns.size(); i++) {
                m.put(columns.get(i), i);
            }
            return m;
        }
    }

    /** tshark's frame.time_epoch ("1210953046.591933000") as nanoseconds, exactly. */
    static long epochNanos(String text) {
        return new BigDecimal(text).movePointRight(9).longValueExact();
    }
}
