package org.weir.cli.internal;

import java.util.List;

/** One sub-command of {@code weir}. */
interface Command {

    String name();

    /** One line for the command list. */
    String summary();

    String usage();

    /** Runs the command; returns the exit code. Problems the user can fix are reported on the console, not thrown. */
    int run(List<String> args, Console console) throws UsageException;
}
