package org.weir.testsupport;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** Byte arrays for hand-made frames and payloads. */
public final class Bytes {

    private Bytes() {
    }

    /** The low eight bits of each value. */
    public static byte[] bytes(int... values) {
        byte[] b = new byte[values.length];
        for (int k = 0; k < b.length; k++) {
            b[k] = (byte) values[k];
        }
        return b;
    }

    /** Each character as one byte (ISO 8859-1). */
    public static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    public static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            b.writeBytes(p);
        }
        return b.toByteArray();
    }
}
