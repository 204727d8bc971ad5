package org.weir.session.internal;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import org.weir.core.Session;
import org.weir.core.SessionOptions;
import org.weir.testsupport.Corpus;

/** Runs a corpus trace through the decoder and a {@link FlowTable}; returns the closed sessions in order. */
final class Runs {

    private Runs() {
    }

    static List<Session> run(String trace, boolean ignoreChecksums, Consumer<ZeekConfig> setup) throws IOException {
        SessionOptions options = SessionOptions.defaults();
        ZeekConfig config = ZeekConfig.defaults(options);
        setup.accept(config);
        FlowTable table = new FlowTable(options, config, 1);
        List<Session> closed = new ArrayList<>();
        table.addListener(b -> closed.addAll(b.closed()));
        Traces.feed(Corpus.resolve(trace), ignoreChecksums, table);
        table.closeAll();
        return closed;
    }

    /** The values of a session as Zeek's conn.log prints them. */
    static String value(Session s, String column) {
        boolean timed = s.durationNanos() > 0; // Zeek sets duration and byte counts only then
        return switch (column) {
            case "duration" -> timed ? seconds(s.durationNanos()) : "-";
            case "orig_bytes" -> timed ? Long.toString(s.origBytes()) : "-";
            case "resp_bytes" -> timed ? Long.toString(s.respBytes()) : "-";
            case "conn_state" -> s.connState();
            case "missed_bytes" -> Long.toString(s.missedBytes());
            case "history" -> s.history().isEmpty() ? "-" : s.history();
            case "service" -> s.service().isEmpty() ? "-" : s.service();
            case "orig_pkts" -> Long.toString(s.origPackets());
            case "orig_ip_bytes" -> Long.toString(s.origIpBytes());
            case "resp_pkts" -> Long.toString(s.respPackets());
            case "resp_ip_bytes" -> Long.toString(s.respIpBytes());
            case "vlan" -> s.vlan() < 0 ? "-" : Integer.toString(s.vlan());
            case "inner_vlan" -> s.innerVlan() < 0 ? "-" : Integer.toString(s.innerVlan());
            case "proto" -> s.transport().zeekName();
            case "orig_l2_addr" -> mac(s.origMac());
            case "resp_l2_addr" -> mac(s.respMac());
            default -> throw new IllegalArgumentException(column);
        };
    }

    static String mac(long mac) {
        if (mac < 0) {
            return "-";
        }
        StringBuilder sb = new StringBuilder();
        for (int shift = 40; shift >= 0; shift -= 8) {
            sb.append(String.format("%02x", (mac >>> shift) & 0xFF)).append(shift > 0 ? ":" : "");
        }
        return sb.toString();
    }

    static String seconds(long nanos) {
        long micros = Math.floorDiv(nanos + 500, 1000);
        return String.format("%d.%06d", Math.floorDiv(micros, 1_000_000), Math.floorMod(micros, 1_000_000));
    }

    /** proto and the oriented 4-tuple, as in a conn.log line. */
    static String key(Session s, boolean withProto) {
        return (withProto ? s.transport().zeekName() + " " : "") + s.origAddress() + ":" + s.origPort() + " > "
                + s.respAddress() + ":" + s.respPort();
    }
}
