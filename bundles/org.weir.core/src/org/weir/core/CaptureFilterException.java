package org.weir.core;

/**
 * A capture filter cannot be used: the expression does not compile for the captures' link type, or no filter
 * compiler can run here. The message names the expression and says why.
 */
public class CaptureFilterException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    public CaptureFilterException(String message, Throwable cause) {
        super(message, cause);
    }
}
