package org.weir.ui.internal;

import org.eclipse.e4.core.di.annotations.Execute;
import org.eclipse.jface.dialogs.MessageDialog;
import org.eclipse.swt.widgets.Shell;
import org.osgi.framework.FrameworkUtil;

import jakarta.inject.Named;

/** Help › About Weir: the version and the attribution the data Weir shows requires. */
public final class AboutHandler {

    @Execute
    public void execute(@Named("activeShell") Shell shell) {
        MessageDialog.openInformation(shell, "About Weir",
                text(String.valueOf(FrameworkUtil.getBundle(AboutHandler.class).getVersion())));
    }

    /** The dialog's text; the attributions are required by the licences of the data Weir installs and uses. */
    static String text(String version) {
        return "Weir " + version + "\n"
                + "Network traffic analysis: sessions reconstructed as Zeek does, enriched, judged and shown.\n\n"
                + "Built on Eclipse Equinox, Eclipse RCP (e4, SWT, JFace), Eclipse NatTable, Apache Felix SCR, "
                + "Jackson and MaxMind GeoIP2.\n\n"
                + "Data:\n"
                + "- IP Geolocation by DB-IP (https://db-ip.com): DB-IP City Lite and IP to ASN Lite, licensed "
                + "under CC BY 4.0.\n"
                + "- AS data by DB-IP, RouteViews and the regional Internet registries, packaged by ip-location-db "
                + "(https://github.com/sapics/ip-location-db), CC BY 4.0.\n"
                + "- Public Suffix List (https://publicsuffix.org), Mozilla Public License 2.0.\n"
                + "- MaxMind GeoLite2/GeoIP2 databases you add remain under MaxMind's licence.";
    }
}
