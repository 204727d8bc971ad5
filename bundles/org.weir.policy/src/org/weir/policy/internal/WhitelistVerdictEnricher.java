package org.weir.policy.internal;

import java.io.UncheckedIOException;
import java.security.PublicKey;
import java.util.List;
import java.util.Set;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.weir.core.AnalysisOptions;
import org.weir.core.EndpointInfo;
import org.weir.core.Enricher;
import org.weir.core.Enrichment;
import org.weir.core.IntelOptions;
import org.weir.core.LocalNetworks;
import org.weir.core.PolicyVerdict;
import org.weir.core.Session;
import org.weir.core.SessionBatch;
import org.weir.intel.Blacklists;
import org.weir.intel.FeedException;
import org.weir.intel.FeedSignature;
import org.weir.policy.SessionFacts;
import org.weir.policy.Verdict;
import org.weir.policy.WhitelistPolicy;

/**
 * The whitelist verdict enricher (order 30, after names and address intelligence, whose domain and AS it uses).
 * When a whitelist applies — one named in the analysis options ({@link IntelOptions#whitelist()}), else the
 * {@link WhitelistPolicy} service when configured — every egress session (local originator, remote responder, as
 * {@link IntelOptions#localNetworks()} says) gets a {@link PolicyVerdict} with the rule that matched, or the reason
 * it is an exception, when it closes (multicast and broadcast responders are not egress). As in flodbadd, sessions already tagged {@code blacklist:*} are left to the
 * blacklist and get no verdict; sessions that are not egress get none either.
 */
@Component(service = Enricher.class)
public final class WhitelistVerdictEnricher implements Enricher {

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile WhitelistPolicy configured;

    public WhitelistVerdictEnricher() {
    }

    /** Outside a framework: a configured policy, or null. */
    public WhitelistVerdictEnricher(WhitelistPolicy configured) {
        this.configured = configured;
    }

    @Override
    public String id() {
        return "whitelist";
    }

    @Override
    public int order() {
        return 30;
    }

    @Override
    public Set<Enrichment> produces() {
        return Set.of(Enrichment.VERDICTS);
    }

    /** A whitelist names domains, networks, countries and AS owners: the names and locations come first. */
    @Override
    public Set<Enrichment> reads() {
        return Set.of(Enrichment.NAMES, Enrichment.LOCATION);
    }

    @Override
    public Run start() {
        return start(AnalysisOptions.defaults());
    }

    /**
     * @throws UncheckedIOException (a {@link FeedException}) when the named whitelist cannot be used: unreadable,
     *     malformed (file, line, column), badly signed, or without the named profile
     */
    @Override
    public Run start(AnalysisOptions options) {
        IntelOptions o = options.intel();
        WhitelistPolicy policy = policy(o);
        return policy == null ? null : new VerdictRun(policy, o.localNetworks());
    }

    /** The policy an analysis with these options uses, null for none. */
    public WhitelistPolicy policy(IntelOptions o) {
        if (o.whitelist() != null) {
            try {
                PublicKey key = o.feedKey() == null ? null : FeedSignature.publicKey(o.feedKey());
                return load(o.whitelist(), o.profile(), key);
            } catch (FeedException e) {
                throw new UncheckedIOException(e);
            }
        }
        WhitelistPolicy c = configured;
        return c != null && c.profile() != null ? c : null;
    }

    /** Loads a whitelist; without a profile name, the first profile of the file. */
    public static WhitelistPolicy load(java.nio.file.Path file, String profile, PublicKey key) throws FeedException {
        WhitelistService own = new WhitelistService();
        if (profile == null || profile.isBlank()) {
            WhitelistFile wf = WhitelistFile.parse(file, FeedSignature.readVerified(file, key));
            if (wf.resolved.isEmpty()) {
                throw new FeedException(file, "the file holds no whitelist");
            }
            profile = wf.resolved.keySet().iterator().next();
        }
        own.load(file, profile, key);
        return own;
    }

    /** One analysis: a verdict per egress session when it closes. */
    static final class VerdictRun implements Run {
        private final WhitelistPolicy policy;
        private final LocalNetworks local;

        VerdictRun(WhitelistPolicy policy, LocalNetworks local) {
            this.policy = policy;
            this.local = local;
        }

        @Override
        public void onSessions(SessionBatch batch) {
            judge(batch.closed());
        }

        private void judge(List<Session> sessions) {
            for (Session s : sessions) {
                if (!isEgress(s, local)) {
                    continue;
                }
                if (s.criticality().contains(Blacklists.TAG_PREFIX)) {
                    continue;
                }
                Verdict v = policy.evaluate(facts(s));
                String rule = v.conforming() ? v.rule().toString() + " (line " + v.rule().line() + ")" : v.reason();
                s.setVerdict(new PolicyVerdict(v.conforming(), v.profile(), rule));
            }
        }

        /**
         * Local originator, remote responder; multicast and broadcast responders (mDNS, SSDP, ...) stay on the
         * link and are not egress.
         */
        static boolean isEgress(Session s, LocalNetworks local) {
            long hi = s.respHi(), lo = s.respLo();
            if (org.weir.core.IpAddress.isV4(hi, lo)) {
                int v4 = (int) lo;
                if ((v4 >>> 28) == 0xE || v4 == -1) {
                    return false;
                }
            } else if ((hi >>> 56) == 0xFF) {
                return false;
            }
            return local.isLocal(s.origHi(), s.origLo()) && !local.isLocal(hi, lo);
        }

        static SessionFacts facts(Session s) {
            EndpointInfo r = s.respInfo();
            String protocol =
                    s.transport() == null ? null : s.transport().zeekName().toUpperCase(java.util.Locale.ROOT);
            return new SessionFacts(r.domain(), true, s.respHi(), s.respLo(), s.respPort(), protocol, r.asNumber(),
                    r.countryCode(), r.asOwner(), s.origInfo().process());
        }
    }
}
