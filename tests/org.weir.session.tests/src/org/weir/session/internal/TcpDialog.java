package org.weir.session.internal;

import java.nio.charset.StandardCharsets;

import org.weir.core.PacketHandler;

/**
 * A TCP connection of 10.0.0.1:40000 to 10.0.0.2:port for tests of line protocols: the handshake (unless the capture
 * begins after it), then the server's and the client's bytes in turn, each as one segment acknowledging the other
 * side's.
 */
final class TcpDialog {

    static final String CLIENT = "10.0.0.1", SERVER = "10.0.0.2";

    final PacketHandler table;
    final int port;
    long clientSeq = 101, serverSeq = 501;
    double at = 1.3;

    TcpDialog(PacketHandler table, int port, boolean handshake) {
        this.table = table;
        this.port = port;
        if (handshake) {
            Pkt.tcp(CLIENT, 40000, SERVER, port).at(1).flags("S").seq(100).to(table);
            Pkt.tcp(SERVER, port, CLIENT, 40000).at(1.1).flags("SA").seq(500).ack(101).to(table);
            Pkt.tcp(CLIENT, 40000, SERVER, port).at(1.2).flags("A").seq(101).ack(501).to(table);
        }
    }

    TcpDialog server(String text) {
        return server(text.getBytes(StandardCharsets.ISO_8859_1));
    }

    TcpDialog server(byte[] b) {
        Pkt.tcp(SERVER, port, CLIENT, 40000).at(at += 0.01).flags("AP").seq(serverSeq).ack(clientSeq).content(b)
                .to(table);
        serverSeq += b.length;
        return this;
    }

    TcpDialog client(String text) {
        return client(text.getBytes(StandardCharsets.ISO_8859_1));
    }

    TcpDialog client(byte[] b) {
        Pkt.tcp(CLIENT, 40000, SERVER, port).at(at += 0.01).flags("AP").seq(clientSeq).ack(serverSeq).content(b)
                .to(table);
        clientSeq += b.length;
        return this;
    }

    /** The server acknowledges everything the client sent (and what it never captured). */
    TcpDialog serverAck() {
        Pkt.tcp(SERVER, port, CLIENT, 40000).at(at += 0.01).flags("A").seq(serverSeq).ack(clientSeq).to(table);
        return this;
    }
}
