/**
 * The detector SPI: what a detection plugin implements ({@link org.weir.detect.Detector}), how it describes itself
 * once for the CLI, reports and workbench ({@link org.weir.detect.DetectorInfo}), and what it produces
 * ({@link org.weir.detect.Alert}). A third-party detector is a bundle with one DS component implementing
 * {@code Detector}; {@link org.weir.detect.ParameterReader} reads its parameters as the types it declares.
 *
 * <p>0.4 added {@link org.weir.detect.AlertSink#warn}, through which a run reports what limited it (a memory bound
 * reached, a parameter value missing). 0.5 added the {@code ports} parameter type
 * ({@link org.weir.detect.ParameterReader#ports}).
 */
@org.osgi.annotation.versioning.Version("0.6.0")
package org.weir.detect;
