package org.weir.cli.internal;

/** The command line is wrong; the message says how, and the command's synopsis is shown. */
final class UsageException extends Exception {

    private static final long serialVersionUID = 1L;

    private final String unknownOption;

    UsageException(String message) {
        this(message, null);
    }

    private UsageException(String message, String unknownOption) {
        super(message);
        this.unknownOption = unknownOption;
    }

    /** An option the command does not have (the usage may know what was meant). */
    static UsageException unknownOption(String option) {
        return new UsageException("unknown option " + option, option);
    }

    /** The option the command does not have, or null for other mistakes. */
    String unknownOption() {
        return unknownOption;
    }
}
