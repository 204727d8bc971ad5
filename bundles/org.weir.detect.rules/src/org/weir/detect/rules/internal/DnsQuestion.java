package org.weir.detect.rules.internal;

import org.weir.core.PacketView;

/**
 * Reads the header and first question of a DNS message from a packet's payload into reusable fields: no
 * allocation, bounded work (at most 255 name bytes, 16 compression jumps). DNS over TCP is read when the segment
 * starts with the two-byte length prefix, as the first segment of a query does.
 */
final class DnsQuestion {

    static final int MAX_NAME = 255;

    /** The query name as written (case kept), labels separated by '.', no trailing dot. */
    final byte[] name = new byte[MAX_NAME + 1];
    int nameLength;
    /** Start offset in {@link #name} and length of each label. */
    final int[] labelStart = new int[128];
    final int[] labelLength = new int[128];
    int labels;
    int id;
    boolean response;
    int opcode;
    int rcode;
    int qtype;
    int answers;

    /** Parses the packet's payload; false when it is not a readable DNS message with a question. */
    boolean parse(PacketView p) {
        byte[] d = p.data;
        int start = p.payloadOffset;
        int end = start + p.payloadCapturedLength;
        if (d == null || p.payloadCapturedLength <= 0 || end > d.length) {
            return false;
        }
        if (p.protocol == 6) {
            if (end - start < 14) {
                return false;
            }
            start += 2; // length prefix
        }
        return parse(d, start, end);
    }

    /** Parses a DNS message in {@code d[start, end)}. */
    boolean parse(byte[] d, int start, int end) {
        nameLength = 0;
        labels = 0;
        if (end - start < 12) {
            return false;
        }
        id = ((d[start] & 0xFF) << 8) | (d[start + 1] & 0xFF);
        int flags = ((d[start + 2] & 0xFF) << 8) | (d[start + 3] & 0xFF);
        response = (flags & 0x8000) != 0;
        opcode = (flags >>> 11) & 0xF;
        rcode = flags & 0xF;
        int qd = ((d[start + 4] & 0xFF) << 8) | (d[start + 5] & 0xFF);
        answers = ((d[start + 6] & 0xFF) << 8) | (d[start + 7] & 0xFF);
        if (qd == 0) {
            return false;
        }
        int pos = start + 12;
        int after = -1; // where the question continues after the name
        int jumps = 0;
        while (true) {
            if (pos >= end) {
                return false;
            }
            int len = d[pos] & 0xFF;
            if (len == 0) {
                pos++;
                break;
            }
            if ((len & 0xC0) == 0xC0) {
                if (pos + 1 >= end || ++jumps > 16) {
                    return false;
                }
                int target = start + (((len & 0x3F) << 8) | (d[pos + 1] & 0xFF));
                if (after < 0) {
                    after = pos + 2;
                }
                pos = target;
                continue;
            }
            if ((len & 0xC0) != 0 || pos + 1 + len > end || labels == labelStart.length) {
                return false;
            }
            int need = nameLength + (labels > 0 ? 1 : 0) + len;
            if (need > MAX_NAME) {
                return false;
            }
            if (labels > 0) {
                name[nameLength++] = '.';
            }
            labelStart[labels] = nameLength;
            labelLength[labels] = len;
            System.arraycopy(d, pos + 1, name, nameLength, len);
            nameLength += len;
            labels++;
            pos += 1 + len;
        }
        if (after >= 0) {
            pos = after;
        }
        if (pos + 4 > end) {
            return false;
        }
        qtype = ((d[pos] & 0xFF) << 8) | (d[pos + 1] & 0xFF);
        return true;
    }

    /** Loads a name given as text (tests and the labelled-name benchmark); false when it is not a valid name. */
    boolean setName(String text) {
        nameLength = 0;
        labels = 0;
        byte[] b = text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        int n = b.length;
        if (n > 0 && b[n - 1] == '.') {
            n--;
        }
        int i = 0;
        while (i <= n) {
            int j = i;
            while (j < n && b[j] != '.') {
                j++;
            }
            int len = j - i;
            if (len == 0 || len > 63 || labels == labelStart.length) {
                if (len == 0 && j >= n && labels > 0) {
                    break;
                }
                if (len == 0) {
                    i = j + 1; // empty label ("a..b"): skip it
                    if (i > n) {
                        break;
                    }
                    continue;
                }
                return false;
            }
            if (nameLength + (labels > 0 ? 1 : 0) + len > MAX_NAME) {
                return false;
            }
            if (labels > 0) {
                name[nameLength++] = '.';
            }
            labelStart[labels] = nameLength;
            labelLength[labels] = len;
            System.arraycopy(b, i, name, nameLength, len);
            nameLength += len;
            labels++;
            i = j + 1;
        }
        return labels > 0;
    }

    /** The name as text (allocates: for alerts, not the hot path). */
    String nameText() {
        return new String(name, 0, nameLength, java.nio.charset.StandardCharsets.ISO_8859_1);
    }

    /** The registered domain's labels: the last two, or three under a two-letter TLD with a short second level. */
    int parentLabels() {
        if (labels <= 2) {
            return labels;
        }
        int tld = labels - 1;
        int sld = labels - 2;
        if (labelLength[tld] == 2 && labelLength[sld] <= 3) {
            return 3;
        }
        // Reverse lookups: the whole name is an address, the "parent" is the arpa zone.
        if (equalsIgnoreCase(tld, "arpa")) {
            return Math.min(labels, 2);
        }
        return 2;
    }

    boolean equalsIgnoreCase(int label, String text) {
        if (labelLength[label] != text.length()) {
            return false;
        }
        int s = labelStart[label];
        for (int i = 0; i < text.length(); i++) {
            int c = name[s + i] | 0x20;
            if (c != (text.charAt(i) | 0x20)) {
                return false;
            }
        }
        return true;
    }

    /** Case-insensitive 64-bit hash of the last {@code count} labels (the parent domain key). */
    long suffixHash(int count) {
        int from = labelStart[labels - count];
        long h = 0xcbf29ce484222325L;
        for (int i = from; i < nameLength; i++) {
            int c = name[i] & 0xFF;
            if (c >= 'A' && c <= 'Z') {
                c |= 0x20;
            }
            h = (h ^ c) * 0x100000001b3L;
        }
        return h;
    }

    /** Case-insensitive hash of the whole name. */
    long nameHash() {
        return suffixHash(labels);
    }

    /** The last {@code count} labels as text (allocates). */
    String suffixText(int count) {
        int from = labelStart[labels - count];
        return new String(name, from, nameLength - from, java.nio.charset.StandardCharsets.ISO_8859_1)
                .toLowerCase(java.util.Locale.ROOT);
    }
}
