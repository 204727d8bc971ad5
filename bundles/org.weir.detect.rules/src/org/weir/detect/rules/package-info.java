/**
 * Rule detectors' shared API: the per-session anomaly score that combines the rule detectors' tags
 * ({@link org.weir.detect.rules.RuleScore}). The detectors themselves are DS components in the internal package.
 */
@org.osgi.annotation.versioning.Version("0.1.0")
package org.weir.detect.rules;
