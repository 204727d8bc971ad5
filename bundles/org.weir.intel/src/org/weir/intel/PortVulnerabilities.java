package org.weir.intel;

import java.nio.file.Path;
import java.util.List;

/**
 * EDAMAME's port-vulnerability database ({@code lanscan-port-vulns-db.json}): for a responder port, the service
 * name EDAMAME knows it by and the CVEs recorded against that service.
 */
public interface PortVulnerabilities {

    /** A known CVE. */
    record Cve(String id, String description) {
    }

    /**
     * One port of the database.
     *
     * @param protocol as published ({@code tcp}, or {@code http}/{@code https} for web ports)
     */
    record PortInfo(int port, String protocol, String name, String description, List<Cve> cves) {
    }

    /** The entry for a port, {@code null} when the database has none. */
    PortInfo lookup(int port);

    /** Replaces the database. */
    void load(Path file) throws FeedException;

    /** Ports known. */
    int size();

    /** The last load failure, empty after a successful load. */
    java.util.Optional<FeedException> lastError();
}
