package org.weir.detect.rules.internal;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.osgi.service.component.annotations.Component;
import org.weir.core.IpAddress;
import org.weir.core.PacketView;
import org.weir.core.Session;
import org.weir.core.SessionBatch;
import org.weir.detect.AlertSink;
import org.weir.detect.Detector;
import org.weir.detect.DetectorInfo;
import org.weir.detect.DetectorRun;
import org.weir.detect.PacketInterest;
import org.weir.detect.Parameter;
import org.weir.detect.ParameterReader;
import org.weir.detect.Severity;

/**
 * DNS tunnelling: a client carrying data in query names to one domain. Per (client, registered domain) it counts,
 * in a sliding window, queries, names that look encoded ({@link DnsNameClassifier}), distinct names and queries for
 * record types that carry bulk data back (NULL, TXT, private types). Tunnels also send many short polling names
 * that look harmless one by one, so the verdict is per domain, not per name.
 */
@Component(service = Detector.class)
public final class DnsTunnelDetector extends RuleDetector {

    public static final String ID = "dns_tunnel";

    private final int bound;

    public DnsTunnelDetector() {
        this(0);
    }

    /** @param bound entries of each of a run's bounded tables, instead of the normal bounds when positive (tests) */
    DnsTunnelDetector(int bound) {
        super(new DetectorInfo(ID, "DNS tunnelling", "Exfiltration / command and control", Severity.HIGH,
                "Per client and registered domain within the window: min_encoded query names that look like "
                        + "encoded data (non-hostname characters, mixed-case base64-like labels, long high-entropy "
                        + "labels), or min_queries queries of which most are distinct names, or min_null NULL/"
                        + "private-type queries, or min_txt TXT queries to distinct names.",
                List.of(new Parameter("window", "duration", "60", "sliding window length"),
                        new Parameter("min_encoded", "int", "5", "encoded-looking names to one domain"),
                        new Parameter("min_queries", "int", "100", "queries to one domain, most of them distinct"),
                        new Parameter("min_unique_share", "double", "0.5",
                                "share of distinct names among min_queries queries"),
                        new Parameter("min_txt", "int", "30", "TXT queries to distinct names of one domain"),
                        new Parameter("min_null", "int", "3", "NULL or private-type queries to one domain"),
                        new Parameter("long_label", "int", "24",
                                "label length from which high entropy marks encoded data"),
                        new Parameter("min_entropy", "double", "3.5",
                                "bits per character of near-uniform (encoded) labels"))));
        this.bound = bound;
    }

    @Override
    public DetectorRun start(Map<String, String> parameters, AlertSink sink) {
        return new Run(read(parameters, sink), sink, bound);
    }

    private record Pair(long clientHi, long clientLo, long serverHi, long serverLo) {
    }

    static final class Run implements DetectorRun {
        // Entry fields: window start, then one Windows counter each; then the rest. An IPv4 client's entry (in
        // its own table) ends after SERVER_LO: its client is its key's first long and its server is IPv4 too.
        private static final int START = 0, QUERIES = 0, ENCODED = 1, TXT = 2, NULLS = 3, BYTES = 4, COUNTERS = 5;
        private static final int UNIQUE = 1 + COUNTERS, ACTIVE_UNTIL = UNIQUE + 1, UNIQUE_TXT = UNIQUE + 2,
                SERVER_LO = UNIQUE + 3, V4_WIDTH = UNIQUE + 4, SERVER_HI = V4_WIDTH, CLIENT_HI = V4_WIDTH + 1,
                CLIENT_LO = V4_WIDTH + 2, WIDTH = V4_WIDTH + 3;
        /** Entries (client and domain pairs) remembered at most; queries of further new pairs are not counted. */
        private static final int MAX_ENTRIES = 1 << 20;
        private final int maxEntries;
        /** Queries not counted because their (client, domain) pair was new when there were maxEntries. */
        private long untracked;

        private final AlertSink sink;
        private final long window;
        private final int minEncoded, minQueries, minTxt, minNull;
        private final double minUniqueShare;
        private final DnsQuestion q = new DnsQuestion();
        final DnsNameClassifier classifier;
        /** By (IPv4 client, domain hash). */
        private final KeyTable v4Domains;
        /** By (other client folded into one long, domain hash). */
        private final KeyTable domains;
        /**
         * Each domain's text once, by its hash: many clients query the same domains. When it is full a new entry
         * makes its own copy of the text: more memory, nothing lost.
         */
        private final KeyTable domainTexts = new KeyTable(0, 1 << 16);
        private final Set<Pair> flagged = new HashSet<>();
        private long now;
        /**
         * A lower bound of every entry's window START (which only moves forward or to a packet's time): while no
         * window can be stale, housekeeping skips the table scan.
         */
        private long oldest = Long.MAX_VALUE, scanOldest;
        private final KeyTable.Keep live;

        Run(ParameterReader p, AlertSink sink, int bound) {
            this.sink = sink;
            this.maxEntries = bounded(bound, MAX_ENTRIES);
            this.v4Domains = new KeyTable(V4_WIDTH, maxEntries);
            this.domains = new KeyTable(WIDTH, maxEntries);
            this.window = p.nanos("window");
            this.minEncoded = p.intValue("min_encoded");
            this.minQueries = p.intValue("min_queries");
            this.minUniqueShare = p.doubleValue("min_unique_share");
            this.minTxt = p.intValue("min_txt");
            this.minNull = p.intValue("min_null");
            this.classifier = new DnsNameClassifier(p.intValue("long_label"), p.doubleValue("min_entropy"));
            this.live = (t, s) -> {
                if (t.get(s, ACTIVE_UNTIL) > now || now - t.get(s, START) < 2 * window) {
                    scanOldest = Math.min(scanOldest, t.get(s, START));
                    return true;
                }
                return false;
            };
        }

        @Override
        public Set<PacketInterest> packetInterests() {
            return Set.of(PacketInterest.DNS);
        }

        @Override
        public void onPacket(PacketView p) {
            if (p.dstPort != 53 || !q.parse(p) || q.response || q.opcode != 0) {
                return;
            }
            long t = p.timestampNanos;
            now = t;
            if (t < oldest) {
                oldest = t;
            }
            int parent = q.parentLabels();
            // Key: client address (folded into one long unless IPv4) with the domain's hash (collisions only merge
            // two domains' counts).
            boolean v4 = IpAddress.isV4(p.srcHi, p.srcLo) && IpAddress.isV4(p.dstHi, p.dstLo);
            KeyTable table = v4 ? v4Domains : domains;
            long k1 = p.srcLo ^ Long.rotateLeft(p.srcHi, 17);
            long k2 = q.suffixHash(parent);
            int s = v4Domains.size() + domains.size() < maxEntries ? table.put(k1, k2) : table.get(k1, k2);
            if (s < 0) {
                untracked++; // bounded memory, reported at the end
                return;
            }
            if (table.object(s) == null) {
                table.object(s, domainText(k2, parent)); // once per new (client, domain)
                if (!v4) {
                    table.set(s, CLIENT_HI, p.srcHi);
                    table.set(s, CLIENT_LO, p.srcLo);
                }
            }
            if (!v4) {
                table.set(s, SERVER_HI, p.dstHi);
            }
            table.set(s, SERVER_LO, p.dstLo);
            long start = table.get(s, START);
            if (start != 0 && t - start >= window) {
                // Distinct names are per window (docs/DETECTION.md): the sketches start afresh with each window,
                // as they cannot be split into a previous and a current part like the counters.
                table.set(s, UNIQUE, 0);
                table.set(s, UNIQUE_TXT, 0);
            }
            Windows.roll(table, s, START, COUNTERS, t, window);
            Windows.add(table, s, START, QUERIES, 1);
            Windows.add(table, s, START, BYTES, q.nameLength);
            long nameHash = q.nameHash();
            table.set(s, UNIQUE, KeyTable.sketch(table.get(s, UNIQUE), nameHash, 0));
            boolean encoded = classifier.suspicious(q);
            if (encoded) {
                Windows.add(table, s, START, ENCODED, 1);
            }
            int type = q.qtype;
            if (type == 16) {
                Windows.add(table, s, START, TXT, 1);
                table.set(s, UNIQUE_TXT, KeyTable.sketch(table.get(s, UNIQUE_TXT), nameHash, 0));
            } else if (type == 10 || type >= 65280 && type <= 65534) {
                Windows.add(table, s, START, NULLS, 1);
            }
            if (table.get(s, ACTIVE_UNTIL) > t) {
                table.set(s, ACTIVE_UNTIL, t + window);
                return;
            }
            check(table, v4, s, t, encoded);
        }

        /** The text of the domain with this hash: made once per domain, shared by its clients' entries. */
        private String domainText(long hash, int parent) {
            int d = domainTexts.put(hash, 0);
            if (d < 0) {
                return q.suffixText(parent);
            }
            String text = (String) domainTexts.object(d);
            if (text == null) {
                text = q.suffixText(parent);
                domainTexts.object(d, text);
            }
            return text;
        }

        private void check(KeyTable table, boolean v4, int s, long t, boolean encodedNow) {
            double queries = Windows.estimate(table, s, START, QUERIES, t, window);
            double encoded = Windows.estimate(table, s, START, ENCODED, t, window);
            double txt = Windows.estimate(table, s, START, TXT, t, window);
            double nulls = Windows.estimate(table, s, START, NULLS, t, window);
            double unique = KeyTable.distinct(table.get(s, UNIQUE));
            double uniqueTxt = KeyTable.distinct(table.get(s, UNIQUE_TXT));
            String reason;
            if (encoded >= minEncoded) {
                reason = Math.round(encoded) + " query names that look like encoded data";
            } else if (nulls >= minNull) {
                reason = Math.round(nulls) + " NULL/private-type queries";
            } else if (txt >= minTxt && uniqueTxt >= minTxt * minUniqueShare) {
                reason = Math.round(txt) + " TXT queries for distinct names";
            } else if (queries >= minQueries && unique >= Math.min(queries, 200) * minUniqueShare) {
                reason = Math.round(queries) + " queries for mostly distinct names";
            } else {
                return;
            }
            table.set(s, ACTIVE_UNTIL, t + window);
            long ch = v4 ? 0 : table.get(s, CLIENT_HI), cl = v4 ? table.key1(s) : table.get(s, CLIENT_LO);
            long sh = v4 ? 0 : table.get(s, SERVER_HI), sl = table.get(s, SERVER_LO);
            flagged.add(new Pair(ch, cl, sh, sl));
            String client = addr(ch, cl);
            String domain = (String) table.object(s);
            sink.raise(alert(ID, "dns_tunnel", Severity.HIGH, t, client, domain,
                    client + " appears to tunnel data through DNS names under " + domain + ": " + reason + " within "
                            + seconds(window) + " s",
                    evidence("queries_in_window", Math.round(queries), "encoded_names", Math.round(encoded),
                            "distinct_names_est", Math.round(unique), "txt_queries", Math.round(txt),
                            "null_queries", Math.round(nulls), "name_bytes_in_window",
                            Math.round(Windows.estimate(table, s, START, BYTES, t, window)), "resolver",
                            addr(sh, sl), "sample_name", q.nameText(), "sample_entropy",
                            round(classifier.entropy, 2), "sample_encoded", encodedNow),
                    List.of()));
        }

        @Override
        public void onSessions(SessionBatch batch) {
            if (flagged.isEmpty()) {
                return;
            }
            tag(batch.opened());
            tag(batch.closed());
        }

        private void tag(List<Session> sessions) {
            for (Session s : sessions) {
                if (s.respPort() == 53
                        && flagged.contains(new Pair(s.origHi(), s.origLo(), s.respHi(), s.respLo()))) {
                    s.addTag(ID);
                }
            }
        }

        @Override
        public void finish() {
            warnUntracked(sink, untracked, "DNS queries", maxEntries, "(client, domain) pairs");
            warnSaturated(sink, v4Domains.saturated() + domains.saturated(), "DNS queries per (client, domain)");
        }

        @Override
        public void onTime(long nowNanos) {
            now = nowNanos;
            if (v4Domains.size() + domains.size() > 4096 && now - oldest >= 2 * window) {
                scanOldest = Long.MAX_VALUE;
                v4Domains.retain(live);
                domains.retain(live);
                oldest = scanOldest;
            }
        }
    }
}
