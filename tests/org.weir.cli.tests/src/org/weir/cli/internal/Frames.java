package org.weir.cli.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.weir.core.IpAddress;
import org.weir.core.LinkTypes;
import org.weir.packet.PcapWriter;

/** Builds small Ethernet/IPv4 captures with correct checksums, for tests that need traffic the corpus lacks. */
final class Frames {

    private record Frame(long nanos, byte[] bytes) {
    }

    private final List<Frame> frames = new ArrayList<>();

    static final long SECOND = 1_000_000_000L;

    /** A UDP datagram. */
    Frames udp(long nanos, String src, int sport, String dst, int dport, byte[] payload) {
        byte[] l4 = new byte[8 + payload.length];
        put16(l4, 0, sport);
        put16(l4, 2, dport);
        put16(l4, 4, l4.length);
        System.arraycopy(payload, 0, l4, 8, payload.length);
        put16(l4, 6, transportChecksum(src, dst, 17, l4));
        frames.add(new Frame(nanos, ip(src, dst, 17, l4)));
        return this;
    }

    /** A TCP segment (flags: 0x02 SYN, 0x12 SYN-ACK, 0x10 ACK, 0x18 PSH-ACK, 0x11 FIN-ACK). */
    Frames tcp(long nanos, String src, int sport, String dst, int dport, int flags, long seq, long ack,
            byte[] payload) {
        byte[] l4 = new byte[20 + payload.length];
        put16(l4, 0, sport);
        put16(l4, 2, dport);
        put32(l4, 4, seq);
        put32(l4, 8, ack);
        l4[12] = 0x50;
        l4[13] = (byte) flags;
        put16(l4, 14, 65535);
        System.arraycopy(payload, 0, l4, 20, payload.length);
        put16(l4, 16, transportChecksum(src, dst, 6, l4));
        frames.add(new Frame(nanos, ip(src, dst, 6, l4)));
        return this;
    }

    /** A TCP connection: handshake, one client payload, the server's acknowledgement, and a FIN exchange. */
    Frames connection(long nanos, String client, int cport, String server, int sport, byte[] clientPayload) {
        long c = 1000, s = 5000;
        tcp(nanos, client, cport, server, sport, 0x02, c, 0, new byte[0]);
        tcp(nanos + 1000_000, server, sport, client, cport, 0x12, s, c + 1, new byte[0]);
        tcp(nanos + 2000_000, client, cport, server, sport, 0x10, c + 1, s + 1, new byte[0]);
        long next = c + 1;
        if (clientPayload.length > 0) {
            tcp(nanos + 3000_000, client, cport, server, sport, 0x18, next, s + 1, clientPayload);
            next += clientPayload.length;
            tcp(nanos + 4000_000, server, sport, client, cport, 0x10, s + 1, next, new byte[0]);
        }
        tcp(nanos + 5000_000, client, cport, server, sport, 0x11, next, s + 1, new byte[0]);
        tcp(nanos + 6000_000, server, sport, client, cport, 0x11, s + 1, next + 1, new byte[0]);
        tcp(nanos + 7000_000, client, cport, server, sport, 0x10, next + 1, s + 2, new byte[0]);
        return this;
    }

    void write(Path file) throws IOException {
        try (PcapWriter w = PcapWriter.create(file, LinkTypes.ETHERNET, 65535, false)) {
            for (Frame f : frames) {
                w.write(f.nanos(), f.bytes(), 0, f.bytes().length, f.bytes().length);
            }
        }
    }

    /**
     * A DNS response to a query for {@code qname} (type A): a CNAME chain through {@code cnames} (may be empty),
     * then one A record per address, owned by the last name of the chain.
     */
    static byte[] dnsResponse(int id, String qname, List<String> cnames, List<String> addresses) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        write16(b, id);
        write16(b, 0x8180);
        write16(b, 1);
        write16(b, cnames.size() + addresses.size());
        write16(b, 0);
        write16(b, 0);
        name(b, qname);
        write16(b, 1);
        write16(b, 1);
        String owner = qname;
        for (String cname : cnames) {
            if (owner.equals(qname)) {
                write16(b, 0xC00C); // compression pointer to the question's name
            } else {
                name(b, owner);
            }
            write16(b, 5);
            write16(b, 1);
            write32(b, 300);
            byte[] target = nameBytes(cname);
            write16(b, target.length);
            b.writeBytes(target);
            owner = cname;
        }
        for (String a : addresses) {
            name(b, owner);
            write16(b, 1);
            write16(b, 1);
            write32(b, 300);
            write16(b, 4);
            byte[] ip = IpAddress.toBytes(parse(a)[0], parse(a)[1]);
            b.writeBytes(ip);
        }
        return b.toByteArray();
    }

    /** A TLS 1.2-style ClientHello record with a server_name extension. */
    static byte[] clientHello(String serverName) {
        byte[] host = serverName.getBytes(StandardCharsets.US_ASCII);
        ByteArrayOutputStream ext = new ByteArrayOutputStream();
        write16(ext, 0); // server_name
        write16(ext, host.length + 5);
        write16(ext, host.length + 3);
        ext.write(0);
        write16(ext, host.length);
        ext.writeBytes(host);
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        write16(body, 0x0303);
        body.writeBytes(new byte[32]); // random
        body.write(0); // session id
        write16(body, 2);
        write16(body, 0xC02F); // one cipher suite
        body.write(1);
        body.write(0); // null compression
        write16(body, ext.size());
        body.writeBytes(ext.toByteArray());
        ByteArrayOutputStream rec = new ByteArrayOutputStream();
        rec.write(0x16);
        write16(rec, 0x0301);
        write16(rec, body.size() + 4);
        rec.write(1); // ClientHello
        rec.write(0);
        write16(rec, body.size());
        rec.writeBytes(body.toByteArray());
        return rec.toByteArray();
    }

    static byte[] httpGet(String host) {
        return ("GET / HTTP/1.1\r\nUser-Agent: test\r\nHost: " + host + "\r\nAccept: */*\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
    }

    private byte[] ip(String src, String dst, int protocol, byte[] l4) {
        byte[] f = new byte[14 + 20 + l4.length];
        f[0] = 0x02; // destination MAC 02:00:00:00:00:01, source 02:00:00:00:00:02
        f[5] = 1;
        f[6] = 0x02;
        f[11] = 2;
        put16(f, 12, 0x0800);
        f[14] = 0x45;
        put16(f, 16, 20 + l4.length);
        f[22] = 64;
        f[23] = (byte) protocol;
        System.arraycopy(v4(src), 0, f, 26, 4);
        System.arraycopy(v4(dst), 0, f, 30, 4);
        put16(f, 24, checksum(f, 14, 20, 0));
        System.arraycopy(l4, 0, f, 34, l4.length);
        return f;
    }

    private static int transportChecksum(String src, String dst, int protocol, byte[] l4) {
        byte[] s = v4(src), d = v4(dst);
        long sum = ((s[0] & 0xFF) << 8 | (s[1] & 0xFF)) + ((s[2] & 0xFF) << 8 | (s[3] & 0xFF))
                + ((d[0] & 0xFF) << 8 | (d[1] & 0xFF)) + ((d[2] & 0xFF) << 8 | (d[3] & 0xFF)) + protocol + l4.length;
        int c = checksum(l4, 0, l4.length, sum);
        return c == 0 && protocol == 17 ? 0xFFFF : c;
    }

    private static int checksum(byte[] d, int off, int len, long initial) {
        long sum = initial;
        for (int i = 0; i + 1 < len; i += 2) {
            sum += (d[off + i] & 0xFF) << 8 | (d[off + i + 1] & 0xFF);
        }
        if ((len & 1) == 1) {
            sum += (d[off + len - 1] & 0xFF) << 8;
        }
        while ((sum >> 16) != 0) {
            sum = (sum & 0xFFFF) + (sum >> 16);
        }
        return (int) (~sum & 0xFFFF);
    }

    private static long[] parse(String a) {
        long[] v = new long[2];
        IpAddress.parse(a, v);
        return v;
    }

    private static byte[] v4(String a) {
        long[] v = parse(a);
        return IpAddress.toBytes(v[0], v[1]);
    }

    private static void name(ByteArrayOutputStream b, String name) {
        b.writeBytes(nameBytes(name));
    }

    private static byte[] nameBytes(String name) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (String label : name.split("\\.")) {
            b.write(label.length());
            b.writeBytes(label.getBytes(StandardCharsets.US_ASCII));
        }
        b.write(0);
        return b.toByteArray();
    }

    private static void write16(ByteArrayOutputStream b, int v) {
        b.write(v >> 8);
        b.write(v);
    }

    private static void write32(ByteArrayOutputStream b, long v) {
        write16(b, (int) (v >> 16) & 0xFFFF);
        write16(b, (int) v & 0xFFFF);
    }

    private static void put16(byte[] d, int o, int v) {
        d[o] = (byte) (v >> 8);
        d[o + 1] = (byte) v;
    }

    private static void put32(byte[] d, int o, long v) {
        put16(d, o, (int) (v >> 16) & 0xFFFF);
        put16(d, o + 2, (int) v & 0xFFFF);
    }
}
