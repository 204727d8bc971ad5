package org.weir.exchange;

import java.io.IOException;
import java.io.OutputStream;
import java.util.EnumSet;
import java.util.Set;

import org.weir.core.EndpointInfo;
import org.weir.core.Enrichment;
import org.weir.core.IpAddress;
import org.weir.core.LocalNetworks;
import org.weir.core.PolicyVerdict;
import org.weir.core.Session;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.MinimalPrettyPrinter;

/**
 * Writes sessions as JSON lines with Zeek's JSON log field names ({@code id.orig_h}, ...; unset fields left
 * out), plus {@code community_id}, {@code vlan}/{@code inner_vlan} and L2 addresses when known, and what the
 * enrichers found: {@code orig_cc}/{@code resp_cc}, {@code *_city}, {@code *_lat}/{@code *_lon},
 * {@code *_asn}, {@code *_as_org}, {@code orig_domain}, {@code resp_domain}, {@code resp_registered_domain},
 * {@code *_name_source}, {@code *_mac_vendor}, {@code resp_port_service}, {@code resp_port_cves},
 * {@code criticality} (tags, comma-separated), {@code verdict} ({@code conforming}/{@code exception}),
 * {@code verdict_profile}, {@code verdict_rule}.
 */
public final class JsonConnWriter extends SessionWriter {

    private final JsonGenerator json;
    private final LocalNetworks local;
    /** Scratch for times and addresses, handed to the generator as characters (no String per value). */
    private final StringBuilder scratch = new StringBuilder(48);
    private char[] chars = new char[48];

    public JsonConnWriter(OutputStream stream, LocalNetworks local) throws IOException {
        this.json = new JsonFactory().createGenerator(stream, JsonEncoding.UTF8);
        this.json.setPrettyPrinter(new MinimalPrettyPrinter("\n"));
        this.local = local;
    }

    /** A record holds every field: all of the enrichment. */
    @Override
    public Set<Enrichment> reads() {
        return EnumSet.allOf(Enrichment.class);
    }

    @Override
    public void write(Session s) throws IOException {
        JsonGenerator g = json;
        g.writeStartObject();
        g.writeFieldName("ts");
        seconds(g, s.startNanos());
        g.writeStringField("uid", s.uid());
        g.writeFieldName("id.orig_h");
        address(g, s.origHi(), s.origLo());
        g.writeNumberField("id.orig_p", s.origPort());
        g.writeFieldName("id.resp_h");
        address(g, s.respHi(), s.respLo());
        g.writeNumberField("id.resp_p", s.respPort());
        g.writeStringField("proto", s.transport().zeekName());
        if (ZeekValues.hasService(s)) {
            g.writeStringField("service", s.service());
        }
        if (ZeekValues.hasDurationAndBytes(s)) {
            g.writeFieldName("duration");
            seconds(g, s.durationNanos());
            g.writeNumberField("orig_bytes", s.origBytes());
            g.writeNumberField("resp_bytes", s.respBytes());
        }
        g.writeStringField("conn_state", s.connState());
        if (!local.isEmpty()) {
            g.writeBooleanField("local_orig", ZeekValues.isLocalOrig(s, local));
            g.writeBooleanField("local_resp", ZeekValues.isLocalResp(s, local));
        }
        g.writeNumberField("missed_bytes", s.missedBytes());
        String history = ZeekValues.loggedHistory(s);
        if (history != null) {
            g.writeStringField("history", history);
        }
        g.writeNumberField("orig_pkts", s.origPackets());
        g.writeNumberField("orig_ip_bytes", s.origIpBytes());
        g.writeNumberField("resp_pkts", s.respPackets());
        g.writeNumberField("resp_ip_bytes", s.respIpBytes());
        if (!s.tunnelParents().isEmpty()) {
            g.writeArrayFieldStart("tunnel_parents");
            for (String parent : s.tunnelParents()) {
                g.writeString(parent);
            }
            g.writeEndArray();
        }
        g.writeNumberField("ip_proto", s.ipProtocol());
        if (s.origMac() >= 0) {
            g.writeFieldName("orig_l2_addr");
            mac(g, s.origMac());
        }
        if (s.respMac() >= 0) {
            g.writeFieldName("resp_l2_addr");
            mac(g, s.respMac());
        }
        if (s.vlan() >= 0) {
            g.writeNumberField("vlan", s.vlan());
        }
        if (s.innerVlan() >= 0) {
            g.writeNumberField("inner_vlan", s.innerVlan());
        }
        if (s.communityId() != null) {
            g.writeStringField("community_id", s.communityId());
        }
        writeIntel(g, s);
        g.writeEndObject();
    }

    private void seconds(JsonGenerator g, long nanos) throws IOException {
        StringBuilder b = scratch;
        b.setLength(0);
        ZeekValues.appendSeconds(b, nanos);
        g.writeNumber(chars(b), 0, b.length());
    }

    private void address(JsonGenerator g, long hi, long lo) throws IOException {
        StringBuilder b = scratch;
        b.setLength(0);
        IpAddress.appendTo(b, hi, lo);
        g.writeString(chars(b), 0, b.length());
    }

    private void mac(JsonGenerator g, long mac) throws IOException {
        StringBuilder b = scratch;
        b.setLength(0);
        ZeekValues.appendMac(b, mac);
        g.writeString(chars(b), 0, b.length());
    }

    private char[] chars(StringBuilder b) {
        if (chars.length < b.length()) {
            chars = new char[b.length()];
        }
        b.getChars(0, b.length(), chars, 0);
        return chars;
    }

    /** Enrichment fields, each left out when unknown. */
    private static void writeIntel(JsonGenerator g, Session s) throws IOException {
        EndpointInfo o = s.origInfo(), r = s.respInfo();
        text(g, "orig_cc", o.countryCode());
        text(g, "resp_cc", r.countryCode());
        text(g, "orig_city", o.city());
        text(g, "resp_city", r.city());
        if (o.hasLocation()) {
            g.writeNumberField("orig_lat", o.latitude());
            g.writeNumberField("orig_lon", o.longitude());
        }
        if (r.hasLocation()) {
            g.writeNumberField("resp_lat", r.latitude());
            g.writeNumberField("resp_lon", r.longitude());
        }
        if (o.asNumber() >= 0) {
            g.writeNumberField("orig_asn", o.asNumber());
        }
        text(g, "orig_as_org", o.asOwner());
        if (r.asNumber() >= 0) {
            g.writeNumberField("resp_asn", r.asNumber());
        }
        text(g, "resp_as_org", r.asOwner());
        text(g, "orig_domain", o.domain());
        text(g, "orig_name_source", o.nameSource());
        text(g, "resp_domain", r.domain());
        text(g, "resp_registered_domain", r.registeredDomain());
        text(g, "resp_name_source", r.nameSource());
        text(g, "orig_mac_vendor", o.macVendor());
        text(g, "resp_mac_vendor", r.macVendor());
        text(g, "orig_process", o.process());
        text(g, "resp_port_service", s.portService());
        if (!s.portCves().isEmpty()) {
            g.writeArrayFieldStart("resp_port_cves");
            for (String c : s.portCves()) {
                g.writeString(c);
            }
            g.writeEndArray();
        }
        if (!s.tags().isEmpty()) {
            g.writeStringField("criticality", s.criticality());
        }
        PolicyVerdict v = s.verdict();
        if (v != null) {
            g.writeStringField("verdict", ZeekValues.verdict(s));
            text(g, "verdict_profile", v.profile());
            text(g, "verdict_rule", v.rule());
        }
    }

    private static void text(JsonGenerator g, String name, String value) throws IOException {
        if (value != null) {
            g.writeStringField(name, value);
        }
    }

    @Override
    public void close() throws IOException {
        json.writeRaw('\n');
        json.close();
    }
}
