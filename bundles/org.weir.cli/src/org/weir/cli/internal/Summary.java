package org.weir.cli.internal;

import java.io.PrintStream;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

import org.weir.core.AnalysisResult;
import org.weir.core.IpAddress;
import org.weir.core.Session;
import org.weir.core.SessionBatch;
import org.weir.core.SessionListener;

/** Gathers the figures of the closing summary from the closed sessions. */
final class Summary implements SessionListener {

    private static final int TOP_TALKERS = 5;

    private final Map<String, Long> byTransport = new TreeMap<>();
    private final Map<String, Long> byState = new TreeMap<>();
    private final Map<Talker, long[]> talkers = new HashMap<>();
    private long sessions, origIpBytes, respIpBytes, origPackets, respPackets;

    private record Talker(long hi, long lo) {
    }

    @Override
    public void onSessions(SessionBatch batch) {
        for (Session s : batch.closed()) {
            sessions++;
            byTransport.merge(s.transport().zeekName(), 1L, Long::sum);
            byState.merge(s.connState(), 1L, Long::sum);
            origIpBytes += s.origIpBytes();
            respIpBytes += s.respIpBytes();
            origPackets += s.origPackets();
            respPackets += s.respPackets();
            long total = s.origIpBytes() + s.respIpBytes();
            add(new Talker(s.origHi(), s.origLo()), total);
            add(new Talker(s.respHi(), s.respLo()), total);
        }
    }

    private void add(Talker t, long bytes) {
        long[] v = talkers.computeIfAbsent(t, k -> new long[2]);
        v[0] += bytes;
        v[1]++;
    }

    void print(PrintStream out, AnalysisResult r, int files, double wallSeconds) {
        out.printf("%s packets (%s captured) from %d file%s in %s: %s packets/s%n", Format.count(r.frames()),
                Format.bytes(r.bytes()), files, files == 1 ? "" : "s", Format.seconds(wallSeconds),
                Format.rate(r.frames() / Math.max(wallSeconds, 1e-9)).trim());
        if (r.frames() > 0) {
            out.printf("capture span: %s to %s (%s)%n", Format.time(r.firstNanos()), Format.time(r.lastNanos()),
                    Format.seconds((r.lastNanos() - r.firstNanos()) / 1e9));
        }
        out.printf("sessions: %s%s%n", Format.count(sessions), breakdown(byTransport));
        if (!byState.isEmpty()) {
            out.printf("conn_state:%s%n", breakdown(byState).replace(" (", " ").replace(")", ""));
        }
        out.printf("traffic: originators %s packets / %s IP, responders %s packets / %s IP%n",
                Format.count(origPackets), Format.bytes(origIpBytes), Format.count(respPackets),
                Format.bytes(respIpBytes));
        if (r.evicted() > 0) {
            out.printf("sessions closed early (live-session bound reached): %s%n", Format.count(r.evicted()));
        }
        if (!talkers.isEmpty()) {
            out.println("top talkers (IP bytes in their sessions):");
            talkers.entrySet().stream()
                    .sorted(Comparator.comparingLong((Map.Entry<Talker, long[]> e) -> e.getValue()[0]).reversed())
                    .limit(TOP_TALKERS)
                    .forEach(e -> out.printf("  %-39s %12s  %s session%s%n",
                            IpAddress.toString(e.getKey().hi(), e.getKey().lo()), Format.bytes(e.getValue()[0]),
                            Format.count(e.getValue()[1]), e.getValue()[1] == 1 ? "" : "s"));
        }
        if (!r.decodeAnomalies().isEmpty()) {
            out.printf("decoder anomalies:%s%n", breakdown(new TreeMap<>(r.decodeAnomalies())).replace(" (", " ")
                    .replace(")", ""));
        }
    }

    private static String breakdown(Map<String, Long> counts) {
        if (counts.isEmpty()) {
            return "";
        }
        StringBuilder sb = new StringBuilder(" (");
        counts.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()).forEach(e -> {
            if (sb.length() > 2) {
                sb.append(", ");
            }
            sb.append(e.getKey()).append(' ').append(Format.count(e.getValue()));
        });
        return sb.append(')').toString();
    }
}
