package org.weir.intel.internal;

/**
 * Names a client sent in a TCP flow (TLS SNI, HTTP Host), keyed by the flow as the client sent it (client
 * address and port, server address and port): bounded, set-associative (4 ways, oldest way replaced), arrays
 * only. Single-threaded (the pipeline thread).
 */
final class FlowNames {

    private static final int WAYS = 4;

    private final int setMask;
    private final long[] cHi, cLo, sHi, sLo, used;
    private final int[] ports;
    private final String[] name, reg, src;
    private long clock;
    private int size;

    FlowNames(int capacity) {
        int sets = Integer.highestOneBit(Math.max(1, capacity / WAYS - 1)) << 1;
        setMask = sets - 1;
        int n = sets * WAYS;
        cHi = new long[n];
        cLo = new long[n];
        sHi = new long[n];
        sLo = new long[n];
        used = new long[n];
        ports = new int[n];
        name = new String[n];
        reg = new String[n];
        src = new String[n];
    }

    int size() {
        return size;
    }

    private int set(long ch, long cl, long sh, long sl, int p) {
        return (hash(ch, cl, sh, sl, p) & setMask) * WAYS;
    }

    /** A flow's hash: client address, server address, and both ports as {@code clientPort << 16 | serverPort}. */
    static int hash(long ch, long cl, long sh, long sl, int ports) {
        long x = (ch * 31 + cl) * 0x9E3779B97F4A7C15L ^ (sh * 31 + sl) * 0xC2B2AE3D27D4EB4FL ^ ports;
        x ^= x >>> 31;
        x *= 0xBF58476D1CE4E5B9L;
        x ^= x >>> 29;
        return (int) x;
    }

    /** The slot of the flow, -1 when it has no name. */
    int find(long ch, long cl, int cport, long sh, long sl, int sport) {
        int p = cport << 16 | sport;
        int base = set(ch, cl, sh, sl, p);
        for (int w = base; w < base + WAYS; w++) {
            if (name[w] != null && ports[w] == p && cLo[w] == cl && sLo[w] == sl && cHi[w] == ch && sHi[w] == sh) {
                return w;
            }
        }
        return -1;
    }

    void put(long ch, long cl, int cport, long sh, long sl, int sport, String n, String registered, String source) {
        int p = cport << 16 | sport;
        int base = set(ch, cl, sh, sl, p);
        int w = base;
        for (int i = base; i < base + WAYS; i++) {
            if (name[i] == null) {
                w = i;
                break;
            }
            if (used[i] < used[w]) {
                w = i;
            }
        }
        if (name[w] == null) {
            size++;
        }
        cHi[w] = ch;
        cLo[w] = cl;
        sHi[w] = sh;
        sLo[w] = sl;
        ports[w] = p;
        name[w] = n;
        reg[w] = registered;
        src[w] = source;
        used[w] = ++clock;
    }

    String name(int slot) {
        return name[slot];
    }

    String registered(int slot) {
        return reg[slot];
    }

    String source(int slot) {
        return src[slot];
    }
}
