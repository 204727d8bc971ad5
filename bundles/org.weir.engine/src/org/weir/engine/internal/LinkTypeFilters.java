package org.weir.engine.internal;

import java.util.HashMap;
import java.util.Map;

import org.weir.core.CaptureFilter;
import org.weir.core.CaptureFilterCompiler;
import org.weir.core.CaptureFilterException;
import org.weir.core.LinkTypes;
import org.weir.core.PacketView;

/**
 * One capture filter expression, compiled for each link type that frames come with (a pcapng file may hold several)
 * when the first frame of that type arrives. Frames of the same type as the one before cost one comparison more
 * than the filter itself.
 */
final class LinkTypeFilters {

    private final String expression;
    private final CaptureFilterCompiler compiler;
    private final Map<Integer, CaptureFilter> compiled = new HashMap<>();
    private int lastLinkType = Integer.MIN_VALUE;
    private CaptureFilter last;

    /**
     * Compiles the expression for {@code firstLinkType} at once, so that a wrong expression is reported before any
     * frame is read.
     *
     * @throws CaptureFilterException when the expression does not compile for that link type, or cannot be compiled
     *     here at all
     */
    LinkTypeFilters(String expression, CaptureFilterCompiler compiler, int firstLinkType) {
        this.expression = expression;
        this.compiler = compiler;
        filterFor(firstLinkType);
    }

    /**
     * @throws NotApplicable when the expression does not compile for the frame's link type
     */
    boolean accepts(PacketView frame) {
        if (frame.linkType != lastLinkType) {
            try {
                filterFor(frame.linkType);
            } catch (CaptureFilterException e) {
                throw new NotApplicable(e.getMessage());
            }
        }
        return last.accepts(frame);
    }

    private void filterFor(int linkType) {
        CaptureFilter filter = compiled.get(linkType);
        if (filter == null) {
            try {
                filter = compiler.compile(expression, linkType);
            } catch (IllegalArgumentException e) {
                throw new CaptureFilterException("capture filter '" + expression + "' (for "
                        + LinkTypes.name(linkType) + " frames): " + e.getMessage(), e);
            } catch (IllegalStateException e) {
                throw new CaptureFilterException("capture filter '" + expression + "': " + e.getMessage(), e);
            }
            compiled.put(linkType, filter);
        }
        last = filter;
        lastLinkType = linkType;
    }

    /** The expression does not compile for the link type of a frame met while reading. */
    static final class NotApplicable extends RuntimeException {
        private static final long serialVersionUID = 1L;

        NotApplicable(String message) {
            super(message, null, false, false);
        }
    }
}
