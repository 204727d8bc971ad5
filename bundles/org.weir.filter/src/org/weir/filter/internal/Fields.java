package org.weir.filter.internal;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.ToLongFunction;

import org.weir.core.EndpointInfo;
import org.weir.core.Enrichment;
import org.weir.core.LocalNetworks;
import org.weir.core.Session;
import org.weir.exchange.ZeekValues;
import org.weir.filter.internal.Field.Kind;

/**
 * The fields a filter can name: conn.log's columns under Zeek's names, with the values Zeek would write (a field Zeek
 * leaves unset, {@code -}, has no value here: a relation with it is false), the optional columns of
 * {@code --conn-columns} (vlan, l2, community_id, geo, names, intel), and shortcuts that ask either end.
 */
final class Fields {

    /** Marks a number that conn.log would leave unset. */
    private static final long UNSET = Long.MIN_VALUE;

    private final Map<String, Field> byName = new LinkedHashMap<>();
    /** The enrichment part of the fields being added (the catalogue is built group by group). */
    private Enrichment part;

    Fields(LocalNetworks local) {
        time("ts", "time of the first packet", s -> micros(s.startNanos()));
        text("uid", false, "the connection's unique id", Session::uid);
        address("id.orig_h", "originator's address", true, false);
        number("id.orig_p", "originator's port (ICMP: type)", Session::origPort);
        address("id.resp_h", "responder's address", false, true);
        number("id.resp_p", "responder's port (ICMP: code)", Session::respPort);
        text("proto", true, "transport: tcp, udp, icmp, unknown_transport",
                s -> s.transport() == null ? null : s.transport().zeekName());
        add("service", Kind.TEXT_SET, true, "protocols confirmed by analyzers (dns, http, ssl, ...)",
                (s, c) -> anyElement(s.service(), c));
        seconds("duration", "last packet minus first (unset when not positive)",
                s -> ZeekValues.hasDurationAndBytes(s) ? micros(s.durationNanos()) : UNSET);
        number("orig_bytes", "originator's payload bytes (unset without a duration)",
                s -> ZeekValues.hasDurationAndBytes(s) ? s.origBytes() : UNSET);
        number("resp_bytes", "responder's payload bytes (unset without a duration)",
                s -> ZeekValues.hasDurationAndBytes(s) ? s.respBytes() : UNSET);
        text("conn_state", true, "S0 S1 SF REJ S2 S3 RSTO RSTR RSTOS0 RSTRH SH SHR OTH", Session::connState);
        bool("local_orig", "originator in the local networks", s -> ZeekValues.isLocalOrig(s, local));
        bool("local_resp", "responder in the local networks", s -> ZeekValues.isLocalResp(s, local));
        number("missed_bytes", "bytes missed in content gaps", Session::missedBytes);
        text("history", false, "Zeek's history letters (upper case: originator)", ZeekValues::loggedHistory);
        number("orig_pkts", "originator's packets", Session::origPackets);
        number("orig_ip_bytes", "originator's IP bytes", Session::origIpBytes);
        number("resp_pkts", "responder's packets", Session::respPackets);
        number("resp_ip_bytes", "responder's IP bytes", Session::respIpBytes);
        textSet("tunnel_parents", false, "uids of the tunnels that carried it", Session::tunnelParents);
        number("ip_proto", "IP protocol number", Session::ipProtocol);

        number("vlan", "outer VLAN id", s -> s.vlan() < 0 ? UNSET : s.vlan());
        number("inner_vlan", "inner VLAN id", s -> s.innerVlan() < 0 ? UNSET : s.innerVlan());
        text("orig_l2_addr", true, "originator's MAC address", s -> ZeekValues.loggedMac(s.origMac()));
        text("resp_l2_addr", true, "responder's MAC address", s -> ZeekValues.loggedMac(s.respMac()));
        text("community_id", false, "Community ID v1", Session::communityId);

        part = Enrichment.LOCATION;
        endpointText("orig_location.country_code", "resp_location.country_code", "country (ISO code)",
                EndpointInfo::countryCode);
        endpointText("orig_location.city", "resp_location.city", "city", EndpointInfo::city);
        endpointNumber("orig_as.number", "resp_as.number", "autonomous system number", EndpointInfo::asNumber);
        endpointText("orig_as.organization", "resp_as.organization", "autonomous system's owner",
                EndpointInfo::asOwner);
        part = Enrichment.NAMES;
        endpointText("orig_domain", "resp_domain", "name (DNS answer, TLS SNI, HTTP Host)", EndpointInfo::domain);
        text("resp_registered_domain", true, "responder's registrable domain",
                s -> info(s, false).registeredDomain());
        text("resp_name_source", true, "where resp_domain came from: dns, sni, http, mdns",
                s -> info(s, false).nameSource());
        part = Enrichment.HOST;
        endpointText("orig_mac_vendor", "resp_mac_vendor", "vendor of the MAC address", EndpointInfo::macVendor);
        text("resp_port_service", true, "registered service name of the responder's port", Session::portService);
        textSet("resp_port_cves", true, "known vulnerabilities of that service", Session::portCves);
        part = Enrichment.TAGS;
        textSet("criticality", true, "tags of detectors and feeds (anomaly:..., blacklist:...)", Session::tags);
        part = Enrichment.VERDICTS;
        text("verdict", true, "whitelist verdict: conforming or exception", ZeekValues::verdict);
        text("verdict_rule", true, "the whitelist rule that decided", s -> s.verdict() == null ? null
                : s.verdict().rule());

        part = null;
        add("addr", Kind.ADDRESS, false, "either end's address",
                (s, c) -> c.address(s.origHi(), s.origLo()) || c.address(s.respHi(), s.respLo()));
        add("port", Kind.NUMBER, false, "either end's port",
                (s, c) -> c.number(s.origPort()) || c.number(s.respPort()));
        part = Enrichment.LOCATION;
        eitherEnd("country", "either end's country (ISO code)", EndpointInfo::countryCode);
        add("asn", Kind.NUMBER, false, "either end's autonomous system number", (s, c) -> {
            long o = info(s, true).asNumber();
            long r = info(s, false).asNumber();
            return o >= 0 && c.number(o) || r >= 0 && c.number(r);
        });
        eitherEnd("org", "either end's autonomous system owner", EndpointInfo::asOwner);
        part = Enrichment.NAMES;
        eitherEnd("domain", "either end's name", EndpointInfo::domain);
        part = null;
    }

    Field get(String name) {
        return byName.get(name);
    }

    /** Every field, in the order conn.log has them (the shortcuts last). */
    List<Field> all() {
        return Collections.unmodifiableList(List.copyOf(byName.values()));
    }

    private void add(String name, Kind kind, boolean ignoreCase, String description, Field.Values values) {
        byName.put(name, new Field(name, kind, ignoreCase, description, part, values));
    }

    private void number(String name, String description, ToLongFunction<Session> value) {
        numeric(name, Kind.NUMBER, description, value);
    }

    private void seconds(String name, String description, ToLongFunction<Session> micros) {
        numeric(name, Kind.SECONDS, description, micros);
    }

    private void time(String name, String description, ToLongFunction<Session> micros) {
        numeric(name, Kind.TIME, description, micros);
    }

    private void numeric(String name, Kind kind, String description, ToLongFunction<Session> value) {
        add(name, kind, false, description, (s, c) -> {
            long v = value.applyAsLong(s);
            return v != UNSET && c.number(v);
        });
    }

    private void bool(String name, String description, Predicate<Session> value) {
        add(name, Kind.BOOL, false, description, (s, c) -> c.bool(value.test(s)));
    }

    private void address(String name, String description, boolean orig, boolean resp) {
        add(name, Kind.ADDRESS, false, description, orig
                ? (s, c) -> c.address(s.origHi(), s.origLo())
                : (s, c) -> c.address(s.respHi(), s.respLo()));
    }

    /** Text that is unset when null or empty. */
    private void text(String name, boolean ignoreCase, String description, Function<Session, String> value) {
        add(name, Kind.TEXT, ignoreCase, description, (s, c) -> {
            String v = value.apply(s);
            return v != null && !v.isEmpty() && c.text(v);
        });
    }

    private void textSet(String name, boolean ignoreCase, String description,
            Function<Session, List<String>> elements) {
        add(name, Kind.TEXT_SET, ignoreCase, description, (s, c) -> {
            for (String e : elements.apply(s)) {
                if (c.text(e)) {
                    return true;
                }
            }
            return false;
        });
    }

    private void endpointText(String origName, String respName, String description,
            Function<EndpointInfo, String> value) {
        text(origName, true, "originator's " + description, s -> value.apply(info(s, true)));
        text(respName, true, "responder's " + description, s -> value.apply(info(s, false)));
    }

    private void endpointNumber(String origName, String respName, String description,
            ToLongFunction<EndpointInfo> value) {
        number(origName, "originator's " + description, s -> orUnset(value.applyAsLong(info(s, true))));
        number(respName, "responder's " + description, s -> orUnset(value.applyAsLong(info(s, false))));
    }

    private void eitherEnd(String name, String description, Function<EndpointInfo, String> value) {
        add(name, Kind.TEXT, true, description, (s, c) -> {
            String o = value.apply(info(s, true));
            String r = value.apply(info(s, false));
            return o != null && !o.isEmpty() && c.text(o) || r != null && !r.isEmpty() && c.text(r);
        });
    }

    /**
     * Nanoseconds in microseconds, rounded as Zeek prints times and intervals ({@link ZeekValues#appendSeconds}), so
     * that a value copied from conn.log or the table compares equal.
     */
    private static long micros(long nanos) {
        return Math.floorDiv(nanos + 500, 1000);
    }

    private static long orUnset(long v) {
        return v < 0 ? UNSET : v;
    }

    private static EndpointInfo info(Session s, boolean orig) {
        return orig ? s.origInfo() : s.respInfo();
    }

    /** Each element of a comma-separated list (Zeek's set separator), as conn.log's service writes several. */
    private static boolean anyElement(String list, Comparison c) {
        if (list == null || list.isEmpty()) {
            return false;
        }
        int from = 0;
        while (true) {
            int comma = list.indexOf(ZeekValues.SET_SEPARATOR, from);
            String element = comma < 0 ? list.substring(from) : list.substring(from, comma);
            if (!element.isEmpty() && c.text(element)) {
                return true;
            }
            if (comma < 0) {
                return false;
            }
            from = comma + 1;
        }
    }
}
