/**
 * Whitelist policy: EDAMAME/flodbadd whitelist files (profiles with {@code extends}, endpoints by domain, IP or
 * CIDR, port, protocol, AS number/owner/country and process) and the per-session verdict, computed from a small
 * record of session facts so that it does not depend on how enrichment is wired.
 */
@org.osgi.annotation.versioning.Version("0.1.0")
package org.weir.policy;
