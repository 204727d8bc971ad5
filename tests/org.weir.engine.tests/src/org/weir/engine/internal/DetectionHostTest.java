package org.weir.engine.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.weir.core.AnalysisOptions;
import org.weir.core.PacketHandler;
import org.weir.core.PacketView;
import org.weir.core.SessionBatch;
import org.weir.core.SessionListener;
import org.weir.core.TunnelType;
import org.weir.detect.Alert;
import org.weir.detect.AlertSink;
import org.weir.detect.Detector;
import org.weir.detect.DetectorInfo;
import org.weir.detect.DetectorRun;
import org.weir.detect.PacketInterest;
import org.weir.detect.Parameter;
import org.weir.detect.Severity;

class DetectionHostTest {

    private static final long S = 1_000_000_000L;

    /** A detector that records what its run receives. */
    static class Recorder implements Detector {
        final String id;
        final Set<PacketInterest> interests;
        final List<String> calls = new ArrayList<>();
        Map<String, String> params;
        int packets, times, batches, finishes;
        RuntimeException failOnPacket;
        AlertSink sink;

        Recorder(String id, PacketInterest... interests) {
            this.id = id;
            this.interests = Set.of(interests);
        }

        @Override
        public DetectorInfo info() {
            return new DetectorInfo(id, id, "Test", Severity.LOW, "records calls",
                    List.of(new Parameter("limit", "int", "10", "a number"),
                            new Parameter("window", "duration", "60", "a time"),
                            new Parameter("on", "boolean", "true", "a switch")));
        }

        @Override
        public DetectorRun start(Map<String, String> parameters, AlertSink s) {
            params = parameters;
            sink = s;
            return new DetectorRun() {
                @Override
                public Set<PacketInterest> packetInterests() {
                    return interests;
                }

                @Override
                public void onPacket(PacketView p) {
                    if (failOnPacket != null) {
                        throw failOnPacket;
                    }
                    packets++;
                }

                @Override
                public void onSessions(SessionBatch batch) {
                    batches++;
                    calls.add("sessions");
                }

                @Override
                public void onTime(long now) {
                    times++;
                }

                @Override
                public void finish() {
                    finishes++;
                }
            };
        }
    }

    private static PacketView ip(long t, int protocol, int sport, int dport, int flags) {
        PacketView v = new PacketView();
        v.resetLayers();
        v.timestampNanos = t;
        v.ipVersion = 4;
        v.etherType = 0x0800;
        v.protocol = protocol;
        v.srcPort = sport;
        v.dstPort = dport;
        v.tcpFlags = flags;
        return v;
    }

    private static PacketView arp(long t) {
        PacketView v = new PacketView();
        v.resetLayers();
        v.timestampNanos = t;
        v.etherType = 0x0806;
        return v;
    }

    @Test
    void packetsGoOnlyToTheRunsThatAskedForThem() {
        Recorder dns = new Recorder("dns", PacketInterest.DNS);
        Recorder all = new Recorder("all", PacketInterest.ALL_IP, PacketInterest.DNS);
        Recorder ctl = new Recorder("ctl", PacketInterest.TCP_CONTROL);
        Recorder arp = new Recorder("arp", PacketInterest.ARP);
        Recorder icmp = new Recorder("icmp", PacketInterest.ICMP);
        Recorder udp = new Recorder("udp", PacketInterest.UDP);
        Recorder none = new Recorder("none");
        DetectionHost host = new DetectionHost(List.of(dns, all, ctl, arp, icmp, udp, none), Map.of(), a -> {
        });
        host.onPacket(ip(0, 17, 5000, 53, 0)); // DNS over UDP
        host.onPacket(ip(0, 6, 53, 5000, 0x12)); // DNS over TCP, SYN-ACK
        host.onPacket(ip(0, 6, 5000, 443, 0x10)); // plain ACK
        host.onPacket(ip(0, 6, 5000, 443, 0x01)); // FIN
        host.onPacket(ip(0, 1, 8, 0, 0)); // ICMP echo
        host.onPacket(arp(0));
        assertEquals(2, dns.packets);
        assertEquals(5, all.packets, "every IP packet once, even when two interests match");
        assertEquals(2, ctl.packets);
        assertEquals(1, icmp.packets);
        assertEquals(1, arp.packets);
        assertEquals(1, udp.packets);
        assertEquals(0, none.packets);
    }

    @Test
    void timeAdvancesAboutOncePerCaptureSecond() {
        Recorder r = new Recorder("r", PacketInterest.ALL_IP);
        DetectionHost host = new DetectionHost(List.of(r), Map.of(), a -> {
        });
        for (int i = 0; i < 30; i++) {
            host.onPacket(ip(1000 * S + i * S / 10, 6, 1, 2, 0x10)); // 3 s of packets
        }
        assertEquals(3, r.times);
        host.onPacket(ip(2000 * S, 6, 1, 2, 0x10));
        assertEquals(4, r.times, "a gap is one tick, not one per idle second");
        host.finish();
        host.finish();
        assertEquals(1, r.finishes);
    }

    @Test
    void parametersAreValidatedAndCompletedWithDefaults() {
        Recorder r = new Recorder("scan");
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
                () -> new DetectionHost(List.of(r), Map.of("scna", Map.of("limit", "3")), a -> {
                }));
        assertTrue(unknown.getMessage().contains("unknown detector 'scna'"), unknown.getMessage());
        IllegalArgumentException param = assertThrows(IllegalArgumentException.class,
                () -> new DetectionHost(List.of(r), Map.of("scan", Map.of("limt", "3")), a -> {
                }));
        assertTrue(param.getMessage().contains("no parameter 'limt'") && param.getMessage().contains("limit"),
                param.getMessage());
        IllegalArgumentException type = assertThrows(IllegalArgumentException.class,
                () -> new DetectionHost(List.of(r), Map.of("scan", Map.of("limit", "ten")), a -> {
                }));
        assertTrue(type.getMessage().contains("'ten' is not an int"), type.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> new DetectionHost(List.of(r), Map.of("scan", Map.of("window", "-1")), a -> {
                }));
        assertThrows(IllegalArgumentException.class,
                () -> new DetectionHost(List.of(r), Map.of("scan", Map.of("on", "yes")), a -> {
                }));

        DetectionHost host = new DetectionHost(List.of(r), Map.of("scan", Map.of("limit", "3", "window", "1.5")),
                a -> {
                });
        host.onSessions(new SessionBatch(List.of(), List.of(), List.of(), 1));
        assertEquals(Map.of("limit", "3", "window", "1.5", "on", "true"), r.params);
    }

    @Test
    void aFailingDetectorIsDisabledAndTheOthersGoOn() {
        Recorder bad = new Recorder("bad", PacketInterest.ALL_IP);
        bad.failOnPacket = new IllegalStateException("boom");
        Recorder good = new Recorder("good", PacketInterest.ALL_IP);
        List<String> problems = new ArrayList<>();
        DetectionHost host = new DetectionHost(List.of(bad, good), Map.of(), a -> {
        });
        host.setProblemListener(problems::add);
        host.onPacket(ip(0, 6, 1, 2, 0x10));
        host.onPacket(ip(1, 6, 1, 2, 0x10));
        host.onSessions(new SessionBatch(List.of(), List.of(), List.of(), 1));
        host.finish();
        assertEquals(2, good.packets);
        assertEquals(1, good.batches);
        assertEquals(0, bad.batches);
        assertEquals(0, bad.finishes);
        assertEquals(List.of("good"), host.running());
        assertEquals(1, problems.size());
        assertTrue(problems.get(0).contains("'bad' disabled") && problems.get(0).contains("boom"), problems.get(0));
    }

    @Test
    void aDetectorRefusingItsParametersIsReportedOnceByItsMessage() {
        Recorder refusing = new Recorder("refusing", PacketInterest.ALL_IP) {
            @Override
            public DetectorRun start(Map<String, String> parameters, AlertSink s) {
                throw new IllegalArgumentException("parameter 'limit': 0 is not at least 1");
            }
        };
        Recorder good = new Recorder("good", PacketInterest.ALL_IP);
        DetectorRegistry registry = new DetectorRegistry();
        registry.add(refusing);
        registry.add(good);
        // The registry joins each detector twice (to close a race with registrations): one start, one report.
        DetectionHost host = registry.open(Map.of(), a -> {
        });
        host.onPacket(ip(0, 6, 1, 2, 0x10));
        host.finish();
        assertEquals(List.of("detector 'refusing' did not start: parameter 'limit': 0 is not at least 1"),
                host.problems());
        assertEquals(List.of("good"), host.running());
        assertEquals(1, good.packets);
    }

    @Test
    void valuesSetForADetectorThatItRefusesStopTheAnalysisBeforeItStarts() {
        Recorder refusing = new Recorder("refusing", PacketInterest.ALL_IP) {
            @Override
            public DetectorRun start(Map<String, String> parameters, AlertSink s) {
                if (parameters.get("limit").equals("0")) {
                    throw new IllegalArgumentException("parameter 'limit': 0 is not at least 1");
                }
                return super.start(parameters, s);
            }
        };
        DetectorRegistry registry = new DetectorRegistry();
        registry.add(refusing);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> registry.open(Map.of("refusing", Map.of("limit", "0")), a -> {
                }));
        assertEquals("detector 'refusing' refused its parameters: parameter 'limit': 0 is not at least 1",
                e.getMessage());
        // Accepted values: it runs.
        DetectionHost host = registry.open(Map.of("refusing", Map.of("limit", "2")), a -> {
        });
        assertEquals(List.of("refusing"), host.running());
        assertEquals(List.of(), host.problems());
    }

    @Test
    void warningsOfARunAreProblemsThatNameTheDetector() {
        Recorder r = new Recorder("r", PacketInterest.ALL_IP);
        List<String> problems = new ArrayList<>();
        DetectionHost host = new DetectionHost(List.of(r), Map.of(), a -> {
        });
        host.setProblemListener(problems::add);
        host.onPacket(ip(0, 6, 1, 2, 0x10));
        r.sink.warn("12 things not tracked: more than 4 keys at once (memory bound)");
        r.sink.warn("detector 'r' parameter 'limit' has no value; using its default '10'");
        host.finish();
        List<String> expected = List.of("detector 'r': 12 things not tracked: more than 4 keys at once (memory bound)",
                "detector 'r' parameter 'limit' has no value; using its default '10'");
        assertEquals(expected, problems);
        assertEquals(expected, host.problems());
        assertEquals(List.of("r"), host.running(), "a warning does not disable the run");
    }

    @Test
    void aFailingSinkIsNotBlamedOnTheDetector() {
        Recorder r = new Recorder("r", PacketInterest.ALL_IP) {
            @Override
            public DetectorRun start(Map<String, String> parameters, AlertSink s) {
                DetectorRun inner = super.start(parameters, s);
                return new DetectorRun() {
                    @Override
                    public Set<PacketInterest> packetInterests() {
                        return inner.packetInterests();
                    }

                    @Override
                    public void onPacket(PacketView p) {
                        s.raise(new Alert("r", "t", Severity.LOW, 0, "", "", "", Map.of(), List.of()));
                    }

                    @Override
                    public void onSessions(SessionBatch batch) {
                    }
                };
            }
        };
        IllegalStateException disk = new IllegalStateException("disk full");
        DetectionHost host = new DetectionHost(List.of(r), Map.of(), a -> {
            throw disk;
        });
        assertSame(disk, assertThrows(IllegalStateException.class, () -> host.onPacket(ip(0, 6, 1, 2, 0))));
        assertEquals(List.of("r"), host.running());
    }

    @Test
    void detectorsJoinAndLeaveBetweenPackets() throws InterruptedException {
        Recorder first = new Recorder("first", PacketInterest.ALL_IP);
        Recorder late = new Recorder("late", PacketInterest.ALL_IP);
        DetectorRegistry registry = new DetectorRegistry();
        registry.add(first);
        List<Alert> alerts = new ArrayList<>();
        DetectionHost host = registry.open(Map.of(), alerts::add);
        host.onPacket(ip(0, 6, 1, 2, 0));
        Thread ds = new Thread(() -> registry.add(late)); // as DS would, from another thread
        ds.start();
        ds.join();
        host.onPacket(ip(1, 6, 1, 2, 0));
        host.onPacket(ip(2, 6, 1, 2, 0));
        registry.remove(first);
        assertEquals(0, first.finishes, "removal is applied on the pipeline thread");
        host.onPacket(ip(3, 6, 1, 2, 0));
        assertEquals(1, first.finishes);
        assertEquals(3, first.packets);
        assertEquals(3, late.packets, "joined before the second packet");
        host.finish();
        registry.close(host);
        assertEquals(1, late.finishes);
        assertEquals(List.of("late"), host.running());
    }

    @Test
    void detectorsTagBeforeTheSinksSeeTheBatch() {
        Recorder r = new Recorder("r");
        DetectionHost host = new DetectionHost(List.of(r), Map.of(), a -> {
        });
        List<String> order = new ArrayList<>();
        SessionListener sinks = b -> order.add("sinks after " + r.batches + " detector batch(es)");
        SessionListener chained = host.before(sinks);
        chained.onSessions(new SessionBatch(List.of(), List.of(), List.of(), 1));
        assertEquals(List.of("sinks after 1 detector batch(es)"), order);
        List<String> handled = new ArrayList<>();
        host.after(p -> handled.add("table")).onPacket(ip(0, 6, 1, 2, 0));
        assertEquals(List.of("table"), handled);
    }

    @Test
    void refusedTunnelsReachTheTableThroughTheComposite() {
        // The pipeline wraps the table in the enrichers' composite, then in the detectors': what the decoder says
        // about a refused tunnel must reach the table through both, as Zeek's analyzers mark the connection.
        List<String> told = new ArrayList<>();
        PacketHandler table = new PacketHandler() {
            @Override
            public void onPacket(PacketView p) {
            }

            @Override
            public void onTunnelRefused(int tunnelType, boolean violation) {
                told.add(tunnelType + (violation ? " violation" : " too deep"));
            }
        };
        EnrichmentHost enrichers = new EnrichmentHost(List.of(), AnalysisOptions.defaults());
        DetectionHost detectors = new DetectionHost(List.of(new Recorder("r", PacketInterest.ALL_IP)), Map.of(), a -> {
        });
        PacketHandler composite = detectors.after(enrichers.after(table));
        composite.onTunnelRefused(TunnelType.VXLAN.ordinal(), true);
        composite.onTunnelRefused(TunnelType.GENEVE.ordinal(), false);
        assertEquals(List.of(TunnelType.VXLAN.ordinal() + " violation", TunnelType.GENEVE.ordinal() + " too deep"),
                told);
    }

    @Test
    void routingAPacketAllocatesNothing() {
        Recorder a = new Recorder("a", PacketInterest.DNS);
        Recorder b = new Recorder("b", PacketInterest.ALL_IP);
        Recorder c = new Recorder("c", PacketInterest.TCP_CONTROL);
        DetectionHost host = new DetectionHost(List.of(a, b, c), Map.of(), x -> {
        });
        PacketView v = ip(0, 6, 5000, 53, 0x02);
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long tid = Thread.currentThread().threadId();
        for (int i = 0; i < 20_000; i++) {
            v.timestampNanos = i * 1000L;
            host.onPacket(v);
        }
        long before = mx.getThreadAllocatedBytes(tid);
        for (int i = 0; i < 100_000; i++) {
            v.timestampNanos = 20_000_000L + i * 1000L;
            host.onPacket(v);
        }
        long allocated = mx.getThreadAllocatedBytes(tid) - before;
        // One object per packet would be at least 1.6 MB here; a few KB are the JIT's and the measurement's own.
        assertTrue(allocated < 10_000, "100k packets allocated " + allocated + " bytes");
        assertEquals(120_000, b.packets);
    }

    @Test
    void configurationAdminPropertiesBecomeParametersThatAnAnalysisOverrides() {
        Map<String, Object> properties = new java.util.LinkedHashMap<>();
        properties.put("component.name", PipelineAnalyzer.class.getName());
        properties.put("service.pid", PipelineAnalyzer.PID);
        properties.put("osgi.ds.satisfying.condition.target", "(osgi.condition.id=true)");
        properties.put("felix.fileinstall.filename", "file:/opt/weir/conf/org.weir.detectors.cfg");
        properties.put("port_scan.ports", new String[] {"not", "scalar"});
        properties.put("port_scan.min_ports", 20);
        properties.put("port_scan.window", "30");
        properties.put("syn_flood.min_syn", "500");
        Map<String, Map<String, String>> configured = DetectorParameters.fromConfiguration(properties);
        assertEquals(Map.of("port_scan", Map.of("min_ports", "20", "window", "30"), "syn_flood",
                Map.of("min_syn", "500")), configured);
        assertEquals(Map.of("port_scan", Map.of("min_ports", "5", "window", "30"), "syn_flood",
                Map.of("min_syn", "500")),
                DetectorParameters.merge(configured, Map.of("port_scan", Map.of("min_ports", "5"))));
    }
}
