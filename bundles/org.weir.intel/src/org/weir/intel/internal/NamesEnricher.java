package org.weir.intel.internal;

import java.util.List;
import java.util.Set;

import org.osgi.service.component.annotations.Component;
import org.weir.core.AnalysisOptions;
import org.weir.core.EndpointInfo;
import org.weir.core.Enricher;
import org.weir.core.Enrichment;
import org.weir.core.PacketView;
import org.weir.core.Session;
import org.weir.core.SessionBatch;
import org.weir.detect.PacketInterest;

/**
 * The names enricher (order 10): names for session endpoints from the capture itself.
 * <ul>
 * <li>passive DNS: A/AAAA answers of DNS responses (UDP or TCP port 53, over TCP also when a message spans
 * segments) name their addresses; through a CNAME chain the address carries the name that was asked for; the answer
 * that preceded the session wins over later ones ({@code dns});</li>
 * <li>multicast DNS (UDP 5353): names that local devices announce for their addresses ({@code mdns});</li>
 * <li>TLS: the server_name of a ClientHello at the start of a client payload, any port, gathered from the segments
 * that follow when the hello is longer than its first, or of a QUIC ClientHello as the session table decrypted it
 * ({@link Session#serverName()}) ({@code sni});</li>
 * <li>HTTP: the Host header of a request at the start of a client payload, gathered from the segments that follow
 * when a long URL or cookie pushes it out of the first ({@code http}).</li>
 * </ul>
 * A name from the session's own flow (SNI, Host) wins over an address's name, also when it arrives after the session
 * opened. {@code registeredDomain} is the registrable part by the Public Suffix List. Packet hooks parse in place and
 * allocate only when they learn a new name; the address → name cache and the flow → name table are bounded.
 */
@Component(service = Enricher.class)
public final class NamesEnricher implements Enricher {

    /** Addresses remembered (a set-associative cache; least recently used entries make room). */
    static final int ADDRESSES = 1 << 16;
    /** Flows whose client sent a name, until their session takes it. */
    static final int FLOWS = 1 << 15;
    /**
     * Slots for ClientHellos, DNS messages and HTTP request heads that span segments (each waits for its flow's next
     * segment only).
     */
    static final int SPLIT_MESSAGES = 512;

    static final String DNS = "dns", MDNS = "mdns", SNI = "sni", HTTP = "http";

    @Override
    public String id() {
        return "names";
    }

    @Override
    public int order() {
        return 10;
    }

    @Override
    public Set<Enrichment> produces() {
        return Set.of(Enrichment.NAMES);
    }

    @Override
    public Run start() {
        return new NamesRun(PublicSuffixes.bundled());
    }

    @Override
    public Run start(AnalysisOptions options) {
        return start();
    }

    /** One analysis. Plain Java, so tests can drive it without a framework. */
    static final class NamesRun implements Run, NameParser.AnswerSink {

        private final PublicSuffixes suffixes;
        final NameCache addresses;
        final FlowNames flows = new FlowNames(FLOWS);
        final SplitMessages split = new SplitMessages(SPLIT_MESSAGES);
        private final NameParser parser = new NameParser();
        private long now;
        private String answerSource;

        NamesRun(PublicSuffixes suffixes) {
            this.suffixes = suffixes;
            this.addresses = new NameCache(ADDRESSES, suffixes::registeredDomain);
        }

        @Override
        public Set<PacketInterest> packetInterests() {
            return Set.of(PacketInterest.DNS, PacketInterest.MDNS, PacketInterest.TCP_PAYLOAD);
        }

        @Override
        public void onPacket(PacketView p) {
            int len = p.payloadCapturedLength;
            if (len <= 0) {
                return;
            }
            int off = p.payloadOffset;
            byte[] d = p.data;
            if (p.protocol == 17) {
                if (p.srcPort == 53) {
                    answers(d, off, len, p.timestampNanos, DNS);
                } else if (p.srcPort == 5353) {
                    answers(d, off, len, p.timestampNanos, MDNS);
                }
                return;
            }
            if (p.protocol != 6) {
                return;
            }
            if (split.pending() > 0) {
                int slot = split.find(p.srcHi, p.srcLo, p.srcPort, p.dstHi, p.dstLo, p.dstPort);
                if (slot >= 0) {
                    messageContinued(p, slot, d, off, len);
                    return;
                }
            }
            if (p.srcPort == 53) {
                if (len > 2) { // DNS over TCP: a two-byte length, then the message
                    int length = 2 + ((d[off] & 0xFF) << 8 | (d[off + 1] & 0xFF));
                    if (length <= len) {
                        answers(d, off + 2, length - 2, p.timestampNanos, DNS);
                    } else {
                        messageStarted(p, d, off, len, length);
                    }
                }
                return;
            }
            // Cheap rejections first: most payloads are neither a ClientHello nor a request line.
            int first = d[off];
            if (first == 0x16) {
                if (len > 5 && d[off + 1] == 0x03 && d[off + 5] == 0x01
                        && flows.find(p.srcHi, p.srcLo, p.srcPort, p.dstHi, p.dstLo, p.dstPort) < 0) {
                    if (parser.tlsServerName(d, off, len)) {
                        remember(p, SNI);
                    } else { // perhaps the name is in a later segment of a longer record
                        messageStarted(p, d, off, len, 5 + ((d[off + 3] & 0xFF) << 8 | (d[off + 4] & 0xFF)));
                    }
                }
            } else if (first >= 'A' && first <= 'Z') {
                if (NameParser.isMethod(d, off, off + len)
                        && flows.find(p.srcHi, p.srcLo, p.srcPort, p.dstHi, p.dstLo, p.dstPort) < 0) {
                    int host = parser.httpHost(d, off, len);
                    if (host == NameParser.HOST) {
                        remember(p, HTTP);
                    } else if (host == NameParser.MORE) {
                        messageStarted(p, d, off, len, SplitMessages.MAX_LENGTH); // gathered up to its Host
                    }
                }
            }
        }

        /** A ClientHello or DNS message of {@code length} bytes longer than its segment waits for the rest. */
        private void messageStarted(PacketView p, byte[] d, int off, int len, int length) {
            if (length > len && length <= SplitMessages.MAX_LENGTH && len == p.payloadLength) {
                split.start(p.srcHi, p.srcLo, p.srcPort, p.dstHi, p.dstLo, p.dstPort, (int) p.tcpSeq, d, off, len,
                        length);
            }
        }

        private void messageContinued(PacketView p, int slot, byte[] d, int off, int len) {
            if (len != p.payloadLength) {
                split.remove(slot); // cut by the capture: the rest of the message is not in it
                return;
            }
            boolean complete = split.append(slot, (int) p.tcpSeq, d, off, len);
            byte[] m = split.bytes(slot);
            if (m == null) {
                return; // a segment was missed
            }
            if (p.srcPort == 53) {
                if (complete) {
                    split.remove(slot);
                    answers(m, 2, m.length - 2, p.timestampNanos, DNS);
                }
            } else if (m[0] == 0x16) {
                if (complete) {
                    split.remove(slot);
                    if (parser.tlsServerName(m, 0, m.length)) {
                        remember(p, SNI);
                    }
                }
            } else { // an HTTP request's head, read again as far as it came
                int host = parser.httpHost(m, 0, split.filled(slot));
                if (host != NameParser.MORE || complete) {
                    split.remove(slot);
                    if (host == NameParser.HOST) {
                        remember(p, HTTP);
                    }
                }
            }
        }

        private void answers(byte[] d, int off, int len, long nanos, String source) {
            now = nanos;
            answerSource = source;
            parser.dnsAnswers(d, off, len, this, source == MDNS);
        }

        @Override
        public void answer(long hi, long lo, byte[] name, int len) {
            addresses.put(hi, lo, name, len, now, answerSource);
        }

        private void remember(PacketView p, String source) {
            String n = NameCache.ascii(parser.name, parser.nameLength);
            flows.put(p.srcHi, p.srcLo, p.srcPort, p.dstHi, p.dstLo, p.dstPort, n, suffixes.registeredDomain(n),
                    source);
        }

        /**
         * Names sessions when they open (by the names their addresses had then) and when they close (a TLS or
         * HTTP name sent after the session opened); updated sessions are left alone, which keeps the per-batch
         * cost proportional to the sessions that begin and end.
         */
        @Override
        public void onSessions(SessionBatch batch) {
            name(batch.opened());
            name(batch.closed());
        }

        private void name(List<Session> sessions) {
            for (Session s : sessions) {
                name(s, true);
            }
        }

        /**
         * Gives the session's ends their names. A name of the session's own (a server name the session table read
         * for it from a QUIC ClientHello, or a TLS server name or HTTP Host its client sent) replaces an address's
         * name, also when it comes after the session opened, so that a name does not depend on where a batch ended;
         * an address's name is given only to an end without one.
         */
        void name(Session s, boolean byAddress) {
            boolean tcp = s.transport() == org.weir.core.Transport.TCP && flows.size() > 0;
            EndpointInfo resp = s.respInfo();
            if (!isOwn(resp.nameSource())) {
                String own = s.serverName();
                int f = !tcp ? -1
                        : flows.find(s.origHi(), s.origLo(), s.origPort(), s.respHi(), s.respLo(), s.respPort());
                if (own != null && parser.serverName(own)) {
                    String n = NameCache.ascii(parser.name, parser.nameLength);
                    s.setRespInfo(resp.withName(n, suffixes.registeredDomain(n), SNI));
                } else if (f >= 0) {
                    s.setRespInfo(resp.withName(flows.name(f), flows.registered(f), flows.source(f)));
                } else if (byAddress && resp.domain() == null) {
                    int a = addresses.lookup(s.respHi(), s.respLo(), s.startNanos());
                    if (a != -1) {
                        s.setRespInfo(named(resp, a));
                    }
                }
            }
            EndpointInfo orig = s.origInfo();
            if (!isOwn(orig.nameSource())) {
                int f = !tcp ? -1
                        : flows.find(s.respHi(), s.respLo(), s.respPort(), s.origHi(), s.origLo(), s.origPort());
                if (f >= 0) {
                    s.setOrigInfo(orig.withName(flows.name(f), flows.registered(f), flows.source(f)));
                } else if (byAddress && orig.domain() == null) {
                    int a = addresses.lookup(s.origHi(), s.origLo(), s.startNanos());
                    if (a != -1) {
                        s.setOrigInfo(named(orig, a));
                    }
                }
            }
        }

        /** A name the session's own packets gave (not one its address had). */
        private static boolean isOwn(String source) {
            return SNI.equals(source) || HTTP.equals(source);
        }

        private EndpointInfo named(EndpointInfo info, int slot) {
            return info.withName(addresses.name(slot), addresses.registered(slot), addresses.source(slot));
        }
    }
}
