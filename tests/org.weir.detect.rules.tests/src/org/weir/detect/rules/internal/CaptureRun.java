package org.weir.detect.rules.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.weir.core.AnalysisOptions;
import org.weir.core.CaptureFormat;
import org.weir.core.CaptureReader;
import org.weir.core.PacketDecoder;
import org.weir.core.PacketDecoderFactory;
import org.weir.core.PacketView;
import org.weir.core.Session;
import org.weir.core.SessionTable;
import org.weir.core.SessionTableFactory;
import org.weir.detect.Alert;
import org.weir.detect.Detector;
import org.weir.detect.DetectorRun;
import org.weir.detect.PacketInterest;
import org.weir.detect.Parameter;

/**
 * Runs detectors over a real capture through the real decoder and session table, the way the engine's host does:
 * packets go to the runs that asked for them (after the table), batches go to the runs before anyone else,
 * {@code onTime} about once per capture second, {@code finish} at the end.
 */
final class CaptureRun {

    final List<Alert> alerts = new ArrayList<>();
    final List<Session> closed = new ArrayList<>();

    private final List<CaptureFormat> formats;
    private final PacketDecoderFactory decoders;
    private final SessionTableFactory tables;

    CaptureRun(List<CaptureFormat> formats, PacketDecoderFactory decoders, SessionTableFactory tables) {
        this.formats = formats;
        this.decoders = decoders;
        this.tables = tables;
    }

    /** Runs the detectors with their defaults (plus overrides by name) over one capture. */
    CaptureRun run(Path capture, List<Detector> detectors, Map<String, String> overrides) throws IOException {
        List<DetectorRun> runs = new ArrayList<>();
        List<Set<PacketInterest>> interests = new ArrayList<>();
        for (Detector d : detectors) {
            Map<String, String> params = new java.util.LinkedHashMap<>();
            for (Parameter p : d.info().parameters()) {
                params.put(p.name(), overrides.getOrDefault(d.info().id() + "." + p.name(), p.defaultValue()));
            }
            DetectorRun r = d.start(params, alerts::add);
            runs.add(r);
            interests.add(r.packetInterests());
        }
        // Like Zeek -C: captures taken on a sending host carry offloaded (unfilled) checksums.
        AnalysisOptions options = AnalysisOptions.defaults().withIgnoreChecksums(true);
        PacketDecoder decoder = decoders.create(options.decoder());
        SessionTable table = tables.create(options.sessions());
        table.addListener(batch -> {
            for (DetectorRun r : runs) {
                r.onSessions(batch);
            }
            closed.addAll(batch.closed());
        });
        long[] nextTick = {Long.MIN_VALUE};
        PacketView view = new PacketView();
        try (CaptureReader reader = open(capture)) {
            while (reader.next(view)) {
                decoder.decode(view, p -> {
                    table.onPacket(p);
                    if (p.timestampNanos >= nextTick[0]) {
                        nextTick[0] = Math.floorDiv(p.timestampNanos, 1_000_000_000L) * 1_000_000_000L
                                + 1_000_000_000L;
                        for (DetectorRun r : runs) {
                            r.onTime(p.timestampNanos);
                        }
                    }
                    for (int i = 0; i < runs.size(); i++) {
                        if (wants(interests.get(i), p)) {
                            runs.get(i).onPacket(p);
                        }
                    }
                });
            }
        }
        table.closeAll();
        for (DetectorRun r : runs) {
            r.finish();
        }
        return this;
    }

    private CaptureReader open(Path file) throws IOException {
        byte[] head = new byte[16];
        int n;
        try (InputStream in = Files.newInputStream(file)) {
            n = in.readNBytes(head, 0, head.length);
        }
        for (CaptureFormat f : formats) {
            if (f.recognises(head, n)) {
                return f.open(file);
            }
        }
        throw new IOException("unknown capture format: " + file);
    }

    /**
     * The host's routing rule, restated: ARP, TCP control segments, DNS and mDNS by port, ICMP, TCP payload, any IP,
     * UDP.
     */
    static boolean wants(Set<PacketInterest> interests, PacketView p) {
        for (PacketInterest i : interests) {
            boolean match = switch (i) {
                case ARP -> p.ipVersion == 0 && p.etherType == 0x0806;
                case TCP_CONTROL -> p.ipVersion != 0 && p.protocol == 6 && (p.tcpFlags & 0x07) != 0;
                case DNS -> p.ipVersion != 0 && (p.protocol == 6 || p.protocol == 17)
                        && (p.srcPort == 53 || p.dstPort == 53);
                case ICMP -> p.ipVersion != 0 && (p.protocol == 1 || p.protocol == 58);
                case MDNS -> p.ipVersion != 0 && p.protocol == 17 && p.srcPort != 53 && p.dstPort != 53
                        && (p.srcPort == 5353 || p.dstPort == 5353);
                case TCP_PAYLOAD -> p.ipVersion != 0 && p.protocol == 6 && p.payloadCapturedLength > 0;
                case ALL_IP -> p.ipVersion != 0;
                case UDP -> p.ipVersion != 0 && p.protocol == 17;
            };
            if (match) {
                return true;
            }
        }
        return false;
    }

    List<Alert> of(String type) {
        return alerts.stream().filter(a -> a.type().equals(type)).toList();
    }
}
