/**
 * The Extended Isolation Forest (Hariri, Carrasco Kind and Brunner) and what Weir builds on it: the per-session
 * feature vector ({@link org.weir.detect.eif.SessionFeatures}), the streaming session model with warm-up,
 * sliding training window and percentile thresholds ({@link org.weir.detect.eif.SessionAnomalyModel}), and the
 * evaluation of the forest on labelled data sets ({@link org.weir.detect.eif.AnomalyEvaluation}). Plain Java:
 * nothing here needs a framework.
 */
@org.osgi.annotation.versioning.Version("0.2.0")
package org.weir.detect.eif;
