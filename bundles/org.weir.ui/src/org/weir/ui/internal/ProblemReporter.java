package org.weir.ui.internal;

/** Where an analysis tells the user, beyond the status line, that something went wrong. */
public interface ProblemReporter {

    /** Nothing of the capture is shown: it could not be read or analysed. */
    void failed(String message);

    /** Only part of the capture is shown: the analysis stopped early, and what it saw is on screen. */
    void partial(String message);
}
