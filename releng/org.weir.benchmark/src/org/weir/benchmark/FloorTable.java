package org.weir.benchmark;

import java.util.Arrays;

import org.weir.core.PacketHandler;
import org.weir.core.PacketView;

/**
 * A yardstick, not a session table: the least a flow table must do on this capture, laid out as compactly as Java
 * allows, so that {@code decode+floor} bounds what any design of the real one could reach on this machine. Each
 * flow is 16 longs (two cache lines) of one array: its canonical 5-tuple, first and last time, packets and bytes
 * per direction, TCP flags seen and the highest relative sequence number. An index of longs holds the key's hash
 * beside the flow's number, so probing and removal never touch a flow. Flows end by inactivity (DNS 10 s, other UDP
 * and ICMP 60 s, TCP 5 minutes, 5 s after a FIN or RST), checked on a wheel of one-second buckets that holds flow
 * numbers. No Zeek state machine, history, orientation, change tracking or records: everything the real table does
 * beyond this is what it costs above the floor.
 */
final class FloorTable implements PacketHandler {

    private static final int LONGS = 16;
    private static final long SECOND = 1_000_000_000L;
    private static final int BUCKETS = 1024;

    private long[] flows = new long[LONGS << 16];
    private int[] free = new int[1 << 16];
    private int freeCount;
    private int nextFlow;
    private final long[] index = new long[1 << 22];
    private final int mask = index.length - 1;
    private final int[][] wheel = new int[BUCKETS][];
    private final int[] wheelCount = new int[BUCKETS];
    private long wheelSecond = -1;
    long created;
    int live;

    FloorTable() {
        for (int i = 0; i < BUCKETS; i++) {
            wheel[i] = new int[64];
        }
    }

    @Override
    public void onPacket(PacketView p) {
        int proto = p.protocol;
        if (proto != 6 && proto != 17 && proto != 1 && proto != 58) {
            return;
        }
        long t = p.timestampNanos;
        long second = t / SECOND;
        if (wheelSecond < 0) {
            wheelSecond = second;
        }
        while (wheelSecond < second) {
            expire(++wheelSecond, t);
        }
        long aHi = p.srcHi, aLo = p.srcLo, bHi = p.dstHi, bLo = p.dstLo;
        int aPort = Math.max(0, p.srcPort), bPort = Math.max(0, p.dstPort);
        boolean swap = aHi > bHi || aHi == bHi && (aLo > bLo || aLo == bLo && aPort > bPort);
        if (swap) {
            long x = aHi;
            aHi = bHi;
            bHi = x;
            x = aLo;
            aLo = bLo;
            bLo = x;
            int y = aPort;
            aPort = bPort;
            bPort = y;
        }
        long ports = (long) aPort << 32 | (long) bPort << 8 | proto;
        long mixed = aHi * 0x9E3779B97F4A7C15L ^ aLo * 0xC2B2AE3D27D4EB4FL ^ bHi * 0x165667B19E3779F9L
                ^ bLo * 0x27D4EB2F165667C5L ^ ports * 0x94D049BB133111EBL;
        int hash = (int) (mixed ^ mixed >>> 32) | 1;
        long[] f = flows;
        int i = hash & mask, flow = -1;
        for (long e; (e = index[i]) != 0; i = (i + 1) & mask) {
            if ((int) (e >>> 32) == hash) {
                int o = ((int) e - 1) * LONGS;
                if (f[o] == aHi && f[o + 1] == aLo && f[o + 2] == bHi && f[o + 3] == bLo && f[o + 4] == ports) {
                    flow = (int) e - 1;
                    break;
                }
            }
        }
        int o;
        if (flow < 0) {
            flow = freeCount > 0 ? free[--freeCount] : nextFlow++;
            if ((flow + 1) * LONGS > f.length) {
                flows = f = Arrays.copyOf(f, f.length * 2);
            }
            index[i] = (long) hash << 32 | (flow + 1);
            o = flow * LONGS;
            f[o] = aHi;
            f[o + 1] = aLo;
            f[o + 2] = bHi;
            f[o + 3] = bLo;
            f[o + 4] = ports;
            f[o + 5] = t;
            Arrays.fill(f, o + 7, o + LONGS, 0);
            f[o + 11] = p.tcpSeq;
            f[o + 12] = hash;
            f[o + 13] = proto == 17 && (aPort == 53 || bPort == 53) ? 10 * SECOND
                    : proto == 6 ? 300 * SECOND : 60 * SECOND;
            schedule(flow, t + f[o + 13]);
            live++;
            created++;
        } else {
            o = flow * LONGS;
        }
        f[o + 6] = t;
        int d = swap ? 2 : 0;
        f[o + 7 + d]++;
        f[o + 8 + d] += p.ipTotalLength;
        if (proto == 6) {
            int flags = p.tcpFlags;
            f[o + 14] |= flags;
            f[o + 15] = Math.max(f[o + 15], ((p.tcpSeq - f[o + 11]) & 0xFFFF_FFFFL) + p.payloadLength);
            if ((flags & 0x05) != 0) {
                f[o + 13] = 5 * SECOND; // FIN or RST: gone after a close delay
            }
        }
    }

    private void schedule(int flow, long deadline) {
        int b = (int) ((deadline / SECOND + 1) % BUCKETS);
        if (wheelCount[b] == wheel[b].length) {
            wheel[b] = Arrays.copyOf(wheel[b], wheelCount[b] * 2);
        }
        wheel[b][wheelCount[b]++] = flow;
    }

    /**
     * The flows of second {@code second}'s bucket: ended when idle long enough, else rescheduled (into other buckets:
     * every timeout is shorter than the wheel).
     */
    private void expire(long second, long now) {
        int b = (int) (second % BUCKETS);
        int[] due = wheel[b];
        int n = wheelCount[b];
        wheelCount[b] = 0;
        long[] f = flows;
        for (int k = 0; k < n; k++) {
            int flow = due[k], o = flow * LONGS;
            long deadline = f[o + 6] + f[o + 13];
            if (deadline <= now) {
                end(flow, (int) f[o + 12]);
            } else {
                schedule(flow, deadline);
            }
        }
    }

    /** Removes a flow's index entry (backward shift, by the hashes in the index) and frees its number. */
    private void end(int flow, int hash) {
        int i = hash & mask;
        while ((int) index[i] != flow + 1) {
            i = (i + 1) & mask;
        }
        index[i] = 0;
        for (int j = (i + 1) & mask; index[j] != 0; j = (j + 1) & mask) {
            int home = (int) (index[j] >>> 32) & mask;
            if (((j - home) & mask) >= ((j - i) & mask)) {
                index[i] = index[j];
                index[j] = 0;
                i = j;
            }
        }
        if (freeCount == free.length) {
            free = Arrays.copyOf(free, free.length * 2);
        }
        free[freeCount++] = flow;
        live--;
    }
}
