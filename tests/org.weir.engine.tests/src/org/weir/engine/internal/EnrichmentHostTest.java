package org.weir.engine.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.weir.core.AnalysisOptions;
import org.weir.core.Enricher;
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
        public Run start() {
            throw new AssertionError("the host passes the options");
        }

        @Override
        public Run start(AnalysisOptions options) {
            seen = options;
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
}
