package org.weir.exchange;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.weir.core.EndpointInfo;
import org.weir.core.LocalNetworks;
import org.weir.core.PolicyVerdict;
import org.weir.core.Session;

/**
 * Writes Zeek's conn.log in its TSV format: the {@code #separator}, {@code #fields} and {@code #types} header,
 * Zeek's column names, {@code -} for unset and {@code (empty)} for empty values, and the {@code #close} footer.
 */
public final class ZeekConnLogWriter extends SessionWriter {

    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd-HH-mm-ss");
    private static final String UNSET = "-";

    private final Writer out;
    private final LocalNetworks local;
    private final Set<ConnColumns> extra;
    private final StringBuilder line = new StringBuilder(256);

    public ZeekConnLogWriter(OutputStream stream, LocalNetworks local, Set<ConnColumns> extra) throws IOException {
        this.out = new BufferedWriter(new OutputStreamWriter(stream, StandardCharsets.UTF_8), 1 << 16);
        this.local = local;
        this.extra = extra;
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
        out.write("#separator \\x09\n#set_separator\t,\n#empty_field\t(empty)\n#unset_field\t-\n#path\tconn\n");
        out.write("#open\t" + LocalDateTime.now().format(STAMP) + "\n");
        out.write("#fields\t" + String.join("\t", fields) + "\n");
        out.write("#types\t" + String.join("\t", types) + "\n");
    }

    @Override
    public void write(Session s) throws IOException {
        StringBuilder b = line;
        b.setLength(0);
        ZeekValues.appendSeconds(b, s.startNanos());
        tab(b).append(s.uid());
        tab(b).append(s.origAddress());
        tab(b).append(s.origPort());
        tab(b).append(s.respAddress());
        tab(b).append(s.respPort());
        tab(b).append(s.transport().zeekName());
        tab(b);
        if (ZeekValues.hasService(s)) {
            escape(b, s.service());
        } else {
            b.append(UNSET);
        }
        tab(b);
        if (ZeekValues.hasDurationAndBytes(s)) {
            ZeekValues.appendSeconds(b, s.durationNanos());
            tab(b).append(s.origBytes());
            tab(b).append(s.respBytes());
        } else {
            b.append(UNSET).append('\t').append(UNSET).append('\t').append(UNSET);
        }
        tab(b).append(s.connState());
        tab(b).append(local.isEmpty() ? UNSET : ZeekValues.isLocalOrig(s, local) ? "T" : "F");
        tab(b).append(local.isEmpty() ? UNSET : ZeekValues.isLocalResp(s, local) ? "T" : "F");
        tab(b).append(s.missedBytes());
        tab(b);
        if (ZeekValues.hasHistory(s)) {
            escape(b, s.history());
        } else {
            b.append(UNSET);
        }
        tab(b).append(s.origPackets());
        tab(b).append(s.origIpBytes());
        tab(b).append(s.respPackets());
        tab(b).append(s.respIpBytes());
        tab(b).append(s.tunnelParent() == null ? UNSET : s.tunnelParent());
        tab(b).append(s.ipProtocol());
        if (extra.contains(ConnColumns.L2)) {
            tab(b).append(s.origMac() < 0 ? UNSET : ZeekValues.mac(s.origMac()));
            tab(b).append(s.respMac() < 0 ? UNSET : ZeekValues.mac(s.respMac()));
        }
        if (extra.contains(ConnColumns.VLAN)) {
            tab(b).append(s.vlan() < 0 ? UNSET : Integer.toString(s.vlan()));
            tab(b).append(s.innerVlan() < 0 ? UNSET : Integer.toString(s.innerVlan()));
        }
        if (extra.contains(ConnColumns.COMMUNITY_ID)) {
            tab(b).append(s.communityId() == null ? UNSET : s.communityId());
        }
        if (extra.contains(ConnColumns.GEO)) {
            for (EndpointInfo e : List.of(s.origInfo(), s.respInfo())) {
                text(tab(b), e.countryCode());
                text(tab(b), e.city());
                number(tab(b), e.latitude());
                number(tab(b), e.longitude());
            }
            for (EndpointInfo e : List.of(s.origInfo(), s.respInfo())) {
                tab(b).append(e.asNumber() < 0 ? UNSET : Long.toString(e.asNumber()));
                text(tab(b), e.asOwner());
            }
        }
        if (extra.contains(ConnColumns.NAMES)) {
            text(tab(b), s.origInfo().domain());
            text(tab(b), s.respInfo().domain());
            text(tab(b), s.respInfo().registeredDomain());
            text(tab(b), s.respInfo().nameSource());
        }
        if (extra.contains(ConnColumns.INTEL)) {
            text(tab(b), s.origInfo().macVendor());
            text(tab(b), s.respInfo().macVendor());
            text(tab(b), s.portService());
            set(tab(b), s.portCves());
            set(tab(b), s.tags());
            PolicyVerdict v = s.verdict();
            tab(b).append(v == null ? UNSET : v.conforming() ? "conforming" : "exception");
            text(tab(b), v == null ? null : v.rule());
        }
        b.append('\n');
        out.append(b);
    }

    private static StringBuilder tab(StringBuilder b) {
        return b.append('\t');
    }

    private static void text(StringBuilder b, String value) {
        if (value == null) {
            b.append(UNSET);
        } else {
            escape(b, value);
        }
    }

    /** A double as Zeek's ASCII writer prints it: up to six decimals, trailing zeros dropped. */
    private static void number(StringBuilder b, double value) {
        if (Double.isNaN(value)) {
            b.append(UNSET);
            return;
        }
        b.append(ZeekValues.decimal(value));
    }

    private static void set(StringBuilder b, List<String> values) {
        if (values.isEmpty()) {
            b.append(UNSET);
            return;
        }
        for (int i = 0; i < values.size(); i++) {
            if (i > 0) {
                b.append(',');
            }
            String v = values.get(i);
            for (int k = 0; k < v.length(); k++) {
                char c = v.charAt(k);
                if (c == ',' || c == '\t' || c == '\\' || c < 0x20 || c == 0x7F) {
                    b.append("\\x").append(Character.forDigit((c >> 4) & 0xF, 16))
                            .append(Character.forDigit(c & 0xF, 16));
                } else {
                    b.append(c);
                }
            }
        }
    }

    /** Zeek's ASCII writer escapes separators and non-printable bytes as \xNN. */
    private static void escape(StringBuilder b, String value) {
        if (value.isEmpty()) {
            b.append("(empty)");
            return;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\t' || c == '\\' || c < 0x20 || c == 0x7F) {
                b.append("\\x").append(Character.forDigit((c >> 4) & 0xF, 16)).append(Character.forDigit(c & 0xF, 16));
            } else {
                b.append(c);
            }
        }
    }

    @Override
    public void close() throws IOException {
        try {
            out.write("#close\t" + LocalDateTime.now().format(STAMP) + "\n");
        } finally {
            out.close();
        }
    }
}
