package org.weir.exchange;

import static org.weir.exchange.ZeekValues.SET_SEPARATOR;
import static org.weir.exchange.ZeekValues.UNSET;

import java.io.IOException;
import java.io.OutputStream;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import org.weir.core.EndpointInfo;
import org.weir.core.Enrichment;
import org.weir.core.LocalNetworks;
import org.weir.core.PolicyVerdict;
import org.weir.core.Session;

/**
 * Writes Zeek's conn.log in its TSV format: the {@code #separator}, {@code #fields} and {@code #types} header,
 * Zeek's column names, {@code -} for unset and {@code (empty)} for empty values, and the {@code #close} footer.
 */
public final class ZeekConnLogWriter extends SessionWriter {

    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd-HH-mm-ss");

    private final OutputStream stream;
    /** Lines are built in place in the output buffer, flushed to the stream when it is nearly full. */
    private final LineBuffer out;
    private final LocalNetworks local;
    private final Set<ConnColumns> extra;
    private final boolean l2, vlan, communityId, geo, names, intel;

    public ZeekConnLogWriter(OutputStream stream, LocalNetworks local, Set<ConnColumns> extra) throws IOException {
        this.stream = stream;
        this.out = new LineBuffer(stream, 1 << 16);
        this.local = local;
        this.extra = extra;
        this.l2 = extra.contains(ConnColumns.L2);
        this.vlan = extra.contains(ConnColumns.VLAN);
        this.communityId = extra.contains(ConnColumns.COMMUNITY_ID);
        this.geo = extra.contains(ConnColumns.GEO);
        this.names = extra.contains(ConnColumns.NAMES);
        this.intel = extra.contains(ConnColumns.INTEL);
        writeHeader();
    }

    private void writeHeader() throws IOException {
        List<String> fields = new ArrayList<>(List.of("ts", "uid", "id.orig_h", "id.orig_p", "id.resp_h", "id.resp_p",
                "proto", "service", "duration", "orig_bytes", "resp_bytes", "conn_state", "local_orig", "local_resp",
                "missed_bytes", "history", "orig_pkts", "orig_ip_bytes", "resp_pkts", "resp_ip_bytes",
                "tunnel_parents", "ip_proto"));
        List<String> types = new ArrayList<>(List.of("time", "string", "addr", "port", "addr", "port", "enum",
                "string", "interval", "count", "count", "string", "bool", "bool", "count", "string", "count", "count",
                "count", "count", "set[string]", "count"));
        if (extra.contains(ConnColumns.L2)) {
            fields.addAll(List.of("orig_l2_addr", "resp_l2_addr"));
            types.addAll(List.of("string", "string"));
        }
        if (extra.contains(ConnColumns.VLAN)) {
            fields.addAll(List.of("vlan", "inner_vlan"));
            types.addAll(List.of("int", "int"));
        }
        if (extra.contains(ConnColumns.COMMUNITY_ID)) {
            fields.add("community_id");
            types.add("string");
        }
        if (extra.contains(ConnColumns.GEO)) {
            for (String end : List.of("orig_location.", "resp_location.")) {
                fields.addAll(List.of(end + "country_code", end + "city", end + "latitude", end + "longitude"));
                types.addAll(List.of("string", "string", "double", "double"));
            }
            fields.addAll(List.of("orig_as.number", "orig_as.organization", "resp_as.number", "resp_as.organization"));
            types.addAll(List.of("count", "string", "count", "string"));
        }
        if (extra.contains(ConnColumns.NAMES)) {
            fields.addAll(List.of("orig_domain", "resp_domain", "resp_registered_domain", "resp_name_source"));
            types.addAll(List.of("string", "string", "string", "string"));
        }
        if (extra.contains(ConnColumns.INTEL)) {
            fields.addAll(List.of("orig_mac_vendor", "resp_mac_vendor", "resp_port_service", "resp_port_cves",
                    "criticality", "verdict", "verdict_rule"));
            types.addAll(List.of("string", "string", "string", "set[string]", "set[string]", "string", "string"));
        }
        out.put("#separator \\x09\n#set_separator\t" + SET_SEPARATOR + "\n#empty_field\t(empty)\n#unset_field\t" + UNSET
                + "\n#path\tconn\n");
        out.put("#open\t" + LocalDateTime.now().format(STAMP) + "\n");
        out.put("#fields\t" + String.join("\t", fields) + "\n");
        out.put("#types\t" + String.join("\t", types) + "\n");
        out.lineDone();
    }

    /** The enrichment of the extra column groups: geo, names and intel (vendors, services, tags, verdicts). */
    @Override
    public Set<Enrichment> reads() {
        Set<Enrichment> read = EnumSet.noneOf(Enrichment.class);
        if (geo) {
            read.add(Enrichment.LOCATION);
        }
        if (names) {
            read.add(Enrichment.NAMES);
        }
        if (intel) {
            read.addAll(List.of(Enrichment.HOST, Enrichment.TAGS, Enrichment.VERDICTS));
        }
        return read;
    }

    @Override
    public void write(Session s) throws IOException {
        LineBuffer b = out;
        b.putSeconds(s.startNanos());
        tab(b).put(s.uid());
        tab(b).putAddress(s.origHi(), s.origLo());
        tab(b).put(s.origPort());
        tab(b).putAddress(s.respHi(), s.respLo());
        tab(b).put(s.respPort());
        tab(b).put(s.transport().zeekName());
        tab(b);
        if (ZeekValues.hasService(s)) {
            escape(b, s.service());
        } else {
            b.put(UNSET);
        }
        tab(b);
        if (ZeekValues.hasDurationAndBytes(s)) {
            b.putSeconds(s.durationNanos());
            tab(b).put(s.origBytes());
            tab(b).put(s.respBytes());
        } else {
            b.put(UNSET).put('\t').put(UNSET).put('\t').put(UNSET);
        }
        tab(b).put(s.connState());
        tab(b).put(local.isEmpty() ? UNSET : ZeekValues.bool(ZeekValues.isLocalOrig(s, local)));
        tab(b).put(local.isEmpty() ? UNSET : ZeekValues.bool(ZeekValues.isLocalResp(s, local)));
        tab(b).put(s.missedBytes());
        tab(b);
        String history = ZeekValues.loggedHistory(s);
        if (history != null) {
            escape(b, history);
        } else {
            b.put(UNSET);
        }
        tab(b).put(s.origPackets());
        tab(b).put(s.origIpBytes());
        tab(b).put(s.respPackets());
        tab(b).put(s.respIpBytes());
        tab(b).put(ZeekValues.set(s.tunnelParents()));
        tab(b).put(s.ipProtocol());
        if (l2) {
            if (s.origMac() < 0) {
                tab(b).put(UNSET);
            } else {
                tab(b).putMac(s.origMac());
            }
            if (s.respMac() < 0) {
                tab(b).put(UNSET);
            } else {
                tab(b).putMac(s.respMac());
            }
        }
        if (vlan) {
            if (s.vlan() < 0) {
                tab(b).put(UNSET);
            } else {
                tab(b).put(s.vlan());
            }
            if (s.innerVlan() < 0) {
                tab(b).put(UNSET);
            } else {
                tab(b).put(s.innerVlan());
            }
        }
        if (communityId) {
            tab(b).put(s.communityId() == null ? UNSET : s.communityId());
        }
        if (geo) {
            geo(b, s.origInfo());
            geo(b, s.respInfo());
            as(b, s.origInfo());
            as(b, s.respInfo());
        }
        if (names) {
            text(tab(b), s.origInfo().domain());
            text(tab(b), s.respInfo().domain());
            text(tab(b), s.respInfo().registeredDomain());
            text(tab(b), s.respInfo().nameSource());
        }
        if (intel) {
            text(tab(b), s.origInfo().macVendor());
            text(tab(b), s.respInfo().macVendor());
            text(tab(b), s.portService());
            set(tab(b), s.portCves());
            set(tab(b), s.tags());
            PolicyVerdict v = s.verdict();
            text(tab(b), ZeekValues.verdict(s));
            text(tab(b), v == null ? null : v.rule());
        }
        b.put('\n');
        b.lineDone();
    }

    private static void geo(LineBuffer b, EndpointInfo e) {
        text(tab(b), e.countryCode());
        text(tab(b), e.city());
        number(tab(b), e.latitude());
        number(tab(b), e.longitude());
    }

    private static void as(LineBuffer b, EndpointInfo e) {
        if (e.asNumber() < 0) {
            tab(b).put(UNSET);
        } else {
            tab(b).put(e.asNumber());
        }
        text(tab(b), e.asOwner());
    }

    private static LineBuffer tab(LineBuffer b) {
        return b.put('\t');
    }

    private static void text(LineBuffer b, String value) {
        if (value == null) {
            b.put(UNSET);
        } else {
            escape(b, value);
        }
    }

    /** A double as Zeek's ASCII writer prints it: up to six decimals, trailing zeros dropped. */
    private static void number(LineBuffer b, double value) {
        if (Double.isNaN(value)) {
            b.put(UNSET);
            return;
        }
        b.putDecimal(value);
    }

    private static void set(LineBuffer b, List<String> values) {
        if (values.isEmpty()) {
            b.put(UNSET);
            return;
        }
        for (int i = 0; i < values.size(); i++) {
            if (i > 0) {
                b.put(',');
            }
            String v = values.get(i);
            for (int k = 0; k < v.length(); k++) {
                char c = v.charAt(k);
                if (c == ',' || c == '\t' || c == '\\' || c < 0x20 || c == 0x7F) {
                    hex(b, c);
                } else {
                    b.put(c);
                }
            }
        }
    }

    /** Zeek's ASCII writer escapes separators and non-printable bytes as \xNN. */
    private static void escape(LineBuffer b, String value) {
        if (value.isEmpty()) {
            b.put("(empty)");
            return;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\t' || c == '\\' || c < 0x20 || c == 0x7F) {
                hex(b, c);
            } else if (c < 0x80) {
                b.put(c);
            } else {
                // Not ASCII: the rest goes through the encoding path, which pairs surrogates.
                int j = i;
                while (j < value.length() && !needsEscape(value.charAt(j))) {
                    j++;
                }
                b.put(value.substring(i, j));
                i = j - 1;
            }
        }
    }

    private static boolean needsEscape(char c) {
        return c == '\t' || c == '\\' || c < 0x20 || c == 0x7F;
    }

    private static void hex(LineBuffer b, char c) {
        b.put('\\').put('x').put(Character.forDigit((c >> 4) & 0xF, 16)).put(Character.forDigit(c & 0xF, 16));
    }

    @Override
    public void close() throws IOException {
        try {
            out.put("#close\t" + LocalDateTime.now().format(STAMP) + "\n");
            out.flush();
        } finally {
            stream.close();
        }
    }
}
