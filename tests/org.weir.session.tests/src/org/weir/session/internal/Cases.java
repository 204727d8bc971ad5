package org.weir.session.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.IntStream;

import org.weir.core.Subnet;

/**
 * The Zeek btest cases of the corpus that have a conn.log baseline, with the options their {@code @TEST-EXEC}
 * lines use: {@code -C} (checksums ignored), {@code -b} (bare mode: only the loaded scripts' ports are likely
 * server ports) and script settings that change conn.log.
 */
final class Cases {

    /** One trace and the conn.log Zeek wrote for it. */
    record ZeekCase(String name, String trace, String log, boolean ignoreChecksums, Consumer<ZeekConfig> setup) {
        String tracePath() {
            return "zeek/" + name + "/traces/" + trace;
        }

        String logPath() {
            return "zeek/" + name + "/baseline/" + log;
        }
    }

    private static final int[] NONE = {};

    /** Zeek's default scripts (not bare): the table's defaults. */
    static final Consumer<ZeekConfig> FULL = c -> {
    };
    /** {@code -b} with base/protocols/conn only: the tunnels' likely server ports alone (init-bare loads them). */
    static final Consumer<ZeekConfig> BARE = ZeekConfig::bare;
    /** {@code -b} with base/protocols/http loaded. */
    static final Consumer<ZeekConfig> BARE_HTTP = c -> c.likelyServerPorts(ZeekConfig.HTTP_PORTS,
            ZeekConfig.TUNNEL_SERVER_PORTS).dnsPorts(NONE).ntpPorts(NONE).httpAnalyzer(true);
    /** {@code -b} with base/protocols/dns loaded. */
    static final Consumer<ZeekConfig> BARE_DNS = c -> c.likelyServerPorts(new int[] {53},
            IntStream.concat(IntStream.of(ZeekConfig.DNS_UDP_PORTS), IntStream.of(ZeekConfig.TUNNEL_SERVER_PORTS))
                    .toArray()).dnsPorts(ZeekConfig.DNS_UDP_PORTS).ntpPorts(NONE).httpAnalyzer(false);

    private Cases() {
    }

    static List<ZeekCase> all() {
        List<ZeekCase> l = new ArrayList<>();
        String cin = "core.checksums_ignore_nets", chk = "chksums/localhost-bad-chksum.pcap";
        l.add(new ZeekCase(cin, chk, "conn-worked.log", false,
                BARE.andThen(c -> c.ignoreChecksumsFor(Subnet.parse("192.168.0.0/16")))));
        l.add(new ZeekCase(cin, chk, "conn-worked-multi-subnets.log", false, BARE.andThen(
                c -> c.ignoreChecksumsFor(Subnet.parse("192.168.0.0/16")).ignoreChecksumsFor(
                        Subnet.parse("192.169.0.0/16")))));
        l.add(new ZeekCase(cin, chk, "conn-failed.log", false, BARE));
        l.add(new ZeekCase("core.conn-size-flip", "tcp/one-sided-2745.pcap", "conn.log.one-sided", true, BARE));
        l.add(new ZeekCase("core.conn-size-flip", "tcp/ctu-64702-888.pcap", "conn.log.ctu", true, BARE));
        l.add(new ZeekCase("core.history-flip", "tcp/missing-syn.pcap", "conn.log", true, BARE_HTTP));
        l.add(new ZeekCase("core.tcp.missing-syn", "tcp/missing-syn.pcap", "conn.log", true, BARE_HTTP));
        l.add(new ZeekCase("core.pppoe", "pppoe.pcap", "conn.log", false, FULL));
        l.add(new ZeekCase("core.q-in-q", "q-in-q.pcap", "conn.log", false, BARE));
        l.add(new ZeekCase("scripts.policy.protocols.conn.vlan-logging", "q-in-q.pcap", "conn.log", false, BARE));
        l.add(new ZeekCase("core.skip_analyzer", "tunnels/gre-sample.pcap", "conn.log", true, BARE));
        l.add(new ZeekCase("core.tcp.bad-checksum-syn", "tcp/syn-bad.pcap", "conn.log", false, BARE));
        l.add(new ZeekCase("core.tcp.flip-without-syn", "tcp/http-on-irc-port-missing-syn.pcapng", "conn.log", false,
                FULL));
        l.add(new ZeekCase("core.tcp.miss-end-data", "tcp/miss_end_data.pcap", "conn.log", false,
                BARE_HTTP.andThen(c -> c.reportGapsForPartial(true))));
        l.add(new ZeekCase("core.tcp.rxmit-history", "tcp/retransmit-fast009.pcap", "conn-1.log", true, FULL));
        l.add(new ZeekCase("core.tcp.rxmit-history", "wikipedia.pcap", "conn-2.log", true, FULL));
        l.add(new ZeekCase("core.udp-broadcast-no-flip", "udp-broadcast.pcap", "conn.log.cut", false,
                c -> c.likelyServerPorts(NONE, new int[] {40190}).dnsPorts(NONE).ntpPorts(NONE)));
        l.add(new ZeekCase("core.udp-corrupt", "dns/dns-corrupt.pcap", "conn.log", false, FULL));
        l.add(new ZeekCase("core.unknown-ip-protocol", "communityid/sctp.pcap", "conn.log", false, BARE));
        l.add(new ZeekCase("core.vlan-mpls", "mixed-vlan-mpls.pcap", "conn.log", true, BARE_HTTP));
        l.add(new ZeekCase("scripts.base.protocols.dns.max-queries", "dns/conn-count-too-large.pcap", "conn.log",
                false, BARE_DNS.andThen(c -> c.dnsMaxQueries(3))));
        return l;
    }
}
