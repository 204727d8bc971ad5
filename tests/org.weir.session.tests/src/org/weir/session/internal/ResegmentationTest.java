package org.weir.session.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import org.junit.jupiter.api.Test;
import org.weir.core.CaptureFormatException;
import org.weir.core.PacketHandler;
import org.weir.core.Session;
import org.weir.core.SessionOptions;
import org.weir.testsupport.Corpus;

/**
 * Zeek's analyzers read reassembled streams, so a connection's service, state, sizes and analysis limits do not depend
 * on how its sender cut the stream into segments, nor on the order they arrived in. Every corpus capture is analysed as
 * captured and again with each TCP payload cut into random pieces, in order and last first; the columns that follow
 * from the streams must stay the same.
 */
class ResegmentationTest {

    @Test
    void streamConclusionsDoNotDependOnSegmentSizes() throws IOException {
        List<Path> captures = Traces.corpusCaptures();
        assertTrue(captures.size() > 100, "captures: " + captures.size());
        List<String> differences = new ArrayList<>();
        long sessions = 0;
        for (Path capture : captures) {
            Map<String, String> whole = conclusions(capture, t -> t);
            sessions += whole.size();
            for (Resegmenter.Cutting cutting : Resegmenter.CUTTINGS) {
                Map<String, String> cut = conclusions(capture, t -> new Resegmenter(t, capture.hashCode(), cutting));
                for (Map.Entry<String, String> e : whole.entrySet()) {
                    String other = cut.get(e.getKey());
                    if (!e.getValue().equals(other)) {
                        differences.add(Corpus.root().relativize(capture) + " in " + cutting + ": " + e.getKey()
                                + "\n    whole: " + e.getValue() + "\n    cut:   " + other);
                    }
                }
                for (String key : cut.keySet()) {
                    if (!whole.containsKey(key)) {
                        differences.add(Corpus.root().relativize(capture) + " in " + cutting + ": extra " + key + " "
                                + cut.get(key));
                    }
                }
            }
        }
        differences.forEach(System.out::println);
        assertTrue(sessions > 1000, "sessions: " + sessions);
        assertEquals(0, differences.size(), differences.size() + " differences, first: "
                + (differences.isEmpty() ? "" : differences.get(0)));
    }

    /** Per session (proto, oriented tuple, occurrence): the columns a stream decides. */
    private static Map<String, String> conclusions(Path capture, Function<PacketHandler, PacketHandler> wrap)
            throws IOException {
        SessionOptions options = SessionOptions.defaults();
        FlowTable table = new FlowTable(options, ZeekConfig.defaults(options), 1);
        List<Session> closed = new ArrayList<>();
        table.addListener(b -> closed.addAll(b.closed()));
        try {
            Traces.feed(capture, true, wrap.apply(table));
        } catch (CaptureFormatException e) {
            // a damaged capture: what was read before the damage is compared
        }
        table.closeAll();
        Map<String, String> out = new LinkedHashMap<>();
        for (Session s : closed) {
            String key = Runs.key(s, true);
            int n = 0;
            while (out.containsKey(key + " #" + n)) {
                n++;
            }
            out.put(key + " #" + n, Resegmenter.streamConclusions(s));
        }
        return out;
    }
}
