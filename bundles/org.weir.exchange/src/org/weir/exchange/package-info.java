/**
 * Writers that export sessions in the formats other tools read: Zeek's conn.log (TSV) and JSON lines. 0.2 added
 * {@link org.weir.exchange.SessionWriterThread}, which writes them off the pipeline thread.
 */
@org.osgi.annotation.versioning.Version("0.5.0")
package org.weir.exchange;
