package org.weir.exchange;

import java.io.IOException;
import java.io.OutputStream;

import org.weir.core.LocalNetworks;
import org.weir.core.Session;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.MinimalPrettyPrinter;

/**
 * Writes sessions as JSON lines with Zeek's JSON log field names ({@code id.orig_h}, ...; unset fields left
 * out), plus {@code community_id}, {@code vlan}/{@code inner_vlan} and L2 addresses when known.
 */
public final class JsonConnWriter extends SessionWriter {

    private final JsonGenerator json;
    private final LocalNetworks local;

    public JsonConnWriter(OutputStream stream, LocalNetworks local) throws IOException {
        this.json = new JsonFactory().createGenerator(stream, JsonEncoding.UTF8);
        this.json.setPrettyPrinter(new MinimalPrettyPrinter("\n"));
        this.local = local;
    }

    @Override
    public void write(Session s) throws IOException {
        JsonGenerator g = json;
        g.writeStartObject();
        g.writeFieldName("ts");
        g.writeNumber(ZeekValues.seconds(s.startNanos()));
        g.writeStringField("uid", s.uid());
        g.writeStringField("id.orig_h", s.origAddress());
        g.writeNumberField("id.orig_p", s.origPort());
        g.writeStringField("id.resp_h", s.respAddress());
        g.writeNumberField("id.resp_p", s.respPort());
        g.writeStringField("proto", s.transport().zeekName());
        if (ZeekValues.hasService(s)) {
            g.writeStringField("service", s.service());
        }
        if (ZeekValues.hasDurationAndBytes(s)) {
            g.writeFieldName("duration");
            g.writeNumber(ZeekValues.seconds(s.durationNanos()));
            g.writeNumberField("orig_bytes", s.origBytes());
            g.writeNumberField("resp_bytes", s.respBytes());
        }
        g.writeStringField("conn_state", s.connState());
        if (!local.isEmpty()) {
            g.writeBooleanField("local_orig", ZeekValues.isLocalOrig(s, local));
            g.writeBooleanField("local_resp", ZeekValues.isLocalResp(s, local));
        }
        g.writeNumberField("missed_bytes", s.missedBytes());
        if (ZeekValues.hasHistory(s)) {
            g.writeStringField("history", s.history());
        }
        g.writeNumberField("orig_pkts", s.origPackets());
        g.writeNumberField("orig_ip_bytes", s.origIpBytes());
        g.writeNumberField("resp_pkts", s.respPackets());
        g.writeNumberField("resp_ip_bytes", s.respIpBytes());
        if (s.tunnelParent() != null) {
            g.writeArrayFieldStart("tunnel_parents");
            g.writeString(s.tunnelParent());
            g.writeEndArray();
        }
        g.writeNumberField("ip_proto", s.ipProtocol());
        if (s.origMac() >= 0) {
            g.writeStringField("orig_l2_addr", ZeekValues.mac(s.origMac()));
        }
        if (s.respMac() >= 0) {
            g.writeStringField("resp_l2_addr", ZeekValues.mac(s.respMac()));
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
        g.writeEndObject();
    }

    @Override
    public void close() throws IOException {
        json.writeRaw('\n');
        json.close();
    }
}
