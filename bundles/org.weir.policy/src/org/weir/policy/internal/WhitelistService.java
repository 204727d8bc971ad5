package org.weir.policy.internal;

import java.nio.file.Path;
import java.security.PublicKey;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Modified;
import org.weir.core.IpAddress;
import org.weir.intel.FeedException;
import org.weir.intel.FeedHolder;
import org.weir.intel.FeedSignature;
import org.weir.policy.SessionFacts;
import org.weir.policy.Verdict;
import org.weir.policy.WhitelistEndpoint;
import org.weir.policy.WhitelistPolicy;

/**
 * {@link WhitelistPolicy} over an EDAMAME whitelist file. Configuration (PID {@code org.weir.policy.whitelist}):
 * {@code file}, {@code profile}, and {@code publicKey} (base64 Ed25519; when set the file must be signed).
 */
@Component(service = WhitelistPolicy.class, configurationPid = "org.weir.policy.whitelist",
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
public final class WhitelistService implements WhitelistPolicy {

    /** Component configuration. */
    public @interface Config {
        String file() default "";

        String profile() default "";

        String publicKey() default "";
    }

    /** A loaded file and the chosen profile, swapped as one. */
    private record State(WhitelistFile file, String profile) {
    }

    private final FeedHolder<State> state = new FeedHolder<>(new State(null, null));

    @Activate
    @Modified
    void configure(Config config) {
        if (config.file().isBlank()) {
            return;
        }
        try {
            PublicKey key = config.publicKey().isBlank() ? null : FeedSignature.publicKey(config.publicKey());
            load(Path.of(config.file()), config.profile(), key);
        } catch (FeedException | IllegalArgumentException e) {
            // kept in lastError() for feed errors; the previous policy stays in force
        }
    }

    @Override
    public void load(Path file, String profile, PublicKey publicKey) throws FeedException {
        state.reload(() -> {
            WhitelistFile wf = WhitelistFile.parse(file, FeedSignature.readVerified(file, publicKey));
            if (!wf.resolved.containsKey(profile)) {
                throw new FeedException(file, "no whitelist named \"" + profile + "\" (the file has "
                        + String.join(", ", wf.resolved.keySet()) + ")");
            }
            return new State(wf, profile);
        });
    }

    @Override
    public void select(String profile) {
        State s = state.get();
        if (s.file() == null || !s.file().resolved.containsKey(profile)) {
            throw new IllegalArgumentException("no whitelist named \"" + profile + "\" is loaded");
        }
        state.set(new State(s.file(), profile));
    }

    @Override
    public String profile() {
        return state.get().profile();
    }

    @Override
    public Set<String> profiles() {
        State s = state.get();
        return s.file() == null ? Set.of() : s.file().resolved.keySet();
    }

    @Override
    public List<WhitelistEndpoint> endpoints(String profile) {
        State s = state.get();
        List<CompiledEndpoint> eps = s.file() == null ? null : s.file().resolved.get(profile);
        if (eps == null) {
            throw new IllegalArgumentException("no whitelist named \"" + profile + "\" is loaded");
        }
        return eps.stream().map(e -> e.rule).toList();
    }

    @Override
    public Optional<FeedException> lastError() {
        return state.lastError();
    }

    @Override
    public Verdict evaluate(SessionFacts facts) {
        State s = state.get();
        if (s.file() == null) {
            return new Verdict(false, null, null, "No whitelist loaded");
        }
        List<CompiledEndpoint> endpoints = s.file().resolved.get(s.profile());
        if (endpoints.isEmpty()) {
            return new Verdict(false, s.profile(), null, "Whitelist '" + s.profile() + "' contains no endpoints");
        }
        for (CompiledEndpoint e : endpoints) {
            if (e.matches(facts)) {
                return new Verdict(true, s.profile(), e.rule, null);
            }
        }
        return new Verdict(false, s.profile(), null, "No matching endpoint found in whitelist '" + s.profile()
                + "' for domain: " + opt(facts.domain()) + ", ip: "
                + opt(facts.hasAddress() ? IpAddress.toString(facts.addressHi(), facts.addressLo()) : null)
                + ", port: " + facts.port() + ", protocol: " + facts.protocol() + ", ASN: "
                + (facts.asNumber() < 0 ? "None" : "Some(" + facts.asNumber() + ")") + ", country: "
                + opt(facts.asCountry()) + ", owner: " + opt(facts.asOwner()) + ", process: " + opt(facts.process()));
    }

    /** Rust's Debug of an Option<&str>, as flodbadd prints its reasons. */
    private static String opt(String v) {
        return v == null ? "None" : "Some(\"" + v + "\")";
    }
}
