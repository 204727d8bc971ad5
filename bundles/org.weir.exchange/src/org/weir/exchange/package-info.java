/**
 * Writers that export sessions in the formats other tools read: Zeek's conn.log (TSV) and JSON lines. 0.2 added
 * {@link org.weir.exchange.SessionWriterThread}, which writes them off the pipeline thread; 0.6 added
 * {@link org.weir.exchange.ZeekValues#loggedMac} and {@link org.weir.exchange.ZeekValues#verdict}, so that views and
 * filters show those values as the logs write them.
 */
@org.osgi.annotation.versioning.Version("0.6.0")
package org.weir.exchange;
