package org.weir.filter.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.weir.core.AnalysisOptions;
import org.weir.core.CaptureFormat;
import org.weir.core.PacketDecoderFactory;
import org.weir.core.Session;
import org.weir.core.SessionTableFactory;
import org.weir.core.IpAddress;
import org.weir.core.Subnet;
import org.weir.filter.SessionFilter;
import org.weir.testsupport.Captures;
import org.weir.testsupport.Corpus;
import org.weir.testsupport.Services;
import org.weir.testsupport.ZeekLog;

/**
 * A filter picks the sessions whose conn.log records satisfy it: the sessions of a real trace (Zeek's wikipedia.pcap,
 * analysed by the real pipeline as {@code zeek -C} read it) are filtered, and the same condition, written here by
 * hand over the text of Zeek's own conn.log of that trace, must pick the same connections (by 5-tuple). Unset
 * values ({@code -}), sets and case are where a filter could disagree with what a person reads in conn.log.
 */
class ConnLogAgreementTest {

    private static final String CASE = "zeek/core.tcp.rxmit-history/";
    private static final List<Session> SESSIONS = new ArrayList<>();
    private static List<Map<String, String>> records;

    @BeforeAll
    static void analyse() throws Exception {
        records = ZeekLog.read(Corpus.resolve(CASE + "baseline/conn-2.log")).records();
        Path trace = Corpus.resolve(CASE + "traces/wikipedia.pcap");
        Captures.analyze(Services.all(CaptureFormat.class, 2), Services.get(PacketDecoderFactory.class),
                Services.get(SessionTableFactory.class), List.of(), trace,
                AnalysisOptions.defaults().withIgnoreChecksums(true), batch -> SESSIONS.addAll(batch.closed()),
                alert -> {
                });
        assertEquals(records.size(), SESSIONS.size(), "sessions of the trace");
    }

    private static void agree(String expression, Predicate<Map<String, String>> byHand) throws Exception {
        SessionFilter filter = SessionFilter.compile(expression);
        Set<String> filtered = new TreeSet<>();
        for (Session s : SESSIONS) {
            if (filter.test(s)) {
                filtered.add(s.transport().zeekName() + " " + s.origAddress() + ":" + s.origPort() + " > "
                        + s.respAddress() + ":" + s.respPort());
            }
        }
        Set<String> expected = new TreeSet<>();
        for (Map<String, String> r : records) {
            if (byHand.test(r)) {
                expected.add(ZeekLog.connKey(r));
            }
        }
        // A condition that picks none or all of them would not show a difference.
        assertTrue(!expected.isEmpty() && expected.size() < records.size(),
                expression + " picks " + expected.size() + " of " + records.size() + " records");
        assertEquals(expected, filtered, expression);
    }

    private static boolean unset(Map<String, String> r, String column) {
        return r.get(column).equals("-");
    }

    private static long number(Map<String, String> r, String column) {
        return Long.parseLong(r.get(column));
    }

    private static boolean inNetwork(String address, String network) {
        long[] a = new long[2];
        IpAddress.parse(address, a);
        return Subnet.parse(network).contains(a[0], a[1]);
    }

    @Test
    void transportsAndServices() throws Exception {
        agree("udp && service == dns", r -> r.get("proto").equals("udp") && r.get("service").equals("dns"));
        agree("tcp and !service", r -> r.get("proto").equals("tcp") && unset(r, "service"));
        agree("service != dns", r -> !unset(r, "service") && !r.get("service").equals("dns"));
    }

    @Test
    void statesAndHistories() throws Exception {
        agree("conn_state in {S0 SH OTH}", r -> Set.of("S0", "SH", "OTH").contains(r.get("conn_state")));
        agree("history matches \"^ShAD\"", r -> r.get("history").startsWith("ShAD"));
        agree("history contains \"D\" && !(history contains \"d\")",
                r -> r.get("history").contains("D") && !r.get("history").contains("d"));
    }

    @Test
    void countsWithTheirUnsetValues() throws Exception {
        agree("orig_bytes > 100", r -> !unset(r, "orig_bytes") && number(r, "orig_bytes") > 100);
        agree("!(resp_bytes >= 1)", r -> unset(r, "resp_bytes") || number(r, "resp_bytes") < 1);
        agree("duration > 0.01", r -> !unset(r, "duration")
                && new BigDecimal(r.get("duration")).compareTo(new BigDecimal("0.01")) > 0);
        agree("resp_pkts == 0 || orig_ip_bytes < 100",
                r -> number(r, "resp_pkts") == 0 || number(r, "orig_ip_bytes") < 100);
    }

    @Test
    void addressesPortsAndLocality() throws Exception {
        agree("addr == 141.142.220.0/24 and port == 80",
                r -> (inNetwork(r.get("id.orig_h"), "141.142.220.0/24")
                        || inNetwork(r.get("id.resp_h"), "141.142.220.0/24"))
                        && (r.get("id.orig_p").equals("80") || r.get("id.resp_p").equals("80")));
        agree("id.resp_h == ff02::/16 || id.resp_h == 224.0.0.0/4", r -> r.get("id.resp_h").startsWith("ff02:")
                || inNetwork(r.get("id.resp_h"), "224.0.0.0/4"));
        agree("local_resp && !local_orig", r -> r.get("local_resp").equals("T") && r.get("local_orig").equals("F"));
        agree("id.resp_p in {1..1023}", r -> number(r, "id.resp_p") <= 1023 && number(r, "id.resp_p") >= 1);
    }
}
