package org.weir.session.internal;

/**
 * What every session of one {@link FlowTable} refers to: the table's Zeek settings and its uid sequence (a uid is
 * made from the session's number by its first reader, possibly after the table is gone). One reference per session
 * instead of two.
 */
record TableContext(ZeekConfig config, Uids uids) {
}
