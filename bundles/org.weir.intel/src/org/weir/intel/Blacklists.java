package org.weir.intel;

import java.util.List;
import java.util.Optional;

import org.weir.core.IpAddress;

/**
 * IPv4 and IPv6 blacklists (FireHOL netsets/ipsets, EDAMAME's blacklist database, Tor exit lists, custom lists).
 * Lookups return shared immutable lists and allocate nothing, so they may run once per session endpoint.
 */
public interface Blacklists {

    /** Tag prefix for a session endpoint on a list. */
    String TAG_PREFIX = "blacklist:";
    /** Tag for a session endpoint that is a Tor exit node. */
    String TOR_EXIT_TAG = "tor_exit_node";

    /** Names of the lists holding the address, in load order; empty when none. */
    List<String> lists(long hi, long lo);

    /**
     * Session tags for the address: {@code blacklist:<name>} per list and {@code tor_exit_node} once for any
     * Tor exit list; empty when none.
     */
    List<String> tags(long hi, long lo);

    default boolean isListed(long hi, long lo) {
        return !lists(hi, lo).isEmpty();
    }

    default List<String> tags(String address) {
        long[] a = new long[2];
        IpAddress.parse(address, a);
        return tags(a[0], a[1]);
    }

    default List<String> lists(String address) {
        long[] a = new long[2];
        IpAddress.parse(address, a);
        return lists(a[0], a[1]);
    }

    /**
     * Replaces all lists. Every file is read (and its signature checked when a key is given) and parsed
     * before anything changes; any failure keeps the previous lists and names file and line.
     */
    void load(List<BlacklistSource> sources) throws FeedException;

    /** The lists in force. */
    List<ListInfo> loaded();

    /** The last load failure, empty after a successful load. */
    Optional<FeedException> lastError();

    /**
     * One loaded list.
     *
     * @param name     list name
     * @param tag      the tag its matches carry
     * @param entries  entries read (addresses, networks, ranges)
     * @param ranges   disjoint ranges after merging overlaps and neighbours
     * @param source   the file
     */
    record ListInfo(String name, String tag, int entries, int ranges, java.nio.file.Path source) {
    }
}
