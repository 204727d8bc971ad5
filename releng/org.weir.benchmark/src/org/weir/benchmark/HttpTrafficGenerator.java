package org.weir.benchmark;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import org.weir.core.LinkTypes;
import org.weir.packet.PcapWriter;

/**
 * Writes a capture of short HTTP/1.1 connections, for what following the clients' requests costs the session table
 * (Zeek's MIME limits; PERFORMANCE.md, "HTTP requests"): each connection a handshake, a GET with a browser's headers
 * and a multipart form POST, each answered with 1,000 bytes, then a FIN teardown. Connections follow one another
 * 100 µs a packet apart, each from a client address and port of its own, to one server on port 80.
 */
public final class HttpTrafficGenerator {

    private static final String GET = "GET /index/%d/page.html?q=abcdef HTTP/1.1\r\nHost: www.example.org\r\n"
            + "User-Agent: Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0\r\n"
            + "Accept: text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8\r\n"
            + "Accept-Language: en-US,en;q=0.5\r\nAccept-Encoding: gzip, deflate, br\r\nConnection: keep-alive\r\n"
            + "Cookie: session=0123456789abcdef0123456789abcdef\r\nUpgrade-Insecure-Requests: 1\r\n\r\n";
    private static final String POST = "POST /form HTTP/1.1\r\nHost: www.example.org\r\n"
            + "Content-Type: multipart/form-data; boundary=----WebKitFormBoundary7MA4YWxkTrZu0gW\r\n"
            + "Content-Length: 139\r\n\r\n------WebKitFormBoundary7MA4YWxkTrZu0gW\r\n"
            + "Content-Disposition: form-data; name=\"field\"\r\n\r\nvalue\r\n"
            + "------WebKitFormBoundary7MA4YWxkTrZu0gW--\r\n";
    private static final byte[] REPLY = ("HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 1000\r\n\r\n"
            + "x".repeat(1000)).getBytes(StandardCharsets.ISO_8859_1);
    private static final int SERVER = 0xC0A8_0001;

    private final byte[] frame = new byte[14 + 20 + 20 + 1500];
    private final PcapWriter out;
    private long nanos = 1_768_471_200_000_000_000L;

    private HttpTrafficGenerator(PcapWriter out) {
        this.out = out;
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 2) {
            System.err.println("usage: HttpTrafficGenerator CONNECTIONS OUT.pcap");
            System.exit(2);
        }
        int connections = Integer.parseInt(args[0]);
        try (PcapWriter w = PcapWriter.create(Path.of(args[1]), LinkTypes.ETHERNET, 65_535, false)) {
            HttpTrafficGenerator g = new HttpTrafficGenerator(w);
            for (int i = 0; i < connections; i++) {
                g.connection(i);
            }
        }
    }

    private void connection(int i) throws IOException {
        int client = 0x0A00_0001 + i % 60_000, port = 1024 + i / 60_000;
        int c = 1000 * i, s = 7 * i;
        segment(client, port, true, c, 0, 0x02, null);
        segment(client, port, false, s, c + 1, 0x12, null);
        c++;
        s++;
        segment(client, port, true, c, s, 0x10, null);
        for (byte[] request : new byte[][] {GET.formatted(i).getBytes(StandardCharsets.ISO_8859_1),
            POST.getBytes(StandardCharsets.ISO_8859_1)}) {
            segment(client, port, true, c, s, 0x18, request);
            c += request.length;
            segment(client, port, false, s, c, 0x18, REPLY);
            s += REPLY.length;
        }
        segment(client, port, true, c, s, 0x11, null);
        segment(client, port, false, s, c + 1, 0x11, null);
        segment(client, port, true, c + 1, s + 1, 0x10, null);
    }

    /** One Ethernet/IPv4/TCP frame with correct checksums. */
    private void segment(int client, int port, boolean fromClient, int seq, int ack, int flags, byte[] payload)
            throws IOException {
        int n = payload == null ? 0 : payload.length;
        java.util.Arrays.fill(frame, 0, 54, (byte) 0);
        frame[12] = 0x08; // IPv4
        int src = fromClient ? client : SERVER, dst = fromClient ? SERVER : client;
        frame[14] = 0x45;
        put16(16, 40 + n);
        frame[22] = 64;
        frame[23] = 6;
        put32(26, src);
        put32(30, dst);
        put16(24, TrafficGenerator.fold(TrafficGenerator.sum(frame, 14, 20)));
        put16(34, fromClient ? port : 80);
        put16(36, fromClient ? 80 : port);
        put32(38, seq);
        put32(42, ack);
        frame[46] = 0x50;
        frame[47] = (byte) flags;
        put16(48, 65_535);
        if (n > 0) {
            System.arraycopy(payload, 0, frame, 54, n);
        }
        long pseudo = (src >>> 16) + (src & 0xFFFF) + (dst >>> 16) + (dst & 0xFFFF) + 6 + 20 + n;
        put16(50, TrafficGenerator.fold(pseudo + TrafficGenerator.sum(frame, 34, 20 + n)));
        nanos += 100_000;
        out.write(nanos, frame, 0, 54 + n, 54 + n);
    }

    private void put16(int at, int v) {
        frame[at] = (byte) (v >>> 8);
        frame[at + 1] = (byte) v;
    }

    private void put32(int at, int v) {
        put16(at, v >>> 16);
        put16(at + 2, v);
    }
}
