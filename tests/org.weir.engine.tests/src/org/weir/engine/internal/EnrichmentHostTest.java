package org.weir.engine.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.weir.core.AnalysisOptions;
import org.weir.core.Enricher;
import org.weir.core.Enrichment;
import org.weir.core.PacketView;
import org.weir.core.SessionBatch;
import org.weir.detect.PacketInterest;

class EnrichmentHostTest {

    /** An enricher that logs its calls into a shared list. */
    static final class Logger implements Enricher {
        final String id;
        final int order;
        final List<String> log;
        final Set<PacketInterest> interests;
        RuntimeException failOnSessions;
        AnalysisOptions seen;
        /** What it produces and reads of the enrichment; null: the interface's defaults. */
        Set<Enrichment> produces, reads;
        /** It has nothing to do in an analysis (as verdicts without a whitelist). */
        boolean idle;

        Logger(String id, int order, List<String> log, PacketInterest... interests) {
            this.id = id;
            this.order = order;
            this.log = log;
            this.interests = Set.of(interests);
        }

        @Override
        public String id() {
            return id;
        }

        @Override
        public int order() {
            return order;
        }

        @Override
        public Set<Enrichment> produces() {
            return produces != null ? produces : Enricher.super.produces();
        }

        @Override
        public Set<Enrichment> reads() {
            return reads != null ? reads : Enricher.super.reads();
        }

        @Override
        public Run start() {
            throw new AssertionError("the host passes the options");
        }

        @Override
        public Run start(AnalysisOptions options) {
            seen = options;
            if (idle) {
                return null;
            }
            return new Run() {
                @Override
                public Set<PacketInterest> packetInterests() {
                    return interests;
                }

                @Override
                public void onPacket(PacketView packet) {
                    log.add(id + ":packet");
                }

                @Override
                public void onSessions(SessionBatch batch) {
                    if (failOnSessions != null) {
                        throw failOnSessions;
                    }
                    log.add(id + ":batch");
                }
            };
        }
    }

    private static final SessionBatch EMPTY = new SessionBatch(List.of(), List.of(), List.of(), 1);

    private static PacketView udp(int sport, int dport) {
        PacketView p = new PacketView();
        p.ipVersion = 4;
        p.protocol = 17;
        p.srcPort = sport;
        p.dstPort = dport;
        return p;
    }

    @Test
    void enrichersRunInAscendingOrderBeforeDownstreamAndSeeTheOptions() {
        List<String> log = new ArrayList<>();
        Logger policy = new Logger("policy", 30, log), names = new Logger("names", 10, log),
                intel = new Logger("intel", 20, log);
        AnalysisOptions options = AnalysisOptions.defaults().withDetection(false);
        EnrichmentHost host = new EnrichmentHost(List.of(policy, names, intel), options);
        assertEquals(List.of("names", "intel", "policy"), host.running());
        host.before(b -> log.add("sink")).onSessions(EMPTY);
        assertEquals(List.of("names:batch", "intel:batch", "policy:batch", "sink"), log);
        assertSame(options, names.seen);
    }

    @Test
    void packetsReachOnlyTheRunsThatAskedForThem() {
        List<String> log = new ArrayList<>();
        Logger dns = new Logger("dns", 10, log, PacketInterest.DNS);
        Logger mdns = new Logger("mdns", 11, log, PacketInterest.MDNS);
        Logger none = new Logger("none", 12, log);
        EnrichmentHost host = new EnrichmentHost(List.of(dns, mdns, none), AnalysisOptions.defaults());
        List<String> table = new ArrayList<>();
        var handler = host.after(p -> table.add("table"));
        handler.onPacket(udp(40000, 53));
        handler.onPacket(udp(5353, 5353));
        handler.onPacket(udp(40000, 123));
        assertEquals(List.of("dns:packet", "mdns:packet"), log);
        assertEquals(3, table.size(), "the table sees every packet first");
    }

    @Test
    void aFailingRunIsDisabledAndTheOthersCarryOn() {
        List<String> log = new ArrayList<>();
        Logger bad = new Logger("bad", 10, log), good = new Logger("good", 20, log);
        bad.failOnSessions = new IllegalStateException("boom");
        EnrichmentHost host = new EnrichmentHost(List.of(bad, good), AnalysisOptions.defaults());
        host.onSessions(EMPTY);
        host.onSessions(EMPTY);
        assertEquals(List.of("good:batch", "good:batch"), log);
        assertEquals(List.of("good"), host.running());
        assertEquals(1, host.problems().size());
        assertTrue(host.problems().get(0).contains("'bad'") && host.problems().get(0).contains("boom"),
                host.problems().get(0));
    }

    @Test
    void aFeedThatCannotBeUsedStopsTheStart() {
        Enricher broken = new Logger("first", 10, new ArrayList<>());
        Enricher failing = new Enricher() {
            @Override
            public String id() {
                return "feeds";
            }

            @Override
            public int order() {
                return 20;
            }

            @Override
            public Run start() {
                return null;
            }

            @Override
            public Run start(AnalysisOptions options) {
                throw new UncheckedIOException(new IOException("feed.txt:3:7: bad address"));
            }
        };
        UncheckedIOException e = assertThrows(UncheckedIOException.class,
                () -> new EnrichmentHost(List.of(broken, failing), AnalysisOptions.defaults()));
        assertEquals("feed.txt:3:7: bad address", e.getCause().getMessage());
    }

    @Test
    void anEnricherWithNothingToDoIsLeftOut() {
        Enricher idle = new Enricher() {
            @Override
            public String id() {
                return "idle";
            }

            @Override
            public int order() {
                return 30;
            }

            @Override
            public Run start() {
                return null;
            }
        };
        EnrichmentHost host = new EnrichmentHost(List.of(idle), AnalysisOptions.defaults());
        assertTrue(host.isEmpty());
        assertTrue(host.problems().isEmpty());
    }

    /** Names, then address intelligence, then verdicts that read both: the product's chain. */
    private static List<Logger> chain(List<String> log) {
        Logger names = new Logger("names", 10, log), intel = new Logger("intel", 20, log),
                policy = new Logger("policy", 30, log);
        names.produces = Set.of(Enrichment.NAMES);
        intel.produces = Set.of(Enrichment.LOCATION, Enrichment.HOST, Enrichment.TAGS);
        policy.produces = Set.of(Enrichment.VERDICTS);
        policy.reads = Set.of(Enrichment.NAMES, Enrichment.LOCATION);
        return List.of(names, intel, policy);
    }

    private static AnalysisOptions reading(Enrichment... parts) {
        AnalysisOptions o = AnalysisOptions.defaults();
        Set<Enrichment> read = parts.length == 0 ? Set.of() : EnumSet.of(parts[0], parts);
        return o.withIntel(o.intel().withRead(read));
    }

    @Test
    void onlyTheEnrichersWhoseWorkIsReadRunAndEachIsToldWhatIsRead() {
        List<Logger> chain = chain(new ArrayList<>());
        assertTrue(new EnrichmentHost(chain, reading()).isEmpty(), "nothing read: nothing runs");

        EnrichmentHost location = new EnrichmentHost(chain, reading(Enrichment.LOCATION));
        assertEquals(List.of("intel"), location.running());
        assertEquals(Set.of(Enrichment.LOCATION), chain.get(1).seen.intel().read());

        EnrichmentHost names = new EnrichmentHost(chain, reading(Enrichment.NAMES, Enrichment.TAGS));
        assertEquals(List.of("names", "intel"), names.running());

        // Verdicts read names and locations: the whole chain runs, and the address intelligence is told to locate
        // but not to look up vendors or blacklists.
        EnrichmentHost verdicts = new EnrichmentHost(chain, reading(Enrichment.VERDICTS));
        assertEquals(List.of("names", "intel", "policy"), verdicts.running());
        Set<Enrichment> told = chain.get(1).seen.intel().read();
        assertEquals(Set.of(Enrichment.VERDICTS, Enrichment.NAMES, Enrichment.LOCATION), told);
        assertFalse(chain.get(1).seen.intel().reads(Enrichment.HOST));

        // Without a whitelist the verdicts have nothing to do: what they would read is not computed for them.
        chain.get(2).idle = true;
        assertTrue(new EnrichmentHost(chain, reading(Enrichment.VERDICTS)).isEmpty());
        assertEquals(List.of("intel"), new EnrichmentHost(chain, reading(Enrichment.VERDICTS, Enrichment.HOST))
                .running());
    }

    @Test
    void anEnricherThatDoesNotSayWhatItProducesRunsWheneverAnythingIsRead() {
        Logger unknown = new Logger("third-party", 40, new ArrayList<>());
        assertEquals(List.of("third-party"), new EnrichmentHost(List.of(unknown), reading(Enrichment.TAGS)).running());
        assertTrue(new EnrichmentHost(List.of(unknown), reading()).isEmpty());
    }

    @Test
    void turnedOffNothingRunsWhateverIsRead() {
        AnalysisOptions off = AnalysisOptions.defaults();
        off = off.withIntel(off.intel().withEnrichment(false));
        assertTrue(new EnrichmentHost(chain(new ArrayList<>()), off).isEmpty());
    }
}
