package org.weir.intel.tests;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes a minimal MaxMind DB file (IPv4 search tree, 24-bit records, one network) following the MaxMind DB
 * spec in the corpus ({@code mmdb/MaxMind-DB-spec.md}), to give the generic reader layouts the corpus has no
 * file for: the flat field names of ip-location-db and an IPv4-only tree that carries geo data.
 */
final class TinyMmdb {

    private TinyMmdb() {
    }

    /** A database in which {@code network/prefix} (IPv4) maps to {@code record}. */
    static byte[] ipv4(String databaseType, int network, int prefix, Map<String, Object> record) {
        int nodeCount = prefix;
        ByteArrayOutputStream data = new ByteArrayOutputStream();
        encode(record, data);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int node = 0; node < nodeCount; node++) {
            int bit = (network >>> (31 - node)) & 1;
            long follow = node + 1 < nodeCount ? node + 1 : nodeCount + 16; // data at offset 0
            long left = bit == 0 ? follow : nodeCount, right = bit == 1 ? follow : nodeCount;
            record24(out, left);
            record24(out, right);
        }
        out.writeBytes(new byte[16]); // data section separator
        out.writeBytes(data.toByteArray());
        out.writeBytes(new byte[] {(byte) 0xAB, (byte) 0xCD, (byte) 0xEF});
        out.writeBytes("MaxMind.com".getBytes(StandardCharsets.US_ASCII));
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("node_count", new U32(nodeCount));
        meta.put("record_size", new U16(24));
        meta.put("ip_version", new U16(4));
        meta.put("database_type", databaseType);
        meta.put("languages", List.of("en"));
        meta.put("binary_format_major_version", new U16(2));
        meta.put("binary_format_minor_version", new U16(0));
        meta.put("build_epoch", new U64(1_700_000_000L));
        meta.put("description", Map.of("en", "Weir test database"));
        encode(meta, out);
        return out.toByteArray();
    }

    record U16(int v) {
    }

    record U32(long v) {
    }

    record U64(long v) {
    }

    private static void record24(ByteArrayOutputStream out, long v) {
        out.write((int) (v >>> 16));
        out.write((int) (v >>> 8));
        out.write((int) v);
    }

    /** Spec "Output Data Section": control byte (type in 3 bits, size in 5), extended types after a 0 type. */
    private static void encode(Object value, ByteArrayOutputStream out) {
        if (value instanceof String s) {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            control(out, 2, b.length);
            out.writeBytes(b);
        } else if (value instanceof Double d) {
            control(out, 3, 8);
            long bits = Double.doubleToLongBits(d);
            for (int i = 7; i >= 0; i--) {
                out.write((int) (bits >>> (8 * i)));
            }
        } else if (value instanceof U16 u) {
            unsigned(out, 5, u.v());
        } else if (value instanceof U32 u) {
            unsigned(out, 6, u.v());
        } else if (value instanceof U64 u) {
            unsigned(out, 9, u.v());
        } else if (value instanceof Map<?, ?> m) {
            control(out, 7, m.size());
            for (Map.Entry<?, ?> e : m.entrySet()) {
                encode(e.getKey(), out);
                encode(e.getValue(), out);
            }
        } else if (value instanceof List<?> l) {
            control(out, 11, l.size());
            for (Object o : l) {
                encode(o, out);
            }
        } else {
            throw new IllegalArgumentException("unsupported " + value);
        }
    }

    private static void unsigned(ByteArrayOutputStream out, int type, long v) {
        int len = 0;
        for (long x = v; x != 0; x >>>= 8) {
            len++;
        }
        control(out, type, len);
        for (int i = len - 1; i >= 0; i--) {
            out.write((int) (v >>> (8 * i)));
        }
    }

    private static void control(ByteArrayOutputStream out, int type, int size) {
        if (size >= 29 + 256) {
            throw new IllegalArgumentException("sizes above 284 are not needed here");
        }
        int sizeBits = Math.min(size, 29);
        if (type <= 7) {
            out.write((type << 5) | sizeBits);
        } else {
            out.write(sizeBits); // extended type: type bits 0, then type - 7 in the next byte
            out.write(type - 7);
        }
        if (size >= 29) {
            out.write(size - 29); // spec: size 29 means 29 plus the next byte
        }
    }
}
