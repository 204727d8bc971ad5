/**
 * Triage of findings: dismiss sessions and alerts (by session uid, by port, by process) and acknowledge alerts,
 * persistently. Matching marks items as dismissed; nothing is deleted, and undismissing brings them back.
 */
@org.osgi.annotation.versioning.Version("0.1.0")
package org.weir.triage;
