package org.weir.exchange;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

class LineBufferTest {

    private static String written(double v) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        LineBuffer b = new LineBuffer(out, 4096);
        b.putDecimal(v);
        b.flush();
        return out.toString(StandardCharsets.US_ASCII);
    }

    private static void same(double v) throws IOException {
        assertEquals(ZeekValues.decimal(v), written(v), "for " + v);
    }

    @Test
    void decimalsAreWrittenAsTheFormatterWritesThem() throws IOException {
        for (double v : new double[] {0.0, -0.0, 1.0, -1.0, 48.8582, -122.4194, 2.35, 1e-7, -1e-9, 5e-7, 4.9999995e-7,
                0.0000005, 0.0000015, 0.1234565, -0.1234565, 1.0000005, 999_999.9999995, 123_456.789_012_5, 1e11, 1e12,
                -1e13, 3.4e38, Double.MAX_VALUE, Double.MIN_VALUE, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY}) {
            same(v);
        }
        SplittableRandom rnd = new SplittableRandom(7);
        for (int i = 0; i < 200_000; i++) {
            same(rnd.nextDouble(-180, 180)); // coordinates
            same(Math.round(rnd.nextDouble(-90, 90) * 1e4) / 1e4); // as a database stores them
            same((rnd.nextLong(-20_000_000_000L, 20_000_000_000L) * 10 + 5) / 1e7); // ties at the seventh decimal
            same(rnd.nextDouble() * Math.pow(10, rnd.nextInt(-9, 15)));
        }
    }
}
