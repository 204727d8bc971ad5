package org.weir.cli.internal;

import java.io.PrintStream;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

import org.weir.core.AnalysisResult;
import org.weir.core.IpAddress;
import org.weir.core.Session;
import org.weir.core.SessionBatch;
import org.weir.core.SessionListener;
import org.weir.core.Transport;
import org.weir.filter.SessionFilter;

/** Gathers the figures of the closing summary from the closed sessions (those a display filter passes). */
final class Summary implements SessionListener {

    private static final int TOP_TALKERS = 5;

    // Called for every closed session (hundreds of thousands per capture): counters are primitive, nothing is
    // boxed or allocated per session; the maps for printing are built once at the end.
    private final long[] byTransport = new long[Transport.values().length];
    private final Map<String, long[]> byState = new HashMap<>();
    /** Sessions by Zeek's {@code service}, {@code -} for none identified. */
    private final Map<String, long[]> byService = new HashMap<>();
    private final Talkers talkers = new Talkers();
    private final SessionFilter filter;
    private long sessions, closed, origIpBytes, respIpBytes, origPackets, respPackets;

    Summary(SessionFilter filter) {
        this.filter = filter;
    }

    @Override
    public void onSessions(SessionBatch batch) {
        for (Session s : batch.closed()) {
            closed++;
            if (!filter.test(s)) {
                continue;
            }
            sessions++;
            Transport t = s.transport();
            byTransport[(t == null ? Transport.UNKNOWN : t).ordinal()]++;
            byState.computeIfAbsent(s.connState(), k -> new long[1])[0]++;
            String service = s.service();
            byService.computeIfAbsent(service.isEmpty() ? "-" : service, k -> new long[1])[0]++;
            origIpBytes += s.origIpBytes();
            respIpBytes += s.respIpBytes();
            origPackets += s.origPackets();
            respPackets += s.respPackets();
            long total = s.origIpBytes() + s.respIpBytes();
            talkers.add(s.origHi(), s.origLo(), total);
            talkers.add(s.respHi(), s.respLo(), total);
        }
    }

    /**
     * IP bytes and sessions per address: open addressing over one primitive array, an entry's address, bytes and
     * count side by side (one cache line per probe rather than one per field). It holds every address of the
     * capture, so it is kept dense: filled to three quarters before it doubles.
     */
    static final class Talkers {
        private static final int STRIDE = 4, HI = 0, LO = 1, BYTES = 2, COUNT = 3;
        /** Entries of {@link #STRIDE} longs; a count of 0 marks a free slot. */
        private long[] t = new long[1024 * STRIDE];
        private int slots = 1024;
        private int size;

        void add(long h, long l, long b) {
            int i = find(t, slots, h, l);
            if (t[i + COUNT] == 0) {
                if ((size + 1) * 4 > slots * 3) { // a load of three quarters: a probe reads one line per slot
                    grow();
                    i = find(t, slots, h, l);
                }
                t[i + HI] = h;
                t[i + LO] = l;
                size++;
            }
            t[i + BYTES] += b;
            t[i + COUNT]++;
        }

        int size() {
            return size;
        }

        long hi(int i) {
            return t[i + HI];
        }

        long lo(int i) {
            return t[i + LO];
        }

        long bytes(int i) {
            return t[i + BYTES];
        }

        long count(int i) {
            return t[i + COUNT];
        }

        /** The index of the entry of the address, or of the free slot where it goes. */
        private static int find(long[] t, int slots, long h, long l) {
            int mask = slots - 1;
            long x = (h * 0x9E3779B97F4A7C15L ^ l) * 0xC2B2AE3D27D4EB4FL;
            int slot = (int) (x ^ (x >>> 32)) & mask;
            while (true) {
                int i = slot * STRIDE;
                if (t[i + COUNT] == 0 || (t[i + HI] == h && t[i + LO] == l)) {
                    return i;
                }
                slot = (slot + 1) & mask;
            }
        }

        private void grow() {
            long[] old = t;
            int n = slots * 2;
            long[] fresh = new long[n * STRIDE];
            for (int j = 0; j < old.length; j += STRIDE) {
                if (old[j + COUNT] != 0) {
                    int i = find(fresh, n, old[j + HI], old[j + LO]);
                    System.arraycopy(old, j, fresh, i, STRIDE);
                }
            }
            t = fresh;
            slots = n;
        }

        /**
         * Indexes of the {@code n} addresses with the most bytes, most first (ties: the lower address first). A scan
         * that keeps the best {@code n} in order: it runs at the end of the capture, when the heap is fullest, so it
         * neither boxes nor sorts the hundreds of thousands of entries.
         */
        int[] top(int n) {
            int[] best = new int[Math.min(n, size)];
            int found = 0;
            for (int i = 0; i < t.length && best.length > 0; i += STRIDE) {
                if (t[i + COUNT] == 0 || found == best.length && !before(i, best[found - 1])) {
                    continue; // a free slot, or not above the last of a full list
                }
                int j = found < best.length ? found++ : found - 1;
                for (; j > 0 && before(i, best[j - 1]); j--) {
                    best[j] = best[j - 1];
                }
                best[j] = i;
            }
            return best;
        }

        /** Whether entry {@code i} ranks above entry {@code k}: more bytes, then the lower address. */
        private boolean before(int i, int k) {
            if (bytes(i) != bytes(k)) {
                return bytes(i) > bytes(k);
            }
            int c = Long.compareUnsigned(hi(i), hi(k));
            return c != 0 ? c < 0 : Long.compareUnsigned(lo(i), lo(k)) < 0;
        }
    }

    void print(PrintStream out, AnalysisResult r, int files, double wallSeconds) {
        out.printf("%s packets (%s captured) from %d file%s in %s: %s packets/s%n", Format.count(r.frames()),
                Format.bytes(r.bytes()), files, files == 1 ? "" : "s", Format.seconds(wallSeconds),
                Format.rate(r.frames() / Math.max(wallSeconds, 1e-9)).trim());
        if (r.filteredOut() > 0) {
            out.printf("capture filter: %s of %s frames passed%n", Format.count(r.frames()),
                    Format.count(r.frames() + r.filteredOut()));
        }
        if (r.frames() > 0) {
            out.printf("capture span: %s to %s (%s)%n", Format.time(r.firstNanos()), Format.time(r.lastNanos()),
                    Format.seconds((r.lastNanos() - r.firstNanos()) / 1e9));
        }
        if (!filter.isAll()) {
            out.printf("display filter: %s of %s sessions passed '%s'%n", Format.count(sessions),
                    Format.count(closed), filter.expression());
        }
        Map<String, Long> transports = new TreeMap<>();
        for (Transport t : Transport.values()) {
            if (byTransport[t.ordinal()] > 0) {
                transports.put(t.zeekName(), byTransport[t.ordinal()]);
            }
        }
        out.printf("sessions: %s%s%n", Format.count(sessions), breakdown(transports));
        if (!byState.isEmpty()) {
            out.printf("conn_state: %s%n", entries(counts(byState)));
        }
        if (!byService.isEmpty()) {
            out.printf("service: %s%n", entries(counts(byService)));
        }
        out.printf("traffic: originators %s packets / %s IP, responders %s packets / %s IP%n",
                Format.count(origPackets), Format.bytes(origIpBytes), Format.count(respPackets),
                Format.bytes(respIpBytes));
        if (r.evicted() > 0) {
            out.printf("sessions closed early (live-session bound reached): %s%n", Format.count(r.evicted()));
        }
        if (talkers.size() > 0) {
            out.println("top talkers (IP bytes in their sessions):");
            for (int i : talkers.top(TOP_TALKERS)) {
                out.printf("  %-39s %12s  %s session%s%n", IpAddress.toString(talkers.hi(i), talkers.lo(i)),
                        Format.bytes(talkers.bytes(i)), Format.count(talkers.count(i)),
                        talkers.count(i) == 1 ? "" : "s");
            }
        }
        if (r.alerts() > 0) {
            out.printf("alerts: %s%n", Format.count(r.alerts()));
        }
        if (!r.decodeAnomalies().isEmpty()) {
            out.printf("decoder anomalies: %s%n", entries(new TreeMap<>(r.decodeAnomalies())));
        }
    }

    /** " (a 3, b 2)", most first; empty when there is nothing to count. */
    private static String breakdown(Map<String, Long> counts) {
        return counts.isEmpty() ? "" : " (" + entries(counts) + ")";
    }

    /** "a 3, b 2": the counts, most first (ties in the map's order). */
    private static String entries(Map<String, Long> counts) {
        StringBuilder sb = new StringBuilder();
        counts.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()).forEach(e -> {
            if (sb.length() > 0) {
                sb.append(", ");
            }
            sb.append(e.getKey()).append(' ').append(Format.count(e.getValue()));
        });
        return sb.toString();
    }

    /** The tallies of a per-session map, in key order. */
    private static Map<String, Long> counts(Map<String, long[]> tallies) {
        Map<String, Long> counts = new TreeMap<>();
        tallies.forEach((k, v) -> counts.put(k, v[0]));
        return counts;
    }
}
