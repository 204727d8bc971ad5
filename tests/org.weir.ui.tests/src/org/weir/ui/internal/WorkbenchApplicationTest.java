package org.weir.ui.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/**
 * What the workbench says when GTK cannot be loaded: the library that failed and why, from SWT's message (the
 * messages are SWT 3.13x's on a machine without GTK and with a broken one, their folders in capitals). The product
 * smoke starts the product itself without a reachable display and, where it may, without GTK.
 */
class WorkbenchApplicationTest {

    @Test
    void namesTheMissingDependencyNotSwtsOwnLibrary() {
        String message = "Could not load SWT library. Reasons: \n"
                + "\tINSTALL/configuration/org.eclipse.osgi/68/0/.cp/libswt-pi3-gtk-4974r10.so: libgtk-3.so.0:"
                + " cannot open shared object file: No such file or directory\n"
                + "\tno swt-pi3-gtk in the JVM's library path\n"
                + "\tCan't load library: HOME/.swt/lib/linux/x86_64/libswt-pi3-gtk-4974r10.so";
        assertEquals("libgtk-3.so.0: cannot open shared object file: No such file or directory",
                WorkbenchApplication.firstReason(message));
    }

    @Test
    void aBrokenLibraryIsNamedWithItsPath() {
        String message = "Could not load SWT library. Reasons: \n"
                + "\tCACHE/.cp/libswt-pi3-gtk-4974r10.so: LIBDIR/libgtk-3.so.0: file too short\n"
                + "\tno swt-pi3-gtk in the JVM's library path";
        assertEquals("LIBDIR/libgtk-3.so.0: file too short", WorkbenchApplication.firstReason(message));
    }

    @Test
    void otherwiseTheMessagesFirstLine() {
        assertEquals("no swt-pi3-gtk in the JVM's library path",
                WorkbenchApplication.firstReason("no swt-pi3-gtk in the JVM's library path\nmore"));
        assertEquals("no reason given", WorkbenchApplication.firstReason(null));
    }
}
