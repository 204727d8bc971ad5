package org.weir.cli.internal;

/** Exit codes of the {@code weir} command, stable for scripts and CI gates. */
final class ExitCodes {

    /** Success; for {@code check}: every session conforms. */
    static final int OK = 0;
    /** {@code check}: some sessions are exceptions to the policy. */
    static final int FINDINGS = 1;
    /** Wrong arguments, or input that cannot be used (missing, corrupt, unreadable). */
    static final int BAD_INPUT = 2;
    /** Output could not be written. */
    static final int IO_ERROR = 3;
    /** A defect in Weir (reported in one line); as sysexits' EX_SOFTWARE. */
    static final int INTERNAL_ERROR = 70;
    /** Stopped by Ctrl-C; what was analysed was written. */
    static final int INTERRUPTED = 130;
    /**
     * Standard output's reader went away (as {@code | head} does once it has its lines): stopped without a word, with
     * the status of a process that SIGPIPE ended, as a C tool in its place would end.
     */
    static final int STDOUT_CLOSED = 141;

    private ExitCodes() {
    }
}
