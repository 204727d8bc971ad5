package org.weir.session.internal;

/**
 * A message does not parse as a Zeek analyzer's grammar wants it (binpac's exception, a Spicy parse error): the
 * analyzer's violation. Thrown without a stack trace, from one instance, on paths that read whole messages.
 */
final class Malformed extends RuntimeException {

    private static final long serialVersionUID = 1L;

    static final Malformed INSTANCE = new Malformed();

    private Malformed() {
        super(null, null, false, false);
    }
}
