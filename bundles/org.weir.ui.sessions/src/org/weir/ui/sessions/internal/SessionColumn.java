package org.weir.ui.sessions.internal;

import java.util.Comparator;
import java.util.function.Function;
import java.util.function.ToLongFunction;

import org.weir.core.LocalNetworks;
import org.weir.core.Session;
import org.weir.exchange.ZeekValues;

/**
 * The columns of the Sessions view: Zeek's conn.log columns, formatted as Zeek writes them (the same rules as the
 * conn.log writer: {@link ZeekValues}).
 */
enum SessionColumn {
    TS("ts", 150, true, s -> ZeekValues.seconds(s.startNanos()), Comparator.comparingLong(Session::startNanos)),
    UID("uid", 175, false, Session::uid, text(Session::uid)),
    ORIG_H("id.orig_h", 170, false, Session::origAddress, address(true)),
    ORIG_P("id.orig_p", 80, true, s -> Integer.toString(s.origPort()), Comparator.comparingInt(Session::origPort)),
    RESP_H("id.resp_h", 170, false, Session::respAddress, address(false)),
    RESP_P("id.resp_p", 80, true, s -> Integer.toString(s.respPort()), Comparator.comparingInt(Session::respPort)),
    PROTO("proto", 60, false, s -> s.transport() == null ? "-" : s.transport().zeekName(),
            text(s -> s.transport() == null ? "" : s.transport().zeekName())),
    SERVICE("service", 90, false, s -> dash(s.service()), text(Session::service)),
    DURATION("duration", 100, true,
            s -> ZeekValues.hasDurationAndBytes(s) ? ZeekValues.seconds(s.durationNanos()) : "-",
            Comparator.comparingLong(Session::durationNanos)),
    ORIG_BYTES("orig_bytes", 90, true, ifTimed(Session::origBytes), Comparator.comparingLong(Session::origBytes)),
    RESP_BYTES("resp_bytes", 90, true, ifTimed(Session::respBytes), Comparator.comparingLong(Session::respBytes)),
    CONN_STATE("conn_state", 80, false, s -> dash(s.connState()), text(Session::connState)),
    LOCAL_ORIG("local_orig", 70, false, s -> ZeekValues.bool(localOrig(s)),
            Comparator.comparing(SessionColumn::localOrig)),
    LOCAL_RESP("local_resp", 70, false, s -> ZeekValues.bool(localResp(s)),
            Comparator.comparing(SessionColumn::localResp)),
    MISSED_BYTES("missed_bytes", 90, true, number(Session::missedBytes),
            Comparator.comparingLong(Session::missedBytes)),
    HISTORY("history", 110, false, s -> dash(s.history()), text(Session::history)),
    ORIG_PKTS("orig_pkts", 80, true, number(Session::origPackets), Comparator.comparingLong(Session::origPackets)),
    ORIG_IP_BYTES("orig_ip_bytes", 100, true, number(Session::origIpBytes),
            Comparator.comparingLong(Session::origIpBytes)),
    RESP_PKTS("resp_pkts", 80, true, number(Session::respPackets), Comparator.comparingLong(Session::respPackets)),
    RESP_IP_BYTES("resp_ip_bytes", 100, true, number(Session::respIpBytes),
            Comparator.comparingLong(Session::respIpBytes)),
    TUNNEL_PARENTS("tunnel_parents", 175, false, SessionColumn::parents, text(SessionColumn::firstParent)),
    IP_PROTO("ip_proto", 60, true, s -> Integer.toString(s.ipProtocol()), Comparator.comparingInt(Session::ipProtocol));

    /**
     * The networks counted as local for local_orig and local_resp: the private address space, as {@code weir analyze}
     * and Zeek's own tests count by default.
     */
    private static final LocalNetworks LOCAL = LocalNetworks.privateAddressSpace();

    static final SessionColumn[] ALL = values();

    final String title;
    final int width;
    final boolean numeric;
    private final Function<Session, String> formatter;
    final Comparator<Session> comparator;

    SessionColumn(String title, int width, boolean numeric, Function<Session, String> formatter,
            Comparator<Session> comparator) {
        this.title = title;
        this.width = width;
        this.numeric = numeric;
        this.formatter = formatter;
        this.comparator = comparator;
    }

    String format(Session s) {
        String v = formatter.apply(s);
        return v == null ? "-" : v;
    }

    static String[] titles() {
        String[] t = new String[ALL.length];
        for (int i = 0; i < t.length; i++) {
            t[i] = ALL[i].title;
        }
        return t;
    }

    private static boolean localOrig(Session s) {
        return ZeekValues.isLocalOrig(s, LOCAL);
    }

    private static boolean localResp(Session s) {
        return ZeekValues.isLocalResp(s, LOCAL);
    }

    private static String parents(Session s) {
        return ZeekValues.set(s.tunnelParents());
    }

    /** What the column sorts by: the first parent (a sort of a million rows must not join strings per comparison). */
    private static String firstParent(Session s) {
        return s.tunnelParents().isEmpty() ? null : s.tunnelParents().get(0);
    }

    private static String dash(String s) {
        return s == null || s.isEmpty() ? "-" : s;
    }

    private static Function<Session, String> number(ToLongFunction<Session> f) {
        return s -> Long.toString(f.applyAsLong(s));
    }

    /** Zeek logs byte counts only with a positive duration. */
    private static Function<Session, String> ifTimed(ToLongFunction<Session> f) {
        return s -> ZeekValues.hasDurationAndBytes(s) ? Long.toString(f.applyAsLong(s)) : "-";
    }

    private static Comparator<Session> text(Function<Session, String> f) {
        return Comparator.comparing(f, Comparator.nullsFirst(Comparator.naturalOrder()));
    }

    /** Orders addresses numerically (IPv4 before IPv6, as their mapped form sorts). */
    private static Comparator<Session> address(boolean orig) {
        return orig
                ? Comparator.<Session>comparingLong(s -> s.origHi() ^ Long.MIN_VALUE)
                        .thenComparingLong(s -> s.origLo() ^ Long.MIN_VALUE)
                : Comparator.<Session>comparingLong(s -> s.respHi() ^ Long.MIN_VALUE)
                        .thenComparingLong(s -> s.respLo() ^ Long.MIN_VALUE);
    }

}
