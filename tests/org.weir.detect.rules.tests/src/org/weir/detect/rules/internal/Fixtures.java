package org.weir.detect.rules.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.weir.core.IpAddress;
import org.weir.core.PacketView;
import org.weir.core.Session;
import org.weir.core.SessionBatch;
import org.weir.core.Transport;
import org.weir.detect.Alert;
import org.weir.detect.AlertSink;
import org.weir.detect.Detector;
import org.weir.detect.DetectorRun;
import org.weir.detect.Parameter;
import org.weir.testsupport.TestSession;

/** Hand-built sessions and packets, and a run of one detector that collects its alerts. */
final class Fixtures {

    static final long S = 1_000_000_000L;
    static final long T0 = 1_600_000_000L * S;

    private Fixtures() {
    }

    static TestSession tcp(String orig, String resp, int port) {
        return new TestSession(orig, 40000, resp, port, Transport.TCP);
    }

    static SessionBatch closed(Session... sessions) {
        return new SessionBatch(List.of(), List.of(), List.of(sessions), 0);
    }

    static SessionBatch updated(Session... sessions) {
        return new SessionBatch(List.of(), List.of(sessions), List.of(), 0);
    }

    /** The detector's parameters with their defaults. */
    static Map<String, String> defaults(Detector d) {
        Map<String, String> params = new LinkedHashMap<>();
        for (Parameter p : d.info().parameters()) {
            params.put(p.name(), p.defaultValue());
        }
        return params;
    }

    /** Collects alerts and warnings. */
    static final class Sink implements AlertSink {
        final List<Alert> alerts = new ArrayList<>();
        final List<String> warnings = new ArrayList<>();

        @Override
        public void raise(Alert alert) {
            alerts.add(alert);
        }

        @Override
        public void warn(String message) {
            warnings.add(message);
        }
    }

    /** One run of a detector with its defaults and the given overrides ("name", "value", ...). */
    static final class Probe {
        final List<Alert> alerts;
        /** What the run reported through {@link AlertSink#warn}. */
        final List<String> warnings;
        final DetectorRun run;

        Probe(Detector d, String... overrides) {
            Map<String, String> params = defaults(d);
            for (int i = 0; i + 1 < overrides.length; i += 2) {
                params.put(overrides[i], overrides[i + 1]);
            }
            Sink sink = new Sink();
            alerts = sink.alerts;
            warnings = sink.warnings;
            run = d.start(params, sink);
        }

        List<Alert> of(String type) {
            return alerts.stream().filter(a -> a.type().equals(type)).toList();
        }
    }

    /** A packet view with IPv4 addresses and the given transport fields; payload bytes empty. */
    static PacketView packet(long time, String src, int sport, String dst, int dport, int protocol, int flags,
            int ttl) {
        PacketView v = new PacketView();
        v.resetLayers();
        v.data = new byte[2048];
        v.timestampNanos = time;
        v.linkType = 1;
        v.ipVersion = 4;
        v.etherType = 0x0800;
        long[] a = new long[2];
        IpAddress.parse(src, a);
        v.srcHi = a[0];
        v.srcLo = a[1];
        IpAddress.parse(dst, a);
        v.dstHi = a[0];
        v.dstLo = a[1];
        v.srcPort = sport;
        v.dstPort = dport;
        v.protocol = protocol;
        v.tcpFlags = flags;
        v.ttl = ttl;
        v.ipTotalLength = 60;
        v.payloadOffset = 100;
        return v;
    }

    /** Puts a DNS query for {@code name} (type {@code qtype}) into the packet's UDP payload. */
    static PacketView dnsQuery(PacketView v, String name, int qtype) {
        byte[] d = v.data;
        int p = v.payloadOffset;
        int start = p;
        d[p++] = 0x12;
        d[p++] = 0x34; // id
        d[p++] = 0x01;
        d[p++] = 0x00; // RD
        d[p++] = 0;
        d[p++] = 1; // qdcount
        for (int i = 0; i < 6; i++) {
            d[p++] = 0;
        }
        for (String label : name.split("\\.")) {
            byte[] b = label.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
            d[p++] = (byte) b.length;
            System.arraycopy(b, 0, d, p, b.length);
            p += b.length;
        }
        d[p++] = 0;
        d[p++] = (byte) (qtype >>> 8);
        d[p++] = (byte) qtype;
        d[p++] = 0;
        d[p++] = 1;
        v.payloadLength = v.payloadCapturedLength = p - start;
        return v;
    }
}
