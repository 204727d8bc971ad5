package org.weir.intel;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.HexFormat;

/**
 * Ed25519 signatures over feed files.
 *
 * <p><b>Format.</b> The signature of {@code FILE} is detached, in {@code FILE.sig}: either the 64 raw signature
 * bytes, or that signature as text, base64 (88 characters, padding optional, surrounding whitespace ignored).
 * It signs the exact bytes of {@code FILE}. A public key is given as base64 text (optionally PEM-armoured with
 * {@code -----BEGIN PUBLIC KEY-----}) of either the X.509 SubjectPublicKeyInfo DER encoding (44 bytes) or the
 * raw 32-byte key; a key file may also hold those 32 or 44 bytes in binary.
 *
 * <p>When a key is configured the signature is required: a missing, malformed or non-matching signature rejects
 * the file. The file is read once and the verified bytes are what gets parsed, so a file replaced between
 * check and use cannot slip through.
 */
public final class FeedSignature {

    /** DER prefix of an Ed25519 SubjectPublicKeyInfo (RFC 8410) before the 32 key bytes. */
    private static final byte[] SPKI_PREFIX = HexFormat.of().parseHex("302a300506032b6570032100");

    private FeedSignature() {
    }

    /** Where the detached signature of {@code feed} is looked for. */
    public static Path signatureFile(Path feed) {
        return feed.resolveSibling(feed.getFileName() + ".sig");
    }

    /**
     * Reads a feed file; with a key, its signature must verify.
     *
     * @param key the Ed25519 public key, or {@code null} when the feed is not signed
     */
    public static byte[] readVerified(Path feed, PublicKey key) throws FeedException {
        byte[] data;
        try {
            data = Files.readAllBytes(feed);
        } catch (NoSuchFileException e) {
            throw new FeedException(feed, "file not found");
        } catch (IOException e) {
            throw new FeedException(feed, "cannot read: " + e.getMessage(), e);
        }
        if (key != null) {
            verify(feed, data, key);
        }
        return data;
    }

    /** Checks {@code data} (the content of {@code feed}) against {@code FEED.sig}. */
    public static void verify(Path feed, byte[] data, PublicKey key) throws FeedException {
        Path sigFile = signatureFile(feed);
        byte[] sigBytes;
        try {
            sigBytes = Files.readAllBytes(sigFile);
        } catch (NoSuchFileException e) {
            throw new FeedException(feed, "signature required but " + sigFile.getFileName() + " is missing");
        } catch (IOException e) {
            throw new FeedException(feed, "cannot read signature " + sigFile + ": " + e.getMessage(), e);
        }
        byte[] sig = decodeSignature(feed, sigFile, sigBytes);
        boolean ok;
        try {
            Signature verifier = Signature.getInstance("Ed25519");
            verifier.initVerify(key);
            verifier.update(data);
            ok = verifier.verify(sig);
        } catch (GeneralSecurityException e) {
            throw new FeedException(feed, "signature check failed: " + e.getMessage(), e);
        }
        if (!ok) {
            throw new FeedException(feed, "Ed25519 signature in " + sigFile.getFileName()
                    + " does not match the file (tampered, or signed with another key)");
        }
    }

    private static byte[] decodeSignature(Path feed, Path sigFile, byte[] raw) throws FeedException {
        String text = new String(raw, StandardCharsets.ISO_8859_1).strip();
        if (text.length() == 64 && text.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
            // EDAMAME's *.sig files are 64 hex characters: a SHA-256 digest, not a signature.
            throw new FeedException(feed, sigFile.getFileName()
                    + " holds 64 hex characters (a digest), not an Ed25519 signature");
        }
        if (raw.length == 64) {
            return raw;
        }
        try {
            byte[] decoded = Base64.getMimeDecoder().decode(text);
            if (decoded.length == 64) {
                return decoded;
            }
        } catch (IllegalArgumentException e) {
            // reported below
        }
        throw new FeedException(feed,
                sigFile.getFileName() + " is not an Ed25519 signature (64 raw bytes or base64 of them)");
    }

    /** A public key from text (base64 SPKI or raw 32 bytes, PEM armour allowed). */
    public static PublicKey publicKey(String text) {
        String body = text.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(body);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Ed25519 public key is not base64: " + e.getMessage(), e);
        }
        return publicKey(bytes);
    }

    /** A public key from a file (base64 text, or 32/44 binary bytes). */
    public static PublicKey publicKey(Path file) throws FeedException {
        try {
            byte[] raw = Files.readAllBytes(file);
            if (raw.length == 32 || (raw.length == 44 && raw[0] == 0x30)) {
                return publicKey(raw);
            }
            return publicKey(new String(raw, StandardCharsets.US_ASCII));
        } catch (IOException e) {
            throw new FeedException(file, "cannot read public key: " + e.getMessage(), e);
        } catch (IllegalArgumentException e) {
            throw new FeedException(file, e.getMessage(), e);
        }
    }

    private static PublicKey publicKey(byte[] bytes) {
        byte[] spki = bytes;
        if (bytes.length == 32) {
            spki = new byte[SPKI_PREFIX.length + 32];
            System.arraycopy(SPKI_PREFIX, 0, spki, 0, SPKI_PREFIX.length);
            System.arraycopy(bytes, 0, spki, SPKI_PREFIX.length, 32);
        }
        try {
            return KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(spki));
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException(
                    "not an Ed25519 public key (" + bytes.length + " bytes; expected 32 raw or 44 SPKI)", e);
        }
    }
}
