package org.weir.ui.sessions.internal;

import java.util.List;
import java.util.stream.Collectors;

import org.weir.core.Session;
import org.weir.exchange.ZeekValues;

/**
 * The filter expression that picks the sessions with a cell's value, for the table's "Apply as Filter" menu (as
 * Wireshark's on a packet field): {@code id.resp_p == 443}, {@code conn_state == "SF"}, {@code !service} for an
 * unset value, {@code local_orig} or {@code !local_orig}; each element for a set. Times and intervals as Zeek prints
 * them, which the filter compares to the microsecond.
 */
final class CellFilter {

    private CellFilter() {
    }

    static String expression(SessionColumn column, Session s) {
        String name = column.title;
        return switch (column) {
            case TS -> name + " == " + ZeekValues.seconds(s.startNanos());
            case DURATION -> ZeekValues.hasDurationAndBytes(s) ? name + " == " + ZeekValues.seconds(s.durationNanos())
                    : "!" + name;
            case ORIG_BYTES -> ZeekValues.hasDurationAndBytes(s) ? name + " == " + s.origBytes() : "!" + name;
            case RESP_BYTES -> ZeekValues.hasDurationAndBytes(s) ? name + " == " + s.respBytes() : "!" + name;
            case ORIG_H -> name + " == " + s.origAddress();
            case RESP_H -> name + " == " + s.respAddress();
            case LOCAL_ORIG, LOCAL_RESP -> column.format(s).equals("T") ? name : "!" + name;
            case SERVICE -> elements(name, ZeekValues.hasService(s) ? List.of(s.service().split(",")) : List.of());
            case TUNNEL_PARENTS -> elements(name, s.tunnelParents());
            case UID, PROTO, CONN_STATE, HISTORY -> {
                String v = column.format(s);
                yield v.equals(ZeekValues.UNSET) ? "!" + name : name + " == " + quoted(v);
            }
            case ORIG_P, RESP_P, MISSED_BYTES, ORIG_PKTS, ORIG_IP_BYTES, RESP_PKTS, RESP_IP_BYTES, IP_PROTO ->
                name + " == " + column.format(s);
        };
    }

    /** Every element of a set ({@code service == "ssl" && service == "http"}), or the set's absence. */
    private static String elements(String name, List<String> values) {
        if (values.isEmpty()) {
            return "!" + name;
        }
        return values.stream().map(v -> name + " == " + quoted(v)).collect(Collectors.joining(" && "));
    }

    private static String quoted(String v) {
        return '"' + v.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }
}
