package org.weir.filter.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.weir.core.EndpointInfo;
import org.weir.core.Enrichment;
import org.weir.core.LocalNetworks;
import org.weir.core.PolicyVerdict;
import org.weir.core.Session;
import org.weir.core.Transport;
import org.weir.filter.FilterField;
import org.weir.filter.FilterSyntaxException;
import org.weir.filter.SessionFilter;
import org.weir.testsupport.TestSession;

/** The filter language on sessions whose values the test sets: operators, kinds, unset values, errors. */
class SessionFilterTest {

    /** 2011-03-18T19:06:07.096535Z, a start Zeek prints as 1300475167.096535. */
    private static final long START = 1_300_475_167_096_535_123L;

    private static final Session WEB = new TestSession("10.0.0.5", 51000, "93.184.216.34", 443, Transport.TCP)
            .uid("CwebAAAA1").at(START, 2_500_000_000L).bytes(517, 120_000).traffic(517, 12, 120_000, 90)
            .state("SF", "ShADadFf").service("ssl,http");
    private static final Session LOOKUP = new TestSession("10.0.0.5", 40000, "10.0.0.1", 53, Transport.UDP)
            .uid("CdnsBBBB2").at(START + 3_000_000_000L, 420_000).bytes(38, 89).state("SF", "Dd").service("dns");
    /** No answer: no duration, so conn.log leaves duration and byte counts unset. */
    private static final Session PROBE = new TestSession("45.33.32.156", 60000, "10.0.0.7", 22, Transport.TCP)
            .uid("CscnCCCC3").at(START + 4_000_000_000L, 0).state("S0", "S");
    private static final Session PING = new TestSession("fe80::1", 8, "2001:db8::2", 0, Transport.ICMP)
            .uid("CicmDDDD4").at(START + 5_000_000_000L, 1_000_000).state("OTH", "");
    private static final List<Session> ALL = List.of(WEB, LOOKUP, PROBE, PING);

    private static Set<String> shown(String expression) throws FilterSyntaxException {
        SessionFilter f = SessionFilter.compile(expression);
        return ALL.stream().filter(f).map(Session::uid).collect(Collectors.toSet());
    }

    private static Set<String> uids(Session... sessions) {
        return java.util.Arrays.stream(sessions).map(Session::uid).collect(Collectors.toSet());
    }

    @Test
    void blankIsEverySession() throws Exception {
        assertSame(SessionFilter.ALL, SessionFilter.compile("  "));
        assertTrue(SessionFilter.ALL.isAll());
        assertEquals(uids(WEB, LOOKUP, PROBE, PING), shown(""));
    }

    @Test
    void numbersCompareWithEveryOperatorAndInSetsWithRanges() throws Exception {
        assertEquals(uids(WEB), shown("id.resp_p == 443"));
        assertEquals(uids(WEB), shown("id.resp_p eq 0x1bb"));
        assertEquals(uids(LOOKUP, PROBE, PING), shown("id.resp_p != 443"));
        assertEquals(uids(LOOKUP, PROBE, PING), shown("id.resp_p < 443"));
        assertEquals(uids(WEB, LOOKUP, PROBE), shown("id.resp_p >= 22"));
        assertEquals(uids(LOOKUP, PROBE), shown("id.resp_p in {1..52, 53}"));
        assertEquals(uids(WEB, PROBE), shown("id.resp_p in {22 443}"));
        assertEquals(uids(WEB), shown("resp_ip_bytes > 100000"));
        assertEquals(uids(PING), shown("ip_proto == 1"));
    }

    @Test
    void eitherEndShortcuts() throws Exception {
        assertEquals(uids(WEB, LOOKUP), shown("addr == 10.0.0.5"));
        assertEquals(uids(WEB, LOOKUP), shown("port in {40000 51000}"));
        // As in Wireshark 4: != is "no end equals", so a session from 10.0.0.5 is not shown.
        assertEquals(uids(PROBE, PING), shown("addr != 10.0.0.5"));
        assertEquals(uids(WEB, LOOKUP, PROBE), shown("addr == 10.0.0.0/8"));
        assertEquals(uids(PING), shown("addr in {2001:db8::/32}"));
        // Ranges of addresses in sets, as Wireshark's: inclusive, IPv4 and IPv6 apart.
        assertEquals(uids(WEB, LOOKUP, PROBE), shown("id.resp_h in {10.0.0.1..10.0.0.7, 93.184.216.34}"));
        assertEquals(uids(LOOKUP), shown("id.resp_h in {10.0.0.1..10.0.0.6}"));
        assertEquals(uids(PING), shown("id.resp_h in {2001:db8::1..2001:db8::ff}"));
        assertEquals(uids(), shown("id.resp_h in {::..::ffff}"), "an IPv6 range holds no IPv4 address");
    }

    @Test
    void addressesMatchAddressesAndNetworks() throws Exception {
        assertEquals(uids(PROBE), shown("id.orig_h == 45.33.32.0/24"));
        assertEquals(uids(PING), shown("id.orig_h == fe80::/10"));
        assertEquals(uids(WEB, LOOKUP, PING), shown("!(id.orig_h == 45.33.32.156)"));
        assertEquals(uids(), shown("id.resp_h == 10.0.0.0/32"), "a /32 is one address");
    }

    @Test
    void textIgnoresCaseForNamesButNotForHistoryOrUids() throws Exception {
        assertEquals(uids(WEB, LOOKUP), shown("conn_state == sf"));
        assertEquals(uids(WEB, PROBE), shown("proto == TCP"));
        assertEquals(uids(WEB, PROBE), shown("tcp"));
        assertEquals(uids(LOOKUP), shown("udp"));
        assertEquals(uids(PING), shown("icmp"));
        assertEquals(uids(PROBE), shown("conn_state in {S0 REJ SH}"));
        assertEquals(uids(), shown("history == s"), "history letters: upper case is the originator");
        assertEquals(uids(PROBE), shown("history == S"));
        assertEquals(uids(WEB), shown("history contains \"ShA\""));
        assertEquals(uids(), shown("history contains sha"));
        assertEquals(uids(WEB, LOOKUP), shown("history matches \"^(Sh|D)\""));
        assertEquals(uids(LOOKUP), shown("uid == CdnsBBBB2"));
        assertEquals(uids(), shown("uid == cdnsbbbb2"));
    }

    @Test
    void setsMatchWhenOneElementDoes() throws Exception {
        assertEquals(uids(WEB), shown("service == http"));
        assertEquals(uids(WEB), shown("service == SSL"));
        assertEquals(uids(WEB, LOOKUP), shown("service"));
        assertEquals(uids(PROBE, PING), shown("!service"));
        assertEquals(uids(WEB), shown("service != dns"), "!= holds only where the field is set");
        assertEquals(uids(WEB, PROBE, PING), shown("!(service == dns)"));
        assertEquals(uids(WEB), shown("service matches \"^ht\""));
    }

    @Test
    void unsetValuesFailEveryRelation() throws Exception {
        // PROBE has no duration: conn.log writes '-' for duration, orig_bytes and resp_bytes.
        assertEquals(uids(WEB, LOOKUP, PING), shown("duration"));
        assertEquals(uids(WEB, LOOKUP, PING), shown("orig_bytes >= 0"));
        assertEquals(uids(WEB, LOOKUP), shown("orig_bytes != 0"));
        assertEquals(uids(PROBE), shown("!duration"));
        assertEquals(uids(WEB, LOOKUP, PROBE), shown("history"), "an empty history is unset");
        assertEquals(uids(), shown("vlan"), "no VLAN id");
        assertEquals(uids(), shown("vlan != 5"));
    }

    @Test
    void intervalsInSecondsOrWithUnits() throws Exception {
        assertEquals(uids(WEB), shown("duration > 1"));
        assertEquals(uids(WEB), shown("duration >= 2.5"));
        assertEquals(uids(WEB), shown("duration == 2500ms"));
        assertEquals(uids(LOOKUP, PING), shown("duration <= 1ms"));
        assertEquals(uids(LOOKUP), shown("duration == 0.00042"));
        assertEquals(uids(LOOKUP), shown("duration in {400us..500us}"));
        assertEquals(uids(), shown("duration > 1min"));
    }

    @Test
    void timesAsZeekWritesThemOrAsIsoDates() throws Exception {
        // Equal to the microsecond Zeek prints, so a value copied from the table matches.
        assertEquals(uids(WEB), shown("ts == 1300475167.096535"));
        assertEquals(uids(LOOKUP, PROBE, PING), shown("ts > 1300475167.1"));
        assertEquals(uids(WEB, LOOKUP, PROBE, PING), shown("ts >= 2011-03-18"));
        assertEquals(uids(PROBE, PING), shown("ts >= \"2011-03-18 19:06:11\""));
        assertEquals(uids(PROBE, PING), shown("ts >= 2011-03-18T19:06:11Z"));
        assertEquals(uids(PROBE, PING), shown("ts >= 2011-03-18T20:06:11+01:00"));
        assertEquals(uids(), shown("ts < 2011-03-18T19:06:07"));
    }

    @Test
    void booleansAloneOrCompared() throws Exception {
        assertEquals(uids(WEB, LOOKUP, PING), shown("local_orig"));
        assertEquals(uids(PROBE), shown("local_orig == F"));
        assertEquals(uids(PROBE), shown("not local_orig"));
        assertEquals(uids(LOOKUP, PROBE, PING), shown("local_resp == true"));
    }

    @Test
    void localNetworksAreThoseGiven() throws Exception {
        SessionFilter f = SessionFilter.compile("local_orig", LocalNetworks.of(List.of("45.33.32.0/24")));
        assertEquals(uids(PROBE), ALL.stream().filter(f).map(Session::uid).collect(Collectors.toSet()));
    }

    @Test
    void connectivesBindAsInWireshark() throws Exception {
        // && before ||; ! before both.
        assertEquals(uids(WEB, PROBE), shown("tcp && service || conn_state == S0"));
        assertEquals(uids(WEB, PROBE), shown("tcp and (service or conn_state == S0)"));
        assertEquals(uids(PROBE), shown("tcp && !service"));
        assertEquals(uids(LOOKUP, PING), shown("!tcp"));
        assertEquals(uids(LOOKUP), shown("udp or icmp and tcp"));
        assertEquals(uids(WEB, LOOKUP, PROBE, PING), shown("!!(addr == ::/0 || addr == 0.0.0.0/0)"));
    }

    @Test
    void enrichmentFieldsAndEitherEndNames() throws Exception {
        Session named = new TestSession("10.0.0.5", 51001, "142.250.74.46", 443, Transport.TCP).uid("Cnamed1")
                .state("SF", "ShADadFf");
        named.setRespInfo(EndpointInfo.NONE.withGeo("US", "United States", "Mountain View", 37.4, -122.1)
                .withAs(15169, "GOOGLE").withName("www.google.com", "google.com", "sni"));
        named.addTag("anomaly:beaconing");
        named.setVerdict(new PolicyVerdict(false, "edamame", null));
        named.setPortService("https", List.of("CVE-2014-0160"));
        List<Session> sessions = List.of(named, WEB);
        assertEquals(1, count(sessions, "resp_location.country_code == us"));
        assertEquals(1, count(sessions, "country == US && !orig_location.country_code"));
        assertEquals(1, count(sessions, "resp_as.number == 15169 && asn == 15169"));
        assertEquals(1, count(sessions, "org contains google"));
        assertEquals(1, count(sessions, "domain matches \"\\.google\\.com$\""));
        assertEquals(1, count(sessions, "resp_registered_domain == google.com and resp_name_source == sni"));
        assertEquals(1, count(sessions, "criticality contains beacon"));
        assertEquals(1, count(sessions, "verdict == exception"));
        assertEquals(1, count(sessions, "resp_port_service == https and resp_port_cves == CVE-2014-0160"));
        assertEquals(0, count(sessions, "verdict_rule"));
    }

    private static long count(List<Session> sessions, String expression) throws FilterSyntaxException {
        return sessions.stream().filter(SessionFilter.compile(expression)).count();
    }

    @Test
    void stringsTakeEscapesAndKeepARegularExpressionsBackslashes() throws Exception {
        assertEquals(uids(WEB), shown("history matches \"F\\w$\""));
        assertEquals(uids(), shown("uid == \"Cweb\\\"AAAA1\""));
    }

    @Test
    void errorsSayWhatAndWhere() {
        error("id.resp == 80", 0, "did you mean id.resp_");
        error("ip.addr == 10.0.0.1", 0, "sessions have addr");
        error("id.resp_p == http", 13, "'http' is not a whole number");
        error("id.resp_p ==", 12, "expected a value after '=='");
        error("id.orig_h > 10.0.0.1", 10, "'>' does not apply to id.orig_h (address)");
        error("orig_bytes contains 5", 11, "'contains' does not apply");
        error("id.orig_h == 10.0.0.300", 13, "is not an IP address or network");
        // Not a host name for the resolver: only literals are addresses.
        error("addr == cafe.be", 8, "is not an IP address or network");
        // Not inet_aton's short forms either: 10.1/16 would be 10.0.0.1/16, i.e. 10.0.0.0/16.
        error("addr == 10.1/16", 8, "is not an IP address or network");
        error("addr in {10.0.0.1..10.0.9}", 9, "'10.0.9' is not an IP address");
        error("(tcp || udp", 11, "expected ')' to close the '(' at character 1");
        error("tcp)", 3, "')' without a '(' before it");
        error("tcp udp", 4, "expected '&&', '||' or the end of the filter");
        error("tcp & udp", 4, "'&' alone is not an operator: use '&&'");
        error("history == \"Sh", 11, "no closing quote");
        error("history matches \"(S\"", 16, "not a regular expression");
        error("id.resp_p in 80", 13, "expected '{' after 'in'");
        error("id.resp_p in {80", 16, "the set has no closing '}'");
        error("id.resp_p in {}", 13, "an empty set matches nothing");
        error("id.resp_p in {90..80}", 14, "is empty");
        error("addr in {10.0.0.9..10.0.0.1}", 9, "is empty");
        error("addr in {10.0.0.1..::1}", 9, "mixes IPv4 and IPv6");
        error("addr in {10.0.0.1..router}", 9, "'router' is not an IP address");
        error("duration > fast", 11, "not an interval");
        error("ts > yesterday", 5, "not a time");
        error("local_orig == maybe", 14, "not T or F");
        error("== 80", 0, "expected a field name");
        error("frobnicate", 0, "unknown field 'frobnicate' (fields are conn.log's");
    }

    private static void error(String expression, int start, String reasonPart) {
        FilterSyntaxException e = assertThrows(FilterSyntaxException.class, () -> SessionFilter.compile(expression),
                expression);
        assertTrue(e.reason().contains(reasonPart), expression + " → " + e.reason());
        assertEquals(start, e.start(), expression + " → " + e.getMessage());
        assertTrue(e.getMessage().contains("at character " + (start + 1)), e.getMessage());
        assertFalse(e.end() < e.start());
    }

    @Test
    void theExamplesOfTheReadmeAndTheTooltipCompile() throws Exception {
        for (String example : List.of("id.resp_p == 443 && !service",
                "addr == 10.0.0.0/8 and conn_state in {S0 REJ}", "history contains \"r\" || orig_bytes > 1000000",
                "ts >= \"2011-03-18 19:06\" && duration > 5min", "country == RU || domain contains \"example\"",
                "port in {53 8000..8999}", "addr in {10.0.0.0/8 192.168.1.10..192.168.1.20}",
                "conn_state in {S0 REJ} && !local_resp", "history matches \"^S[^h]\"", "service != dns",
                "!(service == dns)")) {
            SessionFilter.compile(example);
        }
        assertEquals(uids(WEB, LOOKUP, PROBE, PING), shown("ts >= \"2011-03-18 19:06\""));
    }

    @Test
    void aFilterSaysWhichPartsOfTheEnrichmentItReads() throws Exception {
        assertEquals(Set.of(), SessionFilter.compile("tcp && addr == 10.0.0.0/8 && port == 53").reads());
        assertEquals(Set.of(Enrichment.LOCATION, Enrichment.NAMES),
                SessionFilter.compile("country == US || asn == 15169 || resp_domain contains x").reads());
        assertEquals(Set.of(Enrichment.HOST, Enrichment.TAGS, Enrichment.VERDICTS),
                SessionFilter.compile("resp_mac_vendor || criticality || !(verdict == conforming)").reads());
        assertEquals(Set.of(), SessionFilter.ALL.reads());
    }

    @Test
    void fieldsAreListedWithTypes() {
        List<FilterField> fields = SessionFilter.fields();
        List<String> names = fields.stream().map(FilterField::name).toList();
        assertEquals(List.of("ts", "uid", "id.orig_h", "id.orig_p", "id.resp_h", "id.resp_p", "proto", "service",
                "duration", "orig_bytes", "resp_bytes", "conn_state", "local_orig", "local_resp", "missed_bytes",
                "history", "orig_pkts", "orig_ip_bytes", "resp_pkts", "resp_ip_bytes", "tunnel_parents", "ip_proto"),
                names.subList(0, 22), "conn.log's columns first, in its order");
        assertTrue(names.containsAll(List.of("addr", "port", "country", "domain", "community_id", "vlan")), names
                .toString());
        assertEquals("address", fields.get(2).type());
        assertEquals("set of text", fields.get(7).type());
    }
}
