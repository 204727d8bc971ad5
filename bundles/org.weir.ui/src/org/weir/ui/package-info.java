/**
 * Workbench API shared by view bundles: the current capture and its sessions ({@link org.weir.ui.CaptureModel}) and
 * the export of their packets and the data of one ({@link org.weir.ui.SessionPackets}), found in the e4 application context, and the
 * jobs the workbench ends when it closes ({@link org.weir.ui.WorkbenchJob}). Views contribute themselves
 * through model fragments into the part stack {@value org.weir.ui.CaptureModel#MAIN_PART_STACK}.
 */
@org.osgi.annotation.versioning.Version("0.5.0")
package org.weir.ui;
