package org.weir.intel.internal;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.weir.core.IpAddress;
import org.weir.intel.FeedException;

/**
 * Address → autonomous system from the ip-location-db project's CSV tables ({@code asn-ipv4.csv},
 * {@code asn-ipv6.csv}: {@code first,last,number,organisation}, organisation quoted when it holds a comma;
 * ranges sorted by their first address, as published; a few overlap, and the narrower, later one wins). The project publishes no MaxMind DB of these data, so
 * {@code weir intel update} installs the CSV files and this table answers from sorted arrays (binary search).
 */
final class AsnTable {

    /** How many earlier ranges a lookup also checks (the tables have a few overlapping, wider ranges). */
    private static final int OVERLAP = 16;

    private final int[] v4First, v4Last, v4As;
    private final int[] v4Org;
    private final Ipv4Starts v4Index;
    private final long[] v6FirstHi, v6FirstLo, v6LastHi, v6LastLo;
    private final int[] v6As, v6Org;
    /** The organisations' names, UTF-8 one after another; name i is bytes [orgStart[i], orgStart[i + 1]). */
    private final byte[] orgText;
    private final int[] orgStart;
    /** Each name as text, made when a lookup first returns it (a capture meets a few thousand of 75,000). */
    private final String[] orgs;

    private AsnTable(Builder b) {
        v4First = fit(b.v4First, b.n4);
        v4Last = fit(b.v4Last, b.n4);
        v4As = fit(b.v4As, b.n4);
        v4Org = fit(b.v4Org, b.n4);
        v4Index = new Ipv4Starts(v4First);
        v6FirstHi = fit(b.v6FirstHi, b.n6);
        v6FirstLo = fit(b.v6FirstLo, b.n6);
        v6LastHi = fit(b.v6LastHi, b.n6);
        v6LastLo = fit(b.v6LastLo, b.n6);
        v6As = fit(b.v6As, b.n6);
        v6Org = fit(b.v6Org, b.n6);
        if (b.orgText == null) {
            b.joinOrgs();
        }
        orgText = b.orgText;
        orgStart = b.orgStart;
        orgs = new String[orgStart.length - 1];
    }

    /**
     * The first n values; the array itself when it holds just those (the binary copy's arrays do: its ~11 MB are
     * not copied a second time at start).
     */
    private static int[] fit(int[] a, int n) {
        return a.length == n ? a : Arrays.copyOf(a, n);
    }

    private static long[] fit(long[] a, int n) {
        return a.length == n ? a : Arrays.copyOf(a, n);
    }

    int size() {
        return v4First.length + v6FirstHi.length;
    }

    /** Reads the CSV files (IPv4 and IPv6 rows may be in either). */
    static AsnTable load(List<Path> files) throws FeedException {
        Builder b = new Builder();
        for (Path f : files) {
            b.read(f);
        }
        return new AsnTable(b);
    }

    /** Name of the binary copy kept beside the CSV files (parsing 500,000 CSV rows takes a second or two). */
    static final String CACHE = ".asn-table.bin";
    /**
     * "WEIRASN" and the layout's version. Version 2 stores each array whole, little-endian (a plain copy on the
     * machines Weir runs on), so that reading it is a bulk copy out of one buffer (version 1, a row at a time
     * through a DataInputStream, took 94-137 ms of each analysis's start for the 515,000 ranges).
     */
    private static final long MAGIC = 0x5745_4952_4153_4E02L;

    /**
     * As {@link #load(List)}, through a binary copy beside the first file: used when it was made from these very
     * files (names, sizes, modification times), written after a CSV read otherwise (best effort).
     */
    static AsnTable loadCached(List<Path> files) throws FeedException {
        if (files.isEmpty()) {
            return load(files);
        }
        Path cache = files.get(0).resolveSibling(CACHE);
        String stamp = stamp(files);
        if (stamp != null && Files.isRegularFile(cache)) {
            try {
                AsnTable t = read(cache, stamp);
                if (t != null) {
                    return t;
                }
            } catch (IOException | RuntimeException e) {
                // a damaged or foreign copy: read the CSV files and write it again
            }
        }
        AsnTable t = load(files);
        if (stamp != null) {
            try {
                Path tmp = Files.createTempFile(cache.getParent(), CACHE, ".tmp");
                try (FileChannel out = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                    t.write(out, stamp);
                }
                Files.move(tmp, cache, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                        java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException | RuntimeException e) {
                // a read-only data folder: the CSV files are read each time
            }
        }
        return t;
    }

    private static String stamp(List<Path> files) {
        StringBuilder sb = new StringBuilder();
        try {
            for (Path f : files) {
                sb.append(f.getFileName()).append('|').append(Files.size(f)).append('|')
                        .append(Files.getLastModifiedTime(f).toMillis()).append(';');
            }
        } catch (IOException e) {
            return null;
        }
        return sb.toString();
    }

    /**
     * The copy's layout: magic, the stamp (length, UTF-8), the organisations (count, length of their text, the
     * text, count + 1 starts), then the IPv4 count and its four int columns, the IPv6 count and its four long and
     * two int columns.
     */
    private void write(FileChannel out, String stamp) throws IOException {
        byte[] st = stamp.getBytes(StandardCharsets.UTF_8);
        int n4 = v4First.length, n6 = v6FirstHi.length;
        long size = 8 + 4 + st.length + 4 + 4 + orgText.length + 4L * orgStart.length + 4 + 16L * n4 + 4 + 40L * n6;
        ByteBuffer b = ByteBuffer.allocate(Math.toIntExact(size)).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(MAGIC).putInt(st.length).put(st).putInt(orgs.length).putInt(orgText.length).put(orgText);
        b.asIntBuffer().put(orgStart);
        b.position(b.position() + 4 * orgStart.length);
        b.putInt(n4);
        for (int[] column : new int[][] { v4First, v4Last, v4As, v4Org }) {
            b.asIntBuffer().put(column);
            b.position(b.position() + 4 * n4);
        }
        b.putInt(n6);
        for (long[] column : new long[][] { v6FirstHi, v6FirstLo, v6LastHi, v6LastLo }) {
            b.asLongBuffer().put(column);
            b.position(b.position() + 8 * n6);
        }
        for (int[] column : new int[][] { v6As, v6Org }) {
            b.asIntBuffer().put(column);
            b.position(b.position() + 4 * n6);
        }
        b.flip();
        while (b.hasRemaining()) {
            out.write(b);
        }
    }

    /** The table in the copy, or null when the copy was made from other files (another stamp). */
    private static AsnTable read(Path cache, String stamp) throws IOException {
        try (FileChannel channel = FileChannel.open(cache, StandardOpenOption.READ)) {
            ColumnInput in = new ColumnInput(channel);
            if (in.getLong() != MAGIC) {
                return null;
            }
            byte[] st = new byte[in.count(1)];
            in.get(st);
            if (!new String(st, StandardCharsets.UTF_8).equals(stamp)) {
                return null;
            }
            int no = in.count(4);
            Builder t = new Builder();
            t.orgText = new byte[in.count(1)];
            in.get(t.orgText);
            t.orgStart = new int[no + 1];
            in.get(t.orgStart);
            for (int i = 0; i < no; i++) {
                if (t.orgStart[i] < 0 || t.orgStart[i] > t.orgStart[i + 1]) {
                    throw new IOException("organisation text out of order");
                }
            }
            if (t.orgStart[no] != t.orgText.length) {
                throw new IOException("organisation text of another length");
            }
            t.n4 = in.count(16);
            t.v4First = in.get(new int[t.n4]);
            t.v4Last = in.get(new int[t.n4]);
            t.v4As = in.get(new int[t.n4]);
            t.v4Org = checkOrgs(in.get(new int[t.n4]), no);
            t.n6 = in.count(40);
            t.v6FirstHi = in.get(new long[t.n6]);
            t.v6FirstLo = in.get(new long[t.n6]);
            t.v6LastHi = in.get(new long[t.n6]);
            t.v6LastLo = in.get(new long[t.n6]);
            t.v6As = in.get(new int[t.n6]);
            t.v6Org = checkOrgs(in.get(new int[t.n6]), no);
            if (!in.atEnd()) {
                throw new IOException("trailing bytes");
            }
            return new AsnTable(t);
        }
    }

    /**
     * The copy read column by column through one small buffer: neither the whole file in the heap nor a mapping
     * that keeps its pages in the process until a collection finds it unreachable.
     */
    private static final class ColumnInput {
        private final FileChannel channel;
        private final ByteBuffer buffer = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
        private long unread;

        ColumnInput(FileChannel channel) throws IOException {
            this.channel = channel;
            this.unread = channel.size();
            buffer.flip();
        }

        /** Makes at least {@code n} (at most the buffer's capacity) bytes available. */
        private void need(int n) throws IOException {
            if (buffer.remaining() >= n) {
                return;
            }
            buffer.compact();
            while (buffer.position() < n) {
                if (channel.read(buffer) < 0) {
                    throw new IOException("the file ends early");
                }
            }
            buffer.flip();
        }

        long getLong() throws IOException {
            need(8);
            unread -= 8;
            return buffer.getLong();
        }

        /** A count of items of {@code width} bytes each, which the rest of the file must be able to hold. */
        int count(int width) throws IOException {
            need(4);
            unread -= 4;
            int n = buffer.getInt();
            if (n < 0 || (long) n * width > unread) {
                throw new IOException("a count of " + n + " does not fit the file");
            }
            return n;
        }

        /** Copies {@code k} items from the buffer's position into the array from {@code done}. */
        private interface Items {
            void copy(ByteBuffer from, int done, int k);
        }

        /** Reads {@code length} items of {@code width} bytes, as many at a time as the buffer holds. */
        private void items(int length, int width, Items items) throws IOException {
            for (int done = 0; done < length;) {
                need(width);
                int k = Math.min(buffer.remaining() / width, length - done);
                items.copy(buffer, done, k);
                buffer.position(buffer.position() + width * k);
                done += k;
            }
            unread -= (long) width * length;
        }

        void get(byte[] into) throws IOException {
            items(into.length, 1, (b, done, k) -> b.get(b.position(), into, done, k));
        }

        int[] get(int[] into) throws IOException {
            items(into.length, 4, (b, done, k) -> b.asIntBuffer().get(into, done, k));
            return into;
        }

        long[] get(long[] into) throws IOException {
            items(into.length, 8, (b, done, k) -> b.asLongBuffer().get(into, done, k));
            return into;
        }

        boolean atEnd() {
            return unread == 0;
        }
    }

    private static int[] checkOrgs(int[] indexes, int count) throws IOException {
        for (int index : indexes) {
            checkOrg(index, count);
        }
        return indexes;
    }

    private static int checkOrg(int index, int count) throws IOException {
        if (index < 0 || index >= count) {
            throw new IOException("organisation index out of range");
        }
        return index;
    }

    /** The AS number and organisation, or null when no range holds the address. */
    Object[] lookup(long hi, long lo) {
        if (IpAddress.isV4(hi, lo)) {
            int a = (int) lo;
            int found = v4Index.floor(a);
            // The latest range starting at or before the address; a few earlier ones may be wider and overlap.
            for (int i = found; i >= 0 && i > found - OVERLAP; i--) {
                if (Integer.compareUnsigned(a, v4Last[i]) <= 0) {
                    return new Object[] { (long) v4As[i] & 0xFFFF_FFFFL, org(v4Org[i]) };
                }
            }
            return null;
        }
        int found = RangeIndex.floor(v6FirstHi, v6FirstLo, hi, lo);
        for (int i = found; i >= 0 && i > found - OVERLAP; i--) {
            if (RangeIndex.compare(hi, lo, v6LastHi[i], v6LastLo[i]) <= 0) {
                return new Object[] { (long) v6As[i] & 0xFFFF_FFFFL, org(v6Org[i]) };
            }
        }
        return null;
    }

    private String org(int index) {
        String o = orgs[index];
        if (o == null) {
            // Lookups on several threads may each make it: the same immutable text, so either copy serves.
            o = new String(orgText, orgStart[index], orgStart[index + 1] - orgStart[index], StandardCharsets.UTF_8);
            orgs[index] = o;
        }
        return o;
    }

    private static final class Builder {
        int n4, n6;
        // Grown as CSV rows come, or set whole from the binary copy.
        int[] v4First = {}, v4Last = {}, v4As = {}, v4Org = {};
        long[] v6FirstHi = {}, v6FirstLo = {}, v6LastHi = {}, v6LastLo = {};
        int[] v6As = {}, v6Org = {};
        final Map<String, Integer> orgIndex = new HashMap<>();
        final java.util.List<String> orgList = new java.util.ArrayList<>();
        byte[] orgText;
        int[] orgStart;
        final long[] a = new long[2], z = new long[2];

        /** Joins the organisations read from CSV into one text with their starts. */
        void joinOrgs() {
            java.io.ByteArrayOutputStream text = new java.io.ByteArrayOutputStream();
            orgStart = new int[orgList.size() + 1];
            for (int i = 0; i < orgList.size(); i++) {
                text.writeBytes(orgList.get(i).getBytes(StandardCharsets.UTF_8));
                orgStart[i + 1] = text.size();
            }
            orgText = text.toByteArray();
        }

        /** Parses an address (dotted IPv4 without allocating, anything else through IpAddress). */
        private static boolean address(String line, int from, int to, long[] out) {
            int colon = line.indexOf(':', from);
            if (colon >= 0 && colon < to) {
                try {
                    IpAddress.parse(line.substring(from, to), out);
                    return true;
                } catch (IllegalArgumentException e) {
                    return false;
                }
            }
            int v = 0, octet = -1, dots = 0;
            for (int i = from; i < to; i++) {
                char c = line.charAt(i);
                if (c >= '0' && c <= '9') {
                    octet = (octet < 0 ? 0 : octet * 10) + (c - '0');
                    if (octet > 255) {
                        return false;
                    }
                } else if (c == '.' && octet >= 0 && dots < 3) {
                    v = v << 8 | octet;
                    octet = -1;
                    dots++;
                } else {
                    return false;
                }
            }
            if (dots != 3 || octet < 0) {
                return false;
            }
            out[0] = 0;
            out[1] = IpAddress.v4Lo(v << 8 | octet);
            return true;
        }

        void read(Path file) throws FeedException {
            int lineNo = 0;
            try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                long prevHi = 0, prevLo = 0;
                boolean v4Seen = false, v6Seen = false;
                int prev4 = 0;
                for (String line; (line = r.readLine()) != null;) {
                    lineNo++;
                    if (line.isBlank()) {
                        continue;
                    }
                    int c1 = line.indexOf(','), c2 = c1 < 0 ? -1 : line.indexOf(',', c1 + 1),
                            c3 = c2 < 0 ? -1 : line.indexOf(',', c2 + 1);
                    if (c3 < 0) {
                        throw new FeedException(file, lineNo, 1, "expected first,last,number,organisation");
                    }
                    if (!address(line, 0, c1, a)) {
                        throw new FeedException(file, lineNo, 1, "not an address: " + line.substring(0, c1));
                    }
                    if (!address(line, c1 + 1, c2, z)) {
                        throw new FeedException(file, lineNo, c1 + 2, "not an address: " + line.substring(c1 + 1, c2));
                    }
                    long number;
                    try {
                        number = Long.parseLong(line.substring(c2 + 1, c3));
                    } catch (NumberFormatException e) {
                        throw new FeedException(file, lineNo, c2 + 2, "not an AS number: " + line.substring(c2 + 1, c3));
                    }
                    String org = line.substring(c3 + 1);
                    if (org.length() >= 2 && org.startsWith("\"") && org.endsWith("\"")) {
                        org = org.substring(1, org.length() - 1).replace("\"\"", "\"");
                    }
                    Integer oi = orgIndex.get(org);
                    if (oi == null) {
                        oi = orgList.size();
                        orgIndex.put(org, oi);
                        orgList.add(org);
                    }
                    boolean v4 = IpAddress.isV4(a[0], a[1]);
                    if (v4 != IpAddress.isV4(z[0], z[1])) {
                        throw new FeedException(file, lineNo, 1, "range mixes IPv4 and IPv6");
                    }
                    if (v4) {
                        int first = (int) a[1];
                        if (v4Seen && Integer.compareUnsigned(first, prev4) < 0) {
                            throw new FeedException(file, lineNo, 1, "ranges are not sorted by their first address");
                        }
                        v4Seen = true;
                        prev4 = first;
                        if (n4 == v4First.length) {
                            int cap = Math.max(1 << 16, n4 * 2);
                            v4First = Arrays.copyOf(v4First, cap);
                            v4Last = Arrays.copyOf(v4Last, cap);
                            v4As = Arrays.copyOf(v4As, cap);
                            v4Org = Arrays.copyOf(v4Org, cap);
                        }
                        v4First[n4] = first;
                        v4Last[n4] = (int) z[1];
                        v4As[n4] = (int) number;
                        v4Org[n4++] = oi;
                    } else {
                        if (v6Seen && RangeIndex.compare(a[0], a[1], prevHi, prevLo) < 0) {
                            throw new FeedException(file, lineNo, 1, "ranges are not sorted by their first address");
                        }
                        v6Seen = true;
                        prevHi = a[0];
                        prevLo = a[1];
                        if (n6 == v6FirstHi.length) {
                            int cap = Math.max(1 << 14, n6 * 2);
                            v6FirstHi = Arrays.copyOf(v6FirstHi, cap);
                            v6FirstLo = Arrays.copyOf(v6FirstLo, cap);
                            v6LastHi = Arrays.copyOf(v6LastHi, cap);
                            v6LastLo = Arrays.copyOf(v6LastLo, cap);
                            v6As = Arrays.copyOf(v6As, cap);
                            v6Org = Arrays.copyOf(v6Org, cap);
                        }
                        v6FirstHi[n6] = a[0];
                        v6FirstLo[n6] = a[1];
                        v6LastHi[n6] = z[0];
                        v6LastLo[n6] = z[1];
                        v6As[n6] = (int) number;
                        v6Org[n6++] = oi;
                    }
                }
            } catch (FeedException e) {
                throw e;
            } catch (NoSuchFileException e) {
                throw new FeedException(file, "file not found");
            } catch (IOException e) {
                throw new FeedException(file, lineNo, 0, "cannot read: " + e.getMessage(), e);
            }
        }
    }
}
