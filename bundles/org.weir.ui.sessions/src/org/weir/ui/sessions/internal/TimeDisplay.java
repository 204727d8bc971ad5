package org.weir.ui.sessions.internal;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

import org.weir.exchange.ZeekValues;

/**
 * How the ts column shows when a session began, as Wireshark's time display formats do: Zeek's seconds since 1970
 * (what conn.log holds, the default), a date and time in UTC or in this computer's time zone, or seconds since the
 * capture's first session. Always to the microsecond, rounded as Zeek rounds; sorting goes by the time itself.
 */
enum TimeDisplay {
    ZEEK("Seconds since 1970, as Zeek logs them"),
    UTC("Date and time, UTC"),
    LOCAL("Date and time, this computer's time zone"),
    RELATIVE("Seconds since the first session");

    private static final DateTimeFormatter DATE_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS");

    final String label;

    TimeDisplay(String label) {
        this.label = label;
    }

    /**
     * @param nanos the session's start
     * @param originNanos the capture's first session's start (for {@link #RELATIVE})
     * @param local the time zone of {@link #LOCAL}
     */
    String format(long nanos, long originNanos, ZoneId local) {
        return switch (this) {
            case ZEEK -> ZeekValues.seconds(nanos);
            case RELATIVE -> ZeekValues.seconds(nanos - originNanos);
            case UTC -> DATE_TIME.format(instant(nanos).atZone(ZoneId.of("UTC")));
            case LOCAL -> DATE_TIME.format(instant(nanos).atZone(local));
        };
    }

    /** The instant rounded to the microsecond, as {@link ZeekValues#seconds} rounds. */
    private static Instant instant(long nanos) {
        long micros = Math.floorDiv(nanos + 500, 1000);
        return Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000), Math.floorMod(micros, 1_000_000) * 1000);
    }

    /** The display named {@code name}, or Zeek's for an unknown or missing name (a state saved by another version). */
    static TimeDisplay named(String name) {
        for (TimeDisplay d : values()) {
            if (d.name().equals(name)) {
                return d;
            }
        }
        return ZEEK;
    }
}
