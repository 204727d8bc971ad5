package org.weir.engine.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.weir.core.AnalysisOptions;
import org.weir.core.CaptureFormat;
import org.weir.core.FollowedStream;
import org.weir.core.PacketDecoderFactory;
import org.weir.core.PacketView;
import org.weir.core.ProgressMonitor;
import org.weir.core.Session;
import org.weir.core.SessionTableFactory;
import org.weir.core.StreamText;
import org.weir.testsupport.Corpus;
import org.weir.testsupport.Services;
import org.weir.testsupport.ZeekLog;

/**
 * Following a session's data, judged against Zeek: a TCP side's data and the gaps marked in it add up to Zeek's
 * {@code orig_bytes}/{@code resp_bytes} (its sequence space), the gaps to its {@code missed_bytes}, and a UDP side's
 * datagrams to its payload bytes; then the reassembly's rules on hand-made segments.
 */
class StreamFollowTest {

    private final Pipeline pipeline = new Pipeline(Services.all(CaptureFormat.class, 2),
            Services.get(PacketDecoderFactory.class), Services.get(SessionTableFactory.class), null);

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "core.tcp.rxmit-history/traces/wikipedia.pcap, core.tcp.rxmit-history/baseline/conn-2.log, C",
            "core.tcp.rxmit-history/traces/tcp/retransmit-fast009.pcap, core.tcp.rxmit-history/baseline/conn-1.log, C",
            "core.tcp.miss-end-data/traces/tcp/miss_end_data.pcap, core.tcp.miss-end-data/baseline/conn.log, b",
            "core.tcp.missing-syn/traces/tcp/missing-syn.pcap, core.tcp.missing-syn/baseline/conn.log, bC",
            "core.pppoe/traces/pppoe.pcap, core.pppoe/baseline/conn.log, ''",
            "core.vlan-mpls/traces/mixed-vlan-mpls.pcap, core.vlan-mpls/baseline/conn.log, bC",
            "core.tcp.flip-without-syn/traces/tcp/http-on-irc-port-missing-syn.pcapng, "
                    + "core.tcp.flip-without-syn/baseline/conn.log, ''"})
    void eachSideAddsUpToZeeksSizes(String trace, String baseline, String flags) throws IOException {
        Path capture = Corpus.resolve("zeek/" + trace);
        AnalysisOptions options = AnalysisOptions.defaults().withIgnoreChecksums(flags.contains("C"))
                .withBareZeek(flags.contains("b"));
        Map<String, Session> byKey = new HashMap<>();
        for (Session s : sessions(capture, options)) {
            byKey.put(s.transport().zeekName() + " " + s.origAddress() + ":" + s.origPort() + " > "
                    + s.respAddress() + ":" + s.respPort(), s);
        }
        int followed = 0;
        for (Map<String, String> record : ZeekLog.read(Corpus.resolve("zeek/" + baseline)).records()) {
            String proto = record.get("proto");
            if (!proto.equals("tcp") && !proto.equals("udp") || "-".equals(record.get("orig_bytes"))) {
                continue;
            }
            String key = ZeekLog.connKey(record);
            Session session = byKey.get(key);
            assertNotNull(session, key);
            FollowedStream stream = pipeline.followStream(List.of(capture), options, session.uid(), Long.MAX_VALUE,
                    ProgressMonitor.NONE);
            assertEquals(session.uid(), stream.session().uid());
            assertNull(stream.error());
            long[] data = new long[2], gaps = new long[2];
            for (FollowedStream.Chunk c : stream.chunks()) {
                int side = c.fromOriginator() ? 0 : 1;
                data[side] += c.data().length;
                gaps[side] += c.missingBytes();
            }
            assertEquals(stream.origBytes(), data[0], key);
            assertEquals(stream.respBytes(), data[1], key);
            assertEquals(Long.parseLong(record.get("orig_bytes")), data[0] + gaps[0], key + " originator");
            assertEquals(Long.parseLong(record.get("resp_bytes")), data[1] + gaps[1], key + " responder");
            if (proto.equals("tcp")) {
                assertEquals(Long.parseLong(record.get("missed_bytes")), gaps[0] + gaps[1], key + " missed");
            }
            followed++;
        }
        assertTrue(followed > 0);
    }

    @Test
    void anHttpExchangeReadsAsTheRequestThenTheResponse() throws IOException {
        FollowedStream stream = followFirstHttp(Long.MAX_VALUE);
        FollowedStream.Chunk request = stream.chunks().get(0), response = stream.chunks().get(1);
        assertTrue(request.fromOriginator());
        assertTrue(new String(request.data(), StandardCharsets.ISO_8859_1).startsWith("GET /"));
        assertFalse(response.fromOriginator());
        assertTrue(new String(response.data(), StandardCharsets.ISO_8859_1).startsWith("HTTP/1."));
        assertTrue(request.timestampNanos() <= response.timestampNanos());
    }

    @Test
    void aLimitKeepsTheFirstBytesAndCountsTheRest() throws IOException {
        FollowedStream all = followFirstHttp(Long.MAX_VALUE), cut = followFirstHttp(10);
        assertEquals(1, cut.chunks().size());
        assertEquals(new String(all.chunks().get(0).data(), 0, 10, StandardCharsets.ISO_8859_1),
                new String(cut.chunks().get(0).data(), StandardCharsets.ISO_8859_1));
        assertEquals(all.origBytes() + all.respBytes() - 10, cut.omittedBytes());
        assertEquals(all.origBytes(), cut.origBytes());
    }

    @Test
    void oneSidesDataIsWhatItSentAndAHexDumpCountsEachSidesOffsets() {
        StreamFollow.Assembly a = new StreamFollow.Assembly(Long.MAX_VALUE);
        a.add(tcp(true, 0x02, 100, 0, ""));
        a.add(tcp(false, 0x12, 500, 101, ""));
        a.add(tcp(true, 0x10, 101, 501, "GET /\r\n"));
        a.add(tcp(false, 0x10, 501, 108, "HTTP/1.1 200 OK\r\n\r\n"));
        a.add(tcp(false, 0x10, 526, 108, "body")); // 520..525 never captured; the client acknowledges them below
        a.add(tcp(true, 0x10, 108, 530, "GET /2"));
        FollowedStream s = a.result(null, false, null);
        assertEquals("HTTP/1.1 200 OK\r\n\r\nbody", new String(s.data(false, true), StandardCharsets.ISO_8859_1));
        assertEquals("GET /\r\nGET /2", new String(s.data(true, false), StandardCharsets.ISO_8859_1));
        assertEquals(7 + 19 + 4 + 6, s.data(true, true).length);
        List<String> hex = StreamText.HEX.pieces(s);
        assertEquals("00000000  47 45 54 20 2f 0d 0a" + " ".repeat(3 * 9 + 1) + "  GET /..\n", hex.get(0));
        // Offsets in each side's data: the responder's "body" comes after its 19 bytes and the 6 missing.
        assertEquals(List.of("00000000", "00000000", "[6 bytes", "00000019", "00000007"),
                hex.stream().map(h -> h.substring(0, 8)).toList());
        assertEquals(List.of("GET /\n", "HTTP/1.1 200 OK\n\n", "[6 bytes missing in capture file]\n", "body",
                "GET /2"), StreamText.ASCII.pieces(s));
    }

    @Test
    void anUnknownUidFindsNothing() throws IOException {
        Path capture = Corpus.resolve("zeek/core.pppoe/traces/pppoe.pcap");
        FollowedStream stream = pipeline.followStream(List.of(capture), AnalysisOptions.defaults(), "Cnope",
                Long.MAX_VALUE, ProgressMonitor.NONE);
        assertNull(stream.session());
        assertTrue(stream.chunks().isEmpty());
    }

    @Test
    void aStreamCannotBeReadAgain(@TempDir Path tmp) throws IOException {
        Path fifo = tmp.resolve("fifo");
        Files.createDirectory(fifo); // not a regular file, as a named pipe is not
        assertThrows(IllegalArgumentException.class, () -> pipeline.followStream(List.of(Path.of("-")),
                AnalysisOptions.defaults(), "C1", 100, ProgressMonitor.NONE));
        assertThrows(IllegalArgumentException.class, () -> pipeline.followStream(List.of(fifo),
                AnalysisOptions.defaults(), "C1", 100, ProgressMonitor.NONE));
    }

    // --- The reassembly on hand-made segments: client 10.0.0.1:1000, server 10.0.0.2:80. ---

    @Test
    void segmentsComeOutInSequenceOrderOnce() {
        StreamFollow.Assembly a = new StreamFollow.Assembly(Long.MAX_VALUE);
        a.add(tcp(true, 0x02, 100, 0, "")); // SYN: data begins at 101
        a.add(tcp(false, 0x12, 500, 101, ""));
        a.add(tcp(true, 0x10, 106, 501, "world")); // early: held
        a.add(tcp(true, 0x10, 101, 501, "hello")); // fills the gap
        a.add(tcp(true, 0x10, 101, 501, "hello")); // a retransmission
        a.add(tcp(true, 0x10, 108, 501, "rld!")); // overlaps: only "!" is new
        a.add(tcp(false, 0x10, 501, 112, "ok"));
        FollowedStream s = a.result(null, false, null);
        assertEquals(List.of("> helloworld!", "< ok"), text(s));
        assertEquals(11, s.origBytes());
        assertEquals(2, s.respBytes());
    }

    @Test
    void aGapTheOtherSideAcknowledgedIsMarkedMissing() {
        StreamFollow.Assembly a = new StreamFollow.Assembly(Long.MAX_VALUE);
        a.add(tcp(true, 0x02, 100, 0, ""));
        a.add(tcp(false, 0x12, 500, 101, ""));
        a.add(tcp(true, 0x10, 101, 501, "abc"));
        a.add(tcp(true, 0x10, 109, 501, "xyz")); // 104..108 never captured
        a.add(tcp(false, 0x10, 501, 104, "ok")); // the server has not had them either: they may still come
        assertEquals(List.of("> abc", "< ok", "> [5 missing]", "> xyz"), text(a.result(null, false, null)));
        a = new StreamFollow.Assembly(Long.MAX_VALUE);
        a.add(tcp(true, 0x02, 100, 0, ""));
        a.add(tcp(false, 0x12, 500, 101, ""));
        a.add(tcp(true, 0x10, 101, 501, "abc"));
        a.add(tcp(true, 0x10, 109, 501, "xyz"));
        a.add(tcp(false, 0x10, 501, 112, "")); // the server has them all: the capture missed 5 bytes
        a.add(tcp(false, 0x10, 501, 112, "ok"));
        FollowedStream s = a.result(null, false, null);
        assertEquals(List.of("> abc", "> [5 missing]", "> xyz", "< ok"), text(s));
    }

    @Test
    void theEndOfACaptureGivesUpWhatStillWaits() {
        StreamFollow.Assembly a = new StreamFollow.Assembly(Long.MAX_VALUE);
        a.add(tcp(true, 0x10, 1000, 1, "abc")); // no SYN: the first segment begins the stream
        a.add(tcp(true, 0x10, 1010, 1, "xyz"));
        a.add(tcp(true, 0x11, 1013, 1, "")); // FIN
        assertEquals(List.of("> abc", "> [7 missing]", "> xyz"), text(a.result(null, false, null)));
    }

    @Test
    void aSynAckTellsWhereTheOtherSidesDataBeginsWhenItsSynIsMissing() {
        StreamFollow.Assembly a = new StreamFollow.Assembly(Long.MAX_VALUE);
        a.add(tcp(false, 0x12, 500, 101, "")); // the client's SYN (100) is not in the capture
        a.add(tcp(true, 0x10, 104, 501, "d")); // nor are its first three bytes
        a.add(tcp(true, 0x11, 105, 501, "")); // FIN
        assertEquals(List.of("< [3 missing]", "< d"), text(a.result(null, false, null)));
    }

    @Test
    void aSideTheCaptureNeverSawHasNoGapsMadeOfAcknowledgements() {
        // Only the server's side was captured: it acknowledges 52 bytes and a FIN, or 53 bytes; nobody can tell.
        StreamFollow.Assembly a = new StreamFollow.Assembly(Long.MAX_VALUE);
        a.add(tcp(false, 0x12, 500, 101, ""));
        a.add(tcp(false, 0x10, 501, 153, ""));
        a.add(tcp(false, 0x11, 501, 154, ""));
        assertEquals(List.of(), text(a.result(null, false, null)));
    }

    @Test
    void sequenceNumbersWrap() {
        StreamFollow.Assembly a = new StreamFollow.Assembly(Long.MAX_VALUE);
        a.add(tcp(true, 0x02, 0xFFFF_FFFDL, 0, ""));
        a.add(tcp(true, 0x10, 0xFFFF_FFFEL, 1, "ab"));
        a.add(tcp(true, 0x10, 0, 1, "cd"));
        a.add(tcp(true, 0x10, 2, 1, "ef"));
        assertEquals(List.of("> abcdef"), text(a.result(null, false, null)));
    }

    @Test
    void theSessionsOriginatorNamesTheSides() throws IOException {
        // The first packet seen is the server's (a SYN-ACK first): the session, as it closed, says who began.
        Path capture = Corpus.resolve("zeek/core.tcp.flip-without-syn/traces/tcp/http-on-irc-port-missing-syn.pcapng");
        Session s = sessions(capture, AnalysisOptions.defaults()).get(0);
        FollowedStream stream = pipeline.followStream(List.of(capture), AnalysisOptions.defaults(), s.uid(),
                Long.MAX_VALUE, ProgressMonitor.NONE);
        FollowedStream.Chunk first = stream.chunks().stream().filter(c -> !c.isGap()).findFirst().orElseThrow();
        String text = new String(first.data(), StandardCharsets.ISO_8859_1);
        assertEquals(text.startsWith("HTTP/"), !first.fromOriginator(), text);
    }

    /** The first HTTP session of wikipedia.pcap, followed. */
    private FollowedStream followFirstHttp(long maxBytes) throws IOException {
        Path capture = Corpus.resolve("zeek/core.tcp.rxmit-history/traces/wikipedia.pcap");
        Session http = sessions(capture, AnalysisOptions.defaults()).stream()
                .filter(s -> "http".equals(s.service())).findFirst().orElseThrow();
        return pipeline.followStream(List.of(capture), AnalysisOptions.defaults(), http.uid(), maxBytes,
                ProgressMonitor.NONE);
    }

    private List<Session> sessions(Path capture, AnalysisOptions options) throws IOException {
        List<Session> closed = Collections.synchronizedList(new ArrayList<>());
        pipeline.analyze(List.of(capture), options, batch -> closed.addAll(batch.closed()), alert -> {
        }, ProgressMonitor.NONE);
        return closed;
    }

    private static PacketView tcp(boolean fromClient, int flags, long seq, long ack, String payload) {
        byte[] bytes = payload.getBytes(StandardCharsets.ISO_8859_1);
        PacketView v = new PacketView();
        v.protocol = 6;
        v.srcLo = fromClient ? 0x0A00_0001L : 0x0A00_0002L;
        v.srcPort = fromClient ? 1000 : 80;
        v.tcpFlags = flags;
        v.tcpSeq = seq;
        v.tcpAck = ack;
        v.data = new byte[bytes.length + 7];
        System.arraycopy(bytes, 0, v.data, 7, bytes.length);
        v.payloadOffset = 7;
        v.payloadLength = v.payloadCapturedLength = bytes.length;
        return v;
    }

    /** "> text" for the side seen first, "< text" for the other, "> [n missing]" for a gap. */
    private static List<String> text(FollowedStream s) {
        List<String> lines = new ArrayList<>();
        for (FollowedStream.Chunk c : s.chunks()) {
            lines.add((c.fromOriginator() ? "> " : "< ")
                    + (c.isGap() ? "[" + c.missingBytes() + " missing]"
                            : new String(c.data(), StandardCharsets.ISO_8859_1)));
        }
        return lines;
    }
}
