package org.weir.intel.internal;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
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
        orgs = b.orgList.toArray(String[]::new);
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
    private static final long MAGIC = 0x5745_4952_4153_4E01L; // "WEIRASN" 1

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
            try (java.io.DataInputStream in = new java.io.DataInputStream(
                    new java.io.BufferedInputStream(Files.newInputStream(cache), 1 << 16))) {
                if (in.readLong() == MAGIC && in.readUTF().equals(stamp)) {
                    return read(in);
                }
            } catch (IOException | RuntimeException e) {
                // a damaged or foreign copy: read the CSV files and write it again
            }
        }
        AsnTable t = load(files);
        if (stamp != null) {
            try {
                Path tmp = Files.createTempFile(cache.getParent(), CACHE, ".tmp");
                try (java.io.DataOutputStream out = new java.io.DataOutputStream(
                        new java.io.BufferedOutputStream(Files.newOutputStream(tmp), 1 << 16))) {
                    out.writeLong(MAGIC);
                    out.writeUTF(stamp);
                    t.write(out);
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

    private void write(java.io.DataOutputStream out) throws IOException {
        out.writeInt(orgs.length);
        for (String o : orgs) {
            out.writeUTF(o);
        }
        out.writeInt(v4First.length);
        for (int i = 0; i < v4First.length; i++) {
            out.writeInt(v4First[i]);
            out.writeInt(v4Last[i]);
            out.writeInt(v4As[i]);
            out.writeInt(v4Org[i]);
        }
        out.writeInt(v6FirstHi.length);
        for (int i = 0; i < v6FirstHi.length; i++) {
            out.writeLong(v6FirstHi[i]);
            out.writeLong(v6FirstLo[i]);
            out.writeLong(v6LastHi[i]);
            out.writeLong(v6LastLo[i]);
            out.writeInt(v6As[i]);
            out.writeInt(v6Org[i]);
        }
    }

    private static AsnTable read(java.io.DataInputStream in) throws IOException {
        Builder b = new Builder();
        int no = in.readInt();
        for (int i = 0; i < no; i++) {
            b.orgList.add(in.readUTF());
        }
        b.n4 = in.readInt();
        b.v4First = new int[b.n4];
        b.v4Last = new int[b.n4];
        b.v4As = new int[b.n4];
        b.v4Org = new int[b.n4];
        for (int i = 0; i < b.n4; i++) {
            b.v4First[i] = in.readInt();
            b.v4Last[i] = in.readInt();
            b.v4As[i] = in.readInt();
            b.v4Org[i] = checkOrg(in.readInt(), no);
        }
        b.n6 = in.readInt();
        b.v6FirstHi = new long[b.n6];
        b.v6FirstLo = new long[b.n6];
        b.v6LastHi = new long[b.n6];
        b.v6LastLo = new long[b.n6];
        b.v6As = new int[b.n6];
        b.v6Org = new int[b.n6];
        for (int i = 0; i < b.n6; i++) {
            b.v6FirstHi[i] = in.readLong();
            b.v6FirstLo[i] = in.readLong();
            b.v6LastHi[i] = in.readLong();
            b.v6LastLo[i] = in.readLong();
            b.v6As[i] = in.readInt();
            b.v6Org[i] = checkOrg(in.readInt(), no);
        }
        return new AsnTable(b);
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
                    return new Object[] { (long) v4As[i] & 0xFFFF_FFFFL, orgs[v4Org[i]] };
                }
            }
            return null;
        }
        int found = RangeIndex.floor(v6FirstHi, v6FirstLo, hi, lo);
        for (int i = found; i >= 0 && i > found - OVERLAP; i--) {
            if (RangeIndex.compare(hi, lo, v6LastHi[i], v6LastLo[i]) <= 0) {
                return new Object[] { (long) v6As[i] & 0xFFFF_FFFFL, orgs[v6Org[i]] };
            }
        }
        return null;
    }

    private static final class Builder {
        int n4, n6;
        int[] v4First = new int[1 << 16], v4Last = new int[1 << 16], v4As = new int[1 << 16], v4Org = new int[1 << 16];
        long[] v6FirstHi = new long[1 << 14], v6FirstLo = new long[1 << 14], v6LastHi = new long[1 << 14],
                v6LastLo = new long[1 << 14];
        int[] v6As = new int[1 << 14], v6Org = new int[1 << 14];
        final Map<String, Integer> orgIndex = new HashMap<>();
        final java.util.List<String> orgList = new java.util.ArrayList<>();
        final long[] a = new long[2], z = new long[2];

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
                            int cap = n4 * 2;
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
                            int cap = n6 * 2;
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
