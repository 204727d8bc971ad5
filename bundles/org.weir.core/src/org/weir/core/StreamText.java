package org.weir.core;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A followed stream's bytes as text, in the forms Wireshark's Follow Stream offers: ASCII, a hex dump and raw hex.
 * The command line and the workbench show a chunk the same way.
 */
public enum StreamText {

    /** The bytes as text: printable ASCII, tabs and line ends as they are; any other byte as '.'. */
    ASCII("ascii") {
        @Override
        public String format(byte[] data, long offset) {
            StringBuilder b = new StringBuilder(data.length);
            for (int i = 0; i < data.length; i++) {
                int c = data[i] & 0xFF;
                if (c == '\r' && i + 1 < data.length && data[i + 1] == '\n') {
                    continue; // CRLF ends a line as LF does
                }
                b.append(c == '\n' || c == '\t' || (c >= 0x20 && c < 0x7F) ? (char) c : '.');
            }
            return b.toString();
        }
    },

    /**
     * A hex dump as tshark's and Wireshark's: per line the offset in the side's data, 16 bytes in hex (a space after
     * the eighth) and the same as ASCII.
     */
    HEX("hex") {
        @Override
        public String format(byte[] data, long offset) {
            StringBuilder b = new StringBuilder(data.length * 5);
            for (int line = 0; line < data.length; line += 16) {
                b.append(String.format(Locale.ROOT, "%08x  ", offset + line));
                for (int i = 0; i < 16; i++) {
                    if (line + i < data.length) {
                        b.append(DIGITS[(data[line + i] >> 4) & 0xF]).append(DIGITS[data[line + i] & 0xF]).append(' ');
                    } else {
                        b.append("   ");
                    }
                    if (i == 7) {
                        b.append(' ');
                    }
                }
                b.append(' ');
                for (int i = line; i < Math.min(line + 16, data.length); i++) {
                    int c = data[i] & 0xFF;
                    b.append(c >= 0x20 && c < 0x7F ? (char) c : '.');
                }
                b.append('\n');
            }
            return b.toString();
        }
    },

    /** The bytes in hex, without spaces: for other tools to read back. */
    RAW("raw") {
        @Override
        public String format(byte[] data, long offset) {
            StringBuilder b = new StringBuilder(data.length * 2 + 1);
            for (byte x : data) {
                b.append(DIGITS[(x >> 4) & 0xF]).append(DIGITS[x & 0xF]);
            }
            return b.append('\n').toString();
        }
    };

    private static final char[] DIGITS = "0123456789abcdef".toCharArray();

    private final String id;

    StreamText(String id) {
        this.id = id;
    }

    /** The name on the command line ({@code --as}). */
    public String id() {
        return id;
    }

    /**
     * One chunk's bytes as text.
     *
     * @param offset where the chunk begins in its side's data (the hex dump counts from there)
     */
    public abstract String format(byte[] data, long offset);

    /**
     * Each chunk of {@code stream} as text in this form, a gap as {@link #gap}, in the order of the chunks; a hex
     * dump counts offsets in its side's data, gaps included.
     */
    public List<String> pieces(FollowedStream stream) {
        List<String> pieces = new ArrayList<>(stream.chunks().size());
        long[] offsets = new long[2];
        for (FollowedStream.Chunk c : stream.chunks()) {
            int side = c.fromOriginator() ? 0 : 1;
            pieces.add(c.isGap() ? gap(c.missingBytes()) : format(c.data(), offsets[side]));
            offsets[side] += c.isGap() ? c.missingBytes() : c.data().length;
        }
        return pieces;
    }

    /** The line that stands for a gap, as Wireshark words it. */
    public static String gap(long missingBytes) {
        return "[" + missingBytes + " bytes missing in capture file]\n";
    }

    /** The form named {@code id}, or null. */
    public static StreamText of(String id) {
        for (StreamText t : values()) {
            if (t.id.equals(id)) {
                return t;
            }
        }
        return null;
    }
}
