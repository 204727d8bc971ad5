package org.weir.testsupport;

import org.eclipse.core.runtime.preferences.IEclipsePreferences;
import org.eclipse.core.runtime.preferences.InstanceScope;
import org.osgi.service.prefs.BackingStoreException;

/**
 * An instance-scope preference node of a test's own, empty on disk at the start and gone at the end, for code that
 * keeps settings where the workbench keeps them (the instance area's {@code .settings} folder).
 */
public final class ScratchPreferences {

    private ScratchPreferences() {
    }

    /** The node, cleared and written back empty. */
    public static IEclipsePreferences fresh(String name) throws BackingStoreException {
        IEclipsePreferences node = InstanceScope.INSTANCE.getNode(name);
        node.clear();
        node.flush();
        return node;
    }

    /** Removes the node and its file. */
    public static void remove(IEclipsePreferences node) throws BackingStoreException {
        node.removeNode();
        InstanceScope.INSTANCE.getNode("").flush();
    }
}
