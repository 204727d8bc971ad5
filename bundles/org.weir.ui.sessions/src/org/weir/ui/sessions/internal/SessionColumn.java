package org.weir.ui.sessions.internal;

import java.util.Comparator;
import java.util.List;
import java.util.function.Function;
import java.util.function.ToLongFunction;

import org.weir.core.EndpointInfo;
import org.weir.core.LocalNetworks;
import org.weir.core.Session;
import org.weir.exchange.ConnColumns;
import org.weir.exchange.ZeekValues;

/**
 * The columns of the Sessions view: Zeek's conn.log columns, formatted as Zeek writes them (the same rules as the
 * conn.log writer: {@link ZeekValues}), then the optional groups that {@code weir analyze --conn-columns} adds, under
 * the same names ({@link ConnColumns}; the view leaves out the coordinates, which a map shows better). Each optional
 * column names its group; the view shows the groups chosen in its column headers' menu.
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
    IP_PROTO("ip_proto", 60, true, s -> Integer.toString(s.ipProtocol()), Comparator.comparingInt(Session::ipProtocol)),

    ORIG_L2_ADDR("orig_l2_addr", 130, false, ConnColumns.L2, s -> ZeekValues.loggedMac(s.origMac()),
            Comparator.comparingLong(Session::origMac)),
    RESP_L2_ADDR("resp_l2_addr", 130, false, ConnColumns.L2, s -> ZeekValues.loggedMac(s.respMac()),
            Comparator.comparingLong(Session::respMac)),
    VLAN("vlan", 60, true, ConnColumns.VLAN, s -> s.vlan() < 0 ? null : Integer.toString(s.vlan()),
            Comparator.comparingInt(Session::vlan)),
    INNER_VLAN("inner_vlan", 70, true, ConnColumns.VLAN, s -> s.innerVlan() < 0 ? null
            : Integer.toString(s.innerVlan()), Comparator.comparingInt(Session::innerVlan)),
    COMMUNITY_ID("community_id", 250, false, ConnColumns.COMMUNITY_ID, Session::communityId,
            text(Session::communityId)),
    ORIG_COUNTRY("orig_location.country_code", 60, false, ConnColumns.GEO, orig(EndpointInfo::countryCode)),
    ORIG_CITY("orig_location.city", 110, false, ConnColumns.GEO, orig(EndpointInfo::city)),
    RESP_COUNTRY("resp_location.country_code", 60, false, ConnColumns.GEO, resp(EndpointInfo::countryCode)),
    RESP_CITY("resp_location.city", 110, false, ConnColumns.GEO, resp(EndpointInfo::city)),
    ORIG_AS_NUMBER("orig_as.number", 80, true, ConnColumns.GEO, asNumber(true),
            Comparator.comparingLong(s -> info(s, true).asNumber())),
    ORIG_AS_ORGANIZATION("orig_as.organization", 170, false, ConnColumns.GEO, orig(EndpointInfo::asOwner)),
    RESP_AS_NUMBER("resp_as.number", 80, true, ConnColumns.GEO, asNumber(false),
            Comparator.comparingLong(s -> info(s, false).asNumber())),
    RESP_AS_ORGANIZATION("resp_as.organization", 170, false, ConnColumns.GEO, resp(EndpointInfo::asOwner)),
    ORIG_DOMAIN("orig_domain", 170, false, ConnColumns.NAMES, orig(EndpointInfo::domain)),
    RESP_DOMAIN("resp_domain", 170, false, ConnColumns.NAMES, resp(EndpointInfo::domain)),
    RESP_REGISTERED_DOMAIN("resp_registered_domain", 140, false, ConnColumns.NAMES,
            resp(EndpointInfo::registeredDomain)),
    RESP_NAME_SOURCE("resp_name_source", 80, false, ConnColumns.NAMES, resp(EndpointInfo::nameSource)),
    ORIG_MAC_VENDOR("orig_mac_vendor", 150, false, ConnColumns.INTEL, orig(EndpointInfo::macVendor)),
    RESP_MAC_VENDOR("resp_mac_vendor", 150, false, ConnColumns.INTEL, resp(EndpointInfo::macVendor)),
    RESP_PORT_SERVICE("resp_port_service", 100, false, ConnColumns.INTEL, Session::portService),
    RESP_PORT_CVES("resp_port_cves", 150, false, ConnColumns.INTEL, s -> set(s.portCves())),
    CRITICALITY("criticality", 150, false, ConnColumns.INTEL, s -> set(s.tags())),
    VERDICT("verdict", 90, false, ConnColumns.INTEL,
            ZeekValues::verdict),
    VERDICT_RULE("verdict_rule", 150, false, ConnColumns.INTEL, s -> s.verdict() == null ? null
            : s.verdict().rule());

    /**
     * The networks counted as local for local_orig and local_resp: the private address space, as {@code weir analyze}
     * and Zeek's own tests count by default.
     */
    private static final LocalNetworks LOCAL = LocalNetworks.privateAddressSpace();

    static final SessionColumn[] ALL = values();

    final String title;
    final int width;
    final boolean numeric;
    /** The optional group it belongs to, or null for Zeek's default columns, which are always shown. */
    final ConnColumns group;
    private final Function<Session, String> formatter;
    final Comparator<Session> comparator;

    SessionColumn(String title, int width, boolean numeric, Function<Session, String> formatter,
            Comparator<Session> comparator) {
        this(title, width, numeric, null, formatter, comparator);
    }

    /** An optional text column, sorted by its text (unset first). */
    SessionColumn(String title, int width, boolean numeric, ConnColumns group, Function<Session, String> formatter) {
        this(title, width, numeric, group, formatter, text(formatter));
    }

    SessionColumn(String title, int width, boolean numeric, ConnColumns group, Function<Session, String> formatter,
            Comparator<Session> comparator) {
        this.title = title;
        this.width = width;
        this.numeric = numeric;
        this.group = group;
        this.formatter = formatter;
        this.comparator = comparator;
    }

    /** The cell's text; Zeek's unset {@code -} for no value. */
    String format(Session s) {
        String v = formatter.apply(s);
        return v == null || v.isEmpty() ? ZeekValues.UNSET : v;
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

    private static EndpointInfo info(Session s, boolean orig) {
        return orig ? s.origInfo() : s.respInfo();
    }

    private static Function<Session, String> orig(Function<EndpointInfo, String> value) {
        return s -> value.apply(info(s, true));
    }

    private static Function<Session, String> resp(Function<EndpointInfo, String> value) {
        return s -> value.apply(info(s, false));
    }

    private static Function<Session, String> asNumber(boolean orig) {
        return s -> info(s, orig).asNumber() < 0 ? null : Long.toString(info(s, orig).asNumber());
    }

    /** A Zeek set as conn.log writes it; null (shown as unset) when empty. */
    private static String set(List<String> elements) {
        return elements.isEmpty() ? null : ZeekValues.set(elements);
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
