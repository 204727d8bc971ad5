package org.weir.core;

import java.util.List;

/**
 * Session events since the previous batch. The lists and live sessions in {@link #updated()} are only valid
 * during the listener call; {@link #closed()} sessions are final.
 *
 * @param opened sessions created since the last batch (also listed in updated or closed if they changed since)
 * @param updated sessions still open that changed since the last batch
 * @param closed sessions that ended (timeout, eviction, end of input), with their final values
 * @param version the table version after this batch
 */
public record SessionBatch(List<Session> opened, List<Session> updated, List<Session> closed, long version) {
}
