/**
 * Display filters over sessions, as Wireshark's display filter bar works over packets: an expression such as
 * {@code id.resp_p == 443 && !service} or {@code addr == 10.0.0.0/8 and conn_state in {S0 REJ}}, whose fields are
 * conn.log's columns (Zeek's names, Zeek's unset values) and a few that ask either end. {@link
 * org.weir.filter.SessionFilter#compile} turns the text into a predicate, or says what is wrong and where.
 */
@org.osgi.annotation.versioning.Version("0.1.0")
package org.weir.filter;
