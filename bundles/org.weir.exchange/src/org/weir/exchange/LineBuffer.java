package org.weir.exchange;

import java.io.IOException;
import java.io.OutputStream;

import org.weir.core.IpAddress;

/**
 * A byte buffer that text lines are appended to and flushed from as UTF-8, with the appenders the log writers need
 * (numbers, addresses, times) writing digits straight into it: no {@code String}, {@code StringBuilder} or encoder
 * per value or line. Text is encoded as {@code OutputStreamWriter} with UTF-8 would: an unpaired surrogate becomes
 * {@code ?}.
 */
final class LineBuffer {

    private final OutputStream out;
    private final int flushAt;
    private byte[] buf;
    private int len;
    /** Scratch for IPv6 text (compressed, up to 39 characters). */
    private final StringBuilder scratch = new StringBuilder(48);

    LineBuffer(OutputStream out, int size) {
        this.out = out;
        this.buf = new byte[size];
        this.flushAt = size - 1024;
    }

    /** Writes the buffer out when it is nearly full (call between lines). */
    void lineDone() throws IOException {
        if (len >= flushAt) {
            flush();
        }
    }

    void flush() throws IOException {
        if (len > 0) {
            out.write(buf, 0, len);
            len = 0;
        }
    }

    private void room(int n) {
        if (len + n > buf.length) {
            buf = java.util.Arrays.copyOf(buf, Math.max(buf.length * 2, len + n));
        }
    }

    LineBuffer put(char c) {
        if (c < 0x80) {
            room(1);
            buf[len++] = (byte) c;
        } else {
            putNonAscii(c, (char) 0);
        }
        return this;
    }

    LineBuffer put(String s) {
        int n = s.length();
        room(n);
        byte[] b = buf;
        int p = len;
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c >= 0x80) {
                len = p;
                putText(s, i, n);
                return this;
            }
            b[p++] = (byte) c;
        }
        len = p;
        return this;
    }

    /** The rest of a string from its first non-ASCII character, char by char. */
    private void putText(CharSequence s, int from, int to) {
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                room(1);
                buf[len++] = (byte) c;
            } else {
                i += putNonAscii(c, i + 1 < to ? s.charAt(i + 1) : 0);
            }
        }
    }

    /** Appends {@code c} (not ASCII) as UTF-8; returns 1 when it consumed {@code next} as a low surrogate. */
    private int putNonAscii(char c, char next) {
        room(4);
        byte[] b = buf;
        if (c < 0x800) {
            b[len++] = (byte) (0xC0 | (c >> 6));
            b[len++] = (byte) (0x80 | (c & 0x3F));
        } else if (Character.isHighSurrogate(c) && Character.isLowSurrogate(next)) {
            int cp = Character.toCodePoint(c, next);
            b[len++] = (byte) (0xF0 | (cp >> 18));
            b[len++] = (byte) (0x80 | ((cp >> 12) & 0x3F));
            b[len++] = (byte) (0x80 | ((cp >> 6) & 0x3F));
            b[len++] = (byte) (0x80 | (cp & 0x3F));
            return 1;
        } else if (Character.isSurrogate(c)) {
            b[len++] = '?';
        } else {
            b[len++] = (byte) (0xE0 | (c >> 12));
            b[len++] = (byte) (0x80 | ((c >> 6) & 0x3F));
            b[len++] = (byte) (0x80 | (c & 0x3F));
        }
        return 0;
    }

    /** A decimal number, as {@code StringBuilder.append(long)} writes it. */
    LineBuffer put(long v) {
        room(20);
        if (v < 0) {
            if (v == Long.MIN_VALUE) {
                return put(Long.toString(v));
            }
            buf[len++] = '-';
            v = -v;
        }
        int digits = digits(v);
        int end = len + digits;
        int p = end;
        byte[] b = buf;
        while (v >= 10) {
            long q = v / 10;
            b[--p] = (byte) ('0' + (int) (v - q * 10));
            v = q;
        }
        b[--p] = (byte) ('0' + (int) v);
        len = end;
        return this;
    }

    /**
     * A double as {@link ZeekValues#decimal} writes it (six decimals rounded half up, trailing zeros dropped), without
     * a {@code String} or {@code Formatter}: the value times 10^6 is rounded as a long. That is exact unless the
     * seventh decimal sits within a hair of a tie, where the formatter's rounding of the shortest decimal form
     * decides, and the formatter is asked.
     */
    LineBuffer putDecimal(double v) {
        double scaled = Math.abs(v) * 1e6;
        double fraction = scaled - Math.floor(scaled);
        if (!(scaled < 1e12) || Math.abs(fraction - 0.5) < 1e-3) { // (NaN and infinities too)
            return put(ZeekValues.decimal(v));
        }
        long r = Math.round(scaled);
        if (Double.doubleToRawLongBits(v) < 0) {
            put('-'); // as the formatter writes -0.0 and negatives that round to zero: "-0"
        }
        put(r / 1_000_000);
        long decimals = r % 1_000_000;
        if (decimals != 0) {
            int n = 6;
            while (decimals % 10 == 0) {
                decimals /= 10;
                n--;
            }
            put('.');
            putPadded(decimals, n);
        }
        return this;
    }

    private static int digits(long v) {
        long p = 10;
        for (int i = 1; i < 19; i++) {
            if (v < p) {
                return i;
            }
            p *= 10;
        }
        return 19;
    }

    /** {@code n} decimal digits of {@code v} (0 ≤ v < 10^n), zero-padded. */
    LineBuffer putPadded(long v, int n) {
        room(n);
        byte[] b = buf;
        for (int p = len + n - 1; p >= len; p--) {
            long q = v / 10;
            b[p] = (byte) ('0' + (int) (v - q * 10));
            v = q;
        }
        len += n;
        return this;
    }

    /** A time in seconds with six decimals, as {@link ZeekValues#appendSeconds} writes it. */
    LineBuffer putSeconds(long nanos) {
        long micros = Math.floorDiv(nanos + 500, 1000);
        put(Math.floorDiv(micros, 1_000_000));
        put('.');
        return putPadded(Math.floorMod(micros, 1_000_000), 6);
    }

    /** An address as {@link IpAddress#appendTo} writes it. */
    LineBuffer putAddress(long hi, long lo) {
        if (IpAddress.isV4(hi, lo)) {
            room(15);
            put((lo >>> 24) & 0xFF).put('.').put((lo >>> 16) & 0xFF).put('.').put((lo >>> 8) & 0xFF).put('.')
                    .put(lo & 0xFF);
            return this;
        }
        StringBuilder s = scratch;
        s.setLength(0);
        IpAddress.appendTo(s, hi, lo);
        putText(s, 0, s.length());
        return this;
    }

    /** A MAC address as {@link ZeekValues#mac} writes it. */
    LineBuffer putMac(long mac) {
        room(17);
        byte[] b = buf;
        for (int shift = 40; shift >= 0; shift -= 8) {
            int v = (int) (mac >>> shift) & 0xFF;
            b[len++] = (byte) Character.forDigit(v >>> 4, 16);
            b[len++] = (byte) Character.forDigit(v & 0xF, 16);
            if (shift > 0) {
                b[len++] = ':';
            }
        }
        return this;
    }
}
