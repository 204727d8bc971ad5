package org.weir.policy;

import java.nio.file.Path;
import java.security.PublicKey;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.weir.intel.FeedException;

/**
 * A whitelist file in EDAMAME's format with one chosen profile, and the verdict per session. Matching follows
 * flodbadd's documented rules (see the implementation); as in flodbadd, the caller evaluates egress sessions
 * (local originator, remote responder) and leaves sessions already tagged {@code blacklist:*} to the blacklist.
 */
public interface WhitelistPolicy {

    /** Conforming with the rule that matched, or an exception with the reason. Thread-safe. */
    Verdict evaluate(SessionFacts facts);

    /**
     * Loads a whitelist file and selects a profile. The whole file is checked (JSON, field types, addresses,
     * {@code extends} targets and cycles) before it replaces the current policy; on failure the current policy
     * stays and the error names file, line and column.
     *
     * @param publicKey when not {@code null}, the file must carry a valid Ed25519 signature (see
     *                  {@code org.weir.intel.FeedSignature})
     */
    void load(Path file, String profile, PublicKey publicKey) throws FeedException;

    default void load(Path file, String profile) throws FeedException {
        load(file, profile, null);
    }

    /** Selects another profile of the loaded file. */
    void select(String profile);

    /** The selected profile, {@code null} when none is loaded. */
    String profile();

    /** Profiles of the loaded file. */
    Set<String> profiles();

    /** The endpoints of a profile after inheritance: its own first, then each parent's, depth first. */
    List<WhitelistEndpoint> endpoints(String profile);

    /** The last load failure, empty after a successful load. */
    Optional<FeedException> lastError();
}
