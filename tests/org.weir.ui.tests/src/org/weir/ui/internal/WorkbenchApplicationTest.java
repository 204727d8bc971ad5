package org.weir.ui.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/**
 * What the workbench says when GTK cannot be loaded: the library that failed and why, from SWT's message (the
 * messages are SWT 3.13x's on a machine without GTK and with a broken one). The product smoke starts the product
 * itself without a reachable display and, where it may, without GTK.
 */
class WorkbenchApplicationTest {

    @Test
    void namesTheMissingDependencyNotSwtsOwnLibrary() {
        String message = "Could not load SWT library. Reasons: \n"
                + "\t/opt/weir/configuration/org.eclipse.osgi/68/0/.cp/libswt-pi3-gtk-4974r10.so: libgtk-3.so.0:"
                + " cannot open shared object file: No such file or directory\n"
                + "\tno swt-pi3-gtk in java.library.path: /usr/java/packages/lib:/usr/lib64:/lib64:/lib:/usr/lib\n"
                + "\tCan't load library: /root/.swt/lib/linux/x86_64/libswt-pi3-gtk-4974r10.so";
        assertEquals("libgtk-3.so.0: cannot open shared object file: No such file or directory",
                WorkbenchApplication.firstReason(message));
    }

    @Test
    void aBrokenLibraryIsNamedWithItsPath() {
        String message = "Could not load SWT library. Reasons: \n"
                + "\t/tmp/x/.cp/libswt-pi3-gtk-4974r10.so: /lib/x86_64-linux-gnu/libgtk-3.so.0: file too short\n"
                + "\tno swt-pi3-gtk in java.library.path: /usr/lib";
        assertEquals("/lib/x86_64-linux-gnu/libgtk-3.so.0: file too short", WorkbenchApplication.firstReason(message));
    }

    @Test
    void otherwiseTheMessagesFirstLine() {
        assertEquals("no swt-pi3-gtk in java.library.path: /usr/lib",
                WorkbenchApplication.firstReason("no swt-pi3-gtk in java.library.path: /usr/lib\nmore"));
        assertEquals("no reason given", WorkbenchApplication.firstReason(null));
    }
}
