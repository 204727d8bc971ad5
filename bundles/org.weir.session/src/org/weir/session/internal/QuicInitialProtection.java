package org.weir.session.internal;

import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.HexFormat;

import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The protection of QUIC Initial packets (RFC 9001 section 5, RFC 9369 for version 2), whose keys anyone can derive
 * from the client's first destination connection id: HKDF over SHA-256 with the version's salt, header protection
 * by AES-128 in ECB mode, payload protection by AES-128-GCM. The versions are those Zeek's QUIC analyzer decrypts
 * (version 1, drafts 22 to 34 and Facebook's mvfst versions with their drafts' salts, version 2), and like it this
 * checks the AEAD tag: a packet that does not authenticate is not decrypted.
 *
 * <p>One instance per session table (its ciphers are reused, one thread); it is made for the first Initial packet
 * a table sees, and used only for Initial packets, a few per connection.
 */
final class QuicInitialProtection {

    static final int VERSION_1 = 0x00000001, VERSION_2 = 0x6b3343cf;
    private static final int TAG = 16, SAMPLE = 16, MAX_PACKET_NUMBER = 4;
    /** Zeek's decryption gives up on larger payloads. */
    private static final int MAX_PAYLOAD = 10000;

    private static final byte[] SALT_V1 = HexFormat.of().parseHex("38762cf7f55934b34d179ae6a4c80cadccbb7f0a");
    private static final byte[] SALT_V2 = HexFormat.of().parseHex("0dede3def700a6db819381be6e269dcbf9bd2ed9");
    private static final byte[] SALT_DRAFT_22 = HexFormat.of().parseHex("7fbcdb0e7c66bbe9193a96cd21519ebd7a02644a");
    private static final byte[] SALT_DRAFT_23_28 = HexFormat.of().parseHex("c3eef712c72ebb5a11a7d2432bb46365bef9f502");
    private static final byte[] SALT_DRAFT_29_32 = HexFormat.of().parseHex("afbfec289993d24c9e9786f19c6111e04390a899");

    private final Mac hmac;
    private final Cipher ecb, gcm;
    /** The unprotected header, the AEAD's associated data (it holds the token, so it grows as needed). */
    private byte[] header = new byte[256];

    QuicInitialProtection() {
        try {
            hmac = Mac.getInstance("HmacSHA256");
            ecb = Cipher.getInstance("AES/ECB/NoPadding");
            gcm = Cipher.getInstance("AES/GCM/NoPadding");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK lacks AES or HMAC-SHA256", e);
        }
    }

    /** Whether Zeek can decrypt this version's Initial packets. */
    static boolean decryptable(int version) {
        return version == VERSION_1 || version == VERSION_2 || (version >= 0xff000016 && version <= 0xff000022)
                || (version >= 0xfaceb001 && version <= 0xfaceb013);
    }

    private static byte[] salt(int version) {
        if (version == VERSION_2) {
            return SALT_V2;
        }
        if (version == 0xff000016 || version == 0xfaceb001) {
            return SALT_DRAFT_22;
        }
        if ((version >= 0xff000017 && version <= 0xff00001c) || (version >= 0xfaceb002 && version <= 0xfaceb013)) {
            return SALT_DRAFT_23_28;
        }
        if (version >= 0xff00001d && version <= 0xff000020) {
            return SALT_DRAFT_29_32;
        }
        return SALT_V1;
    }

    /** The Initial keys of one side: the AEAD key, its IV and the header protection key. */
    record Keys(byte[] key, byte[] iv, byte[] hp) {
    }

    /** The keys of the client's (or the server's) Initial packets for this connection id. */
    Keys keys(int version, byte[] connectionId, boolean client) {
        try {
            hmac.init(new SecretKeySpec(salt(version), "HmacSHA256"));
            byte[] initial = hmac.doFinal(connectionId);
            byte[] secret = expandLabel(initial, client ? "client in" : "server in", 32);
            String prefix = version == VERSION_2 ? "quicv2 " : "quic ";
            return new Keys(expandLabel(secret, prefix + "key", 16), expandLabel(secret, prefix + "iv", 12),
                    expandLabel(secret, prefix + "hp", 16));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** TLS 1.3's HKDF-Expand-Label with an empty context, for outputs of at most one SHA-256 block. */
    private byte[] expandLabel(byte[] secret, String label, int length) throws GeneralSecurityException {
        String full = "tls13 " + label;
        byte[] info = new byte[2 + 1 + full.length() + 1 + 1];
        info[0] = (byte) (length >>> 8);
        info[1] = (byte) length;
        info[2] = (byte) full.length();
        for (int i = 0; i < full.length(); i++) {
            info[3 + i] = (byte) full.charAt(i);
        }
        info[info.length - 1] = 1; // the block counter of HKDF-Expand's first (and only) block
        hmac.init(new SecretKeySpec(secret, "HmacSHA256"));
        return Arrays.copyOf(hmac.doFinal(info), length);
    }

    /**
     * Removes the protection of the Initial packet [start, start + size) of {@code d}, whose packet number begins at
     * {@code pnOffset} (relative to the start) and whose length field says {@code length} (packet number, payload
     * and tag).
     *
     * @return the plaintext frames, or null when the packet does not decrypt
     */
    byte[] open(Keys keys, byte[] d, int start, int pnOffset, int length) {
        if (length < 20 || length > MAX_PAYLOAD) {
            return null;
        }
        if (pnOffset + MAX_PACKET_NUMBER > header.length) {
            header = new byte[pnOffset + MAX_PACKET_NUMBER];
        }
        try {
            ecb.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(keys.hp, "AES"));
            byte[] mask = ecb.doFinal(d, start + pnOffset + MAX_PACKET_NUMBER, SAMPLE);
            int first = (d[start] ^ (mask[0] & 0x0F)) & 0xFF;
            int pnLength = (first & 0x03) + 1;
            System.arraycopy(d, start, header, 0, pnOffset + pnLength);
            header[0] = (byte) first;
            long packetNumber = 0;
            for (int i = 0; i < pnLength; i++) {
                header[pnOffset + i] ^= mask[1 + i];
                packetNumber = packetNumber << 8 | (header[pnOffset + i] & 0xFF);
            }
            int sealed = length - pnLength;
            if (sealed < TAG) {
                return null;
            }
            byte[] nonce = keys.iv.clone();
            for (int i = 0; i < 8; i++) {
                nonce[nonce.length - 1 - i] ^= (byte) (packetNumber >>> (8 * i));
            }
            gcm.init(Cipher.DECRYPT_MODE, new SecretKeySpec(keys.key, "AES"), new GCMParameterSpec(8 * TAG, nonce));
            gcm.updateAAD(header, 0, pnOffset + pnLength);
            return gcm.doFinal(d, start + pnOffset + pnLength, sealed);
        } catch (AEADBadTagException e) {
            return null; // Zeek: "decryption failed"
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
