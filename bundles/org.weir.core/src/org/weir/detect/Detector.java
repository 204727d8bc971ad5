package org.weir.detect;

import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

import org.weir.core.Enrichment;

/**
 * A detection plugin, registered as a DS service. The engine describes it from {@link #info()} and, for each
 * analysis or live capture, calls {@link #start(Map, AlertSink)} to get a fresh {@link DetectorRun} holding that
 * run's state. Detectors may come and go while the pipeline runs.
 */
public interface Detector {

    DetectorInfo info();

    /**
     * The parts of the enrichers' work that this detector's runs read from sessions (their tags, names, locations,
     * ...): an analysis computes those for it. The default, all of them, suits a detector that does not say; the
     * parts are taken from the detectors present when an analysis starts.
     */
    default Set<Enrichment> reads() {
        return EnumSet.allOf(Enrichment.class);
    }

    /**
     * Starts one run.
     *
     * @param parameters values by parameter name, already validated against {@link DetectorInfo#parameters()}
     *     and completed with defaults; {@link ParameterReader} reads them as their declared types
     * @param sink where alerts go; may be called from any of the run's callbacks
     * @throws IllegalArgumentException when a value is valid for its type but not one this detector can use (out of
     *     range, say); its message, which should name the parameter and the value, is reported to the user: as bad
     *     input that stops the analysis before it starts when the user set a value of this detector, else as a
     *     warning, and the analysis goes on without this detector
     */
    DetectorRun start(Map<String, String> parameters, AlertSink sink);
}
