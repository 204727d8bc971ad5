package org.weir.session.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.Arrays;
import java.util.List;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLParameters;

/**
 * The first flight of each side of a real TLS handshake, made by the JDK's TLS implementation: the client's
 * ClientHello and the server's answer to it (ServerHello and what follows it in the same flight), with a server key
 * made by the JDK's keytool.
 */
final class TlsFlights {

    final byte[] client, server;

    private TlsFlights(byte[] client, byte[] server) {
        this.client = client;
        this.server = server;
    }

    /**
     * A handshake of the given protocol version ("TLSv1.2", "TLSv1.3"); {@code alpnNames} application protocols of
     * 40 characters each make the ClientHello longer.
     */
    static TlsFlights handshake(String protocol, int alpnNames) throws Exception {
        SSLContext clientContext = SSLContext.getInstance("TLS");
        clientContext.init(null, null, null);
        SSLEngine c = clientContext.createSSLEngine("www.example.com", 443);
        c.setUseClientMode(true);
        c.setEnabledProtocols(new String[] {protocol});
        SSLParameters parameters = c.getSSLParameters();
        parameters.setServerNames(List.of(new SNIHostName("www.example.com")));
        if (alpnNames > 0) {
            String[] names = new String[alpnNames];
            for (int i = 0; i < alpnNames; i++) {
                names[i] = String.format("protocol-%031d", i);
            }
            parameters.setApplicationProtocols(names);
        }
        c.setSSLParameters(parameters);

        SSLEngine s = serverContext().createSSLEngine();
        s.setUseClientMode(false);
        s.setEnabledProtocols(new String[] {protocol});

        byte[] hello = wrap(c);
        ByteBuffer in = ByteBuffer.wrap(hello);
        ByteBuffer sink = ByteBuffer.allocate(s.getSession().getApplicationBufferSize());
        s.beginHandshake();
        while (in.hasRemaining()) {
            s.unwrap(in, sink);
            runTasks(s);
        }
        ByteBuffer flight = ByteBuffer.allocate(1 << 16);
        while (s.getHandshakeStatus() == HandshakeStatus.NEED_WRAP) {
            flight.put(wrap(s));
        }
        return new TlsFlights(hello, Arrays.copyOf(flight.array(), flight.position()));
    }

    private static byte[] wrap(SSLEngine e) throws Exception {
        ByteBuffer out = ByteBuffer.allocate(e.getSession().getPacketBufferSize());
        e.wrap(ByteBuffer.allocate(0), out);
        runTasks(e);
        return Arrays.copyOf(out.array(), out.position());
    }

    private static void runTasks(SSLEngine e) {
        Runnable task;
        while ((task = e.getDelegatedTask()) != null) {
            task.run();
        }
    }

    private static SSLContext serverContext;

    /** A server context with an EC key and self-signed certificate that keytool makes once per run. */
    private static synchronized SSLContext serverContext() throws Exception {
        if (serverContext == null) {
            Path dir = Files.createTempDirectory("weir-tls");
            Path store = dir.resolve("server.p12");
            Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
            Process p = new ProcessBuilder(keytool.toString(), "-genkeypair", "-keyalg", "EC", "-alias", "server",
                    "-dname", "CN=www.example.com", "-validity", "2", "-keystore", store.toString(), "-storetype",
                    "PKCS12", "-storepass", "changeit").redirectErrorStream(true).start();
            byte[] output = p.getInputStream().readAllBytes();
            if (p.waitFor() != 0) {
                throw new IOException("keytool failed: " + new String(output));
            }
            KeyStore ks = KeyStore.getInstance("PKCS12");
            try (InputStream is = Files.newInputStream(store)) {
                ks.load(is, "changeit".toCharArray());
            }
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(ks, "changeit".toCharArray());
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(kmf.getKeyManagers(), null, null);
            Files.delete(store);
            Files.delete(dir);
            serverContext = context;
        }
        return serverContext;
    }
}
