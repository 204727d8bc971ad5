package org.weir.intel.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.weir.intel.BlacklistSource;
import org.weir.intel.Blacklists;
import org.weir.intel.FeedException;
import org.weir.intel.FeedSignature;
import org.weir.intel.internal.BlacklistService;
import org.weir.testsupport.Corpus;

/** Signed feeds: valid, tampered, missing and wrong-key signatures, in both documented encodings. */
class FeedSignatureTest {

    private static KeyPair keys;
    private static KeyPair otherKeys;

    @TempDir
    Path tmp;

    @BeforeAll
    static void generate() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("Ed25519");
        keys = g.generateKeyPair();
        otherKeys = g.generateKeyPair();
    }

    private static byte[] sign(byte[] data, PrivateKey key) throws Exception {
        Signature s = Signature.getInstance("Ed25519");
        s.initSign(key);
        s.update(data);
        return s.sign();
    }

    /** A copy of a corpus list with its signature beside it. */
    private Path signedCopy(String corpusFile, boolean base64) throws Exception {
        Path src = Corpus.resolve(corpusFile);
        Path copy = Files.createTempDirectory(tmp, "feed").resolve(src.getFileName());
        Files.copy(src, copy);
        byte[] sig = sign(Files.readAllBytes(copy), keys.getPrivate());
        Files.write(FeedSignature.signatureFile(copy),
                base64 ? (Base64.getEncoder().encodeToString(sig) + "\n").getBytes(StandardCharsets.US_ASCII) : sig);
        return copy;
    }

    private static PublicKey spki(PublicKey k) {
        return FeedSignature.publicKey(Base64.getEncoder().encodeToString(k.getEncoded()));
    }

    @Test
    void publicKeyFormats() throws Exception {
        byte[] spki = keys.getPublic().getEncoded();
        assertEquals(44, spki.length);
        byte[] raw = Arrays.copyOfRange(spki, 12, 44);
        PublicKey fromSpki = FeedSignature.publicKey(Base64.getEncoder().encodeToString(spki));
        PublicKey fromRaw = FeedSignature.publicKey(Base64.getEncoder().encodeToString(raw));
        PublicKey fromPem = FeedSignature.publicKey("-----BEGIN PUBLIC KEY-----\n"
                + Base64.getMimeEncoder().encodeToString(spki) + "\n-----END PUBLIC KEY-----\n");
        assertArrayEquals(spki, fromSpki.getEncoded());
        assertArrayEquals(spki, fromRaw.getEncoded());
        assertArrayEquals(spki, fromPem.getEncoded());
        Path rawFile = Files.write(tmp.resolve("key.bin"), raw);
        assertArrayEquals(spki, FeedSignature.publicKey(rawFile).getEncoded());
        Path bad = Files.writeString(tmp.resolve("bad.pub"), "AAAA");
        FeedException e = assertThrows(FeedException.class, () -> FeedSignature.publicKey(bad));
        assertTrue(e.getMessage().startsWith(bad.toString()), e.getMessage());
    }

    @Test
    void validSignaturesLoadInBothEncodings() throws Exception {
        for (boolean base64 : new boolean[] {false, true}) {
            Path feed = signedCopy("blocklists/firehol-snapshot/feodo.ipset", base64);
            BlacklistService b = new BlacklistService();
            b.load(List.of(BlacklistSource.of(feed).signedBy(spki(keys.getPublic()))));
            assertEquals("feodo", b.loaded().get(0).name());
            assertTrue(b.loaded().get(0).entries() > 0);
        }
        Path json = signedCopy("edamame/blacklists-db.json", true);
        BlacklistService b = new BlacklistService();
        b.load(List.of(BlacklistSource.of(json).signedBy(keys.getPublic())));
        assertEquals("firehol_level1", b.loaded().get(0).name());
    }

    @Test
    void tamperedMissingAndWrongKeyAreRejectedAndPreviousFeedStays() throws Exception {
        BlacklistService b = new BlacklistService();
        Path good = signedCopy("blocklists/firehol-snapshot/feodo.ipset", false);
        b.load(List.of(BlacklistSource.of(good).signedBy(keys.getPublic())));
        List<Blacklists.ListInfo> before = b.loaded();

        Path tampered = signedCopy("blocklists/firehol-snapshot/dshield.netset", false);
        Files.writeString(tampered, "8.8.8.8\n", java.nio.file.StandardOpenOption.APPEND);
        FeedException t = assertThrows(FeedException.class,
                () -> b.load(List.of(BlacklistSource.of(tampered).signedBy(keys.getPublic()))));
        assertEquals(tampered, t.file());
        assertTrue(t.getMessage().contains("does not match"), t.getMessage());
        assertEquals(before, b.loaded());
        assertTrue(b.tags("8.8.8.8").isEmpty());

        Path wrongKey = signedCopy("blocklists/firehol-snapshot/spamhaus_edrop.netset", true);
        FeedException w = assertThrows(FeedException.class,
                () -> b.load(List.of(BlacklistSource.of(wrongKey).signedBy(otherKeys.getPublic()))));
        assertTrue(w.getMessage().contains("does not match"), w.getMessage());

        Path unsigned = tmp.resolve("unsigned.netset");
        Files.copy(Corpus.resolve("blocklists/firehol-snapshot/spamhaus_drop.netset"), unsigned);
        FeedException u = assertThrows(FeedException.class,
                () -> b.load(List.of(BlacklistSource.of(unsigned).signedBy(keys.getPublic()))));
        assertTrue(u.getMessage().contains("signature required but unsigned.netset.sig is missing"), u.getMessage());

        Path truncatedSig = signedCopy("blocklists/firehol-snapshot/firehol_webserver.netset", false);
        Path sigFile = FeedSignature.signatureFile(truncatedSig);
        Files.write(sigFile, Arrays.copyOf(Files.readAllBytes(sigFile), 40));
        FeedException ts = assertThrows(FeedException.class,
                () -> b.load(List.of(BlacklistSource.of(truncatedSig).signedBy(keys.getPublic()))));
        assertTrue(ts.getMessage().contains("is not an Ed25519 signature"), ts.getMessage());

        assertEquals(before, b.loaded(), "every rejected feed left the previous one in force");
        // without a key, signatures are not looked at
        b.load(List.of(BlacklistSource.of(unsigned)));
        assertEquals("unsigned", b.loaded().get(0).name());
    }

    /** EDAMAME ships 64 hex characters beside its databases: a digest, which must not pass as a signature. */
    @Test
    void edamameDigestFilesAreNotSignatures() throws Exception {
        Path db = tmp.resolve("blacklists-db.json");
        Files.copy(Corpus.resolve("edamame/blacklists-db.json"), db);
        Files.copy(Corpus.resolve("edamame/blacklists-db.sig"), FeedSignature.signatureFile(db));
        FeedException e = assertThrows(FeedException.class,
                () -> new BlacklistService().load(List.of(BlacklistSource.of(db).signedBy(keys.getPublic()))));
        assertTrue(e.getMessage().contains("a digest"), e.getMessage());
    }
}
