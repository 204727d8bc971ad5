package org.weir.session.internal;

import org.weir.core.IpAddress;
import org.weir.core.PacketHandler;
import org.weir.core.PacketView;

/** Hand-made packets for unit tests: fills the layer fields of a {@link PacketView} as the decoder would. */
final class Pkt {

    final PacketView v = new PacketView();

    private Pkt(int proto, String src, int sport, String dst, int dport) {
        v.resetLayers();
        v.data = new byte[256];
        v.payloadOffset = 64;
        long[] a = new long[2];
        IpAddress.parse(src, a);
        v.srcHi = a[0];
        v.srcLo = a[1];
        boolean v6 = !IpAddress.isV4(a[0], a[1]);
        IpAddress.parse(dst, a);
        v.dstHi = a[0];
        v.dstLo = a[1];
        v.ipVersion = v6 ? 6 : 4;
        v.ipHeaderLength = v6 ? 40 : 20;
        v.protocol = proto;
        v.srcPort = sport;
        v.dstPort = dport;
        v.tcpHeaderLength = proto == 6 ? 20 : 0;
        v.tcpWindow = 1000;
        length();
    }

    static Pkt tcp(String src, int sport, String dst, int dport) {
        return new Pkt(6, src, sport, dst, dport);
    }

    static Pkt udp(String src, int sport, String dst, int dport) {
        return new Pkt(17, src, sport, dst, dport);
    }

    /** ICMP or ICMPv6 (by address family): type and code travel in the port fields. */
    static Pkt icmp(String src, String dst, int type, int code) {
        Pkt p = new Pkt(1, src, type, dst, code);
        if (p.v.ipVersion == 6) {
            p.v.protocol = 58;
        }
        return p.payload(8);
    }

    static Pkt other(int proto, String src, String dst) {
        return new Pkt(proto, src, -1, dst, -1);
    }

    Pkt at(double seconds) {
        v.timestampNanos = Math.round(seconds * 1e9);
        return this;
    }

    /** TCP flags as letters: S F R A P. */
    Pkt flags(String f) {
        int x = 0;
        for (char c : f.toCharArray()) {
            x |= switch (c) {
                case 'F' -> 0x01;
                case 'S' -> 0x02;
                case 'R' -> 0x04;
                case 'P' -> 0x08;
                case 'A' -> 0x10;
                default -> throw new IllegalArgumentException(f);
            };
        }
        v.tcpFlags = x;
        return this;
    }

    Pkt seq(long s) {
        v.tcpSeq = s & 0xFFFF_FFFFL;
        return this;
    }

    Pkt ack(long a) {
        v.tcpAck = a & 0xFFFF_FFFFL;
        return this;
    }

    Pkt window(int w) {
        v.tcpWindow = w;
        return this;
    }

    Pkt payload(int n) {
        v.payloadLength = n;
        v.payloadCapturedLength = n;
        return length();
    }

    /** Cuts the payload at {@code captured} bytes, as a snap length does (the lengths stay). */
    Pkt snapped(int captured) {
        v.payloadCapturedLength = captured;
        return this;
    }

    /** Sets payload bytes (e.g. a DNS header). */
    Pkt bytes(int offset, int... values) {
        for (int i = 0; i < values.length; i++) {
            v.data[v.payloadOffset + offset + i] = (byte) values[i];
        }
        return this;
    }

    /** The payload: these bytes (the data array grows to hold them). */
    Pkt content(byte[] b) {
        if (v.payloadOffset + b.length > v.data.length) {
            v.data = java.util.Arrays.copyOf(v.data, v.payloadOffset + b.length);
        }
        System.arraycopy(b, 0, v.data, v.payloadOffset, b.length);
        return payload(b.length);
    }

    /** The payload: this text in ASCII. */
    Pkt content(String text) {
        return content(text.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    }

    Pkt badChecksum() {
        v.transportChecksumBad = true;
        return this;
    }

    Pkt vlan(int outer, int inner) {
        v.vlan = outer;
        v.innerVlan = inner;
        return this;
    }

    private Pkt length() {
        int l4 = switch (v.protocol) {
            case 6 -> v.tcpHeaderLength;
            case 17 -> 8;
            default -> 0;
        };
        v.ipTotalLength = v.ipHeaderLength + l4 + v.payloadLength;
        v.l4CapturedLength = l4 + v.payloadLength;
        return this;
    }

    Pkt to(PacketHandler h) {
        if (recorder != null) {
            recorder.sent(h, v);
        }
        h.onPacket(v);
        return this;
    }

    /** Told of every packet {@link #to} sends, before the handler sees it. */
    interface Recorder {
        void sent(PacketHandler to, PacketView v);
    }

    /** Where packets sent are recorded ({@link ServiceTables}); null: nowhere. */
    static Recorder recorder;
}
