package org.weir.ui.sessions.internal;

import java.util.List;
import java.util.stream.Collectors;

import org.weir.core.Session;
import org.weir.exchange.ZeekValues;

/**
 * The filter expression that picks the sessions with a cell's value, for the table's "Apply as Filter" menu (as
 * Wireshark's on a packet field): {@code id.resp_p == 443}, {@code conn_state == "SF"}, {@code !service} for an
 * unset value, {@code local_orig} or {@code !local_orig}; each element for a set. Numbers, times and intervals as the
 * cell shows them (Zeek's microseconds, which the filter compares at), text quoted. The columns' titles are the
 * filter's field names.
 */
final class CellFilter {

    private CellFilter() {
    }

    static String expression(SessionColumn column, Session s) {
        String name = column.title;
        String shown = column.format(s);
        return switch (column) {
            case ORIG_H -> name + " == " + s.origAddress();
            case RESP_H -> name + " == " + s.respAddress();
            case LOCAL_ORIG, LOCAL_RESP -> shown.equals("T") ? name : "!" + name;
            case SERVICE -> elements(name, ZeekValues.hasService(s) ? List.of(s.service().split(",")) : List.of());
            case TUNNEL_PARENTS -> elements(name, s.tunnelParents());
            case RESP_PORT_CVES -> elements(name, s.portCves());
            case CRITICALITY -> elements(name, s.tags());
            default -> shown.equals(ZeekValues.UNSET) ? "!" + name
                    : name + " == " + (column.numeric ? shown : quoted(shown));
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
