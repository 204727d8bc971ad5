/**
 * Weir's model (packet view, session, alert) and the service interfaces that the bundles implement.
 * Nothing here depends on anything but the JDK.
 */
@org.osgi.annotation.versioning.Version("0.13.0")
package org.weir.core;
