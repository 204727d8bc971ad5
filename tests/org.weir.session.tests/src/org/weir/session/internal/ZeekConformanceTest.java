package org.weir.session.internal;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.weir.core.Session;
import org.weir.session.internal.Cases.ZeekCase;
import org.weir.testsupport.Corpus;

/**
 * Every conn.log baseline of the Zeek corpus against the table: records are matched by proto and oriented 4-tuple
 * (a record with the wrong orientation therefore counts as missing, and ours as extra), then compared column by
 * column on the columns Zeek's conn.log derives from connection tracking and on {@code service} (the DNS, NTP and
 * HTTP analyzers' confirmations).
 */
class ZeekConformanceTest {

    static final List<String> COLUMNS = List.of("service", "duration", "orig_bytes", "resp_bytes", "conn_state", "missed_bytes",
            "history", "orig_pkts", "orig_ip_bytes", "resp_pkts", "resp_ip_bytes", "vlan", "inner_vlan", "orig_l2_addr",
            "resp_l2_addr");

    /** The fraction of equal cells achieved; the test fails when a change makes it drop. */
    static final double FLOOR = 1.0;

    @Test
    void connLogsMatchZeek() throws IOException {
        long equal = 0, total = 0;
        StringBuilder report = new StringBuilder();
        report.append(String.format("%-52s %-30s %9s %12s%n", "case", "log", "records", "cells"));
        List<String> differences = new ArrayList<>();
        for (ZeekCase zc : Cases.all()) {
            Baseline base = Baseline.read(Corpus.resolve(zc.logPath()));
            List<Session> ours = Runs.run(zc.tracePath(), zc.ignoreChecksums(), zc.setup());
            List<String> cols = base.fields().stream().filter(COLUMNS::contains).toList();
            boolean withProto = base.fields().contains("proto");
            boolean[] used = new boolean[ours.size()];
            long caseEqual = 0, caseTotal = 0;
            int matched = 0;
            for (Map<String, String> row : base.rows()) {
                int m = -1;
                String key = null;
                if (base.hasIds()) {
                    key = (withProto ? row.get("proto") + " " : "") + row.get("id.orig_h") + ":" + row.get("id.orig_p")
                            + " > " + row.get("id.resp_h") + ":" + row.get("id.resp_p");
                    for (int i = 0; i < ours.size() && m < 0; i++) {
                        if (!used[i] && Runs.key(ours.get(i), withProto).equals(key)) {
                            m = i;
                        }
                    }
                } else {
                    // uid-only cut: the records in order
                    for (int i = 0; i < ours.size() && m < 0; i++) {
                        if (!used[i]) {
                            m = i;
                        }
                    }
                    key = "#" + (m + 1);
                }
                caseTotal += cols.size();
                if (m < 0) {
                    differences.add(zc.name() + " " + zc.log() + ": missing " + key + " " + row);
                    continue;
                }
                used[m] = true;
                matched++;
                Session s = ours.get(m);
                for (String c : cols) {
                    String want = row.get(c), got = Runs.value(s, c);
                    if (want.equals(got)) {
                        caseEqual++;
                    } else {
                        differences.add(zc.name() + " " + zc.log() + ": " + key + " " + c + " zeek=" + want + " weir="
                                + got);
                    }
                }
            }
            for (int i = 0; i < ours.size(); i++) {
                if (!used[i]) {
                    caseTotal += cols.size();
                    Session s = ours.get(i);
                    differences.add(zc.name() + " " + zc.log() + ": extra " + Runs.key(s, true) + " " + s.history()
                            + " " + s.connState() + " " + s.origPackets() + "/" + s.respPackets());
                }
            }
            report.append(String.format("%-52s %-30s %4d/%-4d %5d/%-5d%n", zc.name(), zc.log(), matched,
                    base.rows().size(), caseEqual, caseTotal));
            equal += caseEqual;
            total += caseTotal;
        }
        double fraction = total == 0 ? 0 : (double) equal / total;
        report.append(String.format("TOTAL %d/%d cells equal (%.2f %%)%n", equal, total, 100 * fraction));
        System.out.println(report);
        differences.forEach(d -> System.out.println("  " + d));
        assertTrue(fraction >= FLOOR, "conformance dropped to " + fraction + " (floor " + FLOOR + ")");
    }
}
