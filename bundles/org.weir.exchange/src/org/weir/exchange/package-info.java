/** Writers that export sessions in the formats other tools read: Zeek's conn.log (TSV) and JSON lines. */
@org.osgi.annotation.versioning.Version("0.1.0")
package org.weir.exchange;
