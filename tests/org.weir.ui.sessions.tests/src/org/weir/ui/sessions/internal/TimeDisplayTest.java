package org.weir.ui.sessions.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.ZoneId;

import org.junit.jupiter.api.Test;
import org.weir.core.Session;
import org.weir.core.Transport;
import org.weir.testsupport.TestSession;

/** The ts column's time displays: Zeek's seconds, dates in UTC and in a zone, seconds since the first session. */
class TimeDisplayTest {

    private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");

    @Test
    void eachDisplayShowsTheSameInstantToTheMicrosecond() {
        long t = 1_300_475_167_096_535_123L;
        long origin = 1_300_475_160_000_000_000L;
        assertEquals("1300475167.096535", TimeDisplay.ZEEK.format(t, origin, BERLIN));
        assertEquals("2011-03-18 19:06:07.096535", TimeDisplay.UTC.format(t, origin, BERLIN));
        assertEquals("2011-03-18 20:06:07.096535", TimeDisplay.LOCAL.format(t, origin, BERLIN), "CET in March");
        assertEquals("7.096535", TimeDisplay.RELATIVE.format(t, origin, BERLIN));
        // Rounded as Zeek rounds, also across a second.
        long late = 1_300_475_167_999_999_600L;
        assertEquals("1300475168.000000", TimeDisplay.ZEEK.format(late, origin, BERLIN));
        assertEquals("2011-03-18 19:06:08.000000", TimeDisplay.UTC.format(late, origin, BERLIN));
        assertEquals("0.000000", TimeDisplay.RELATIVE.format(origin, origin, BERLIN));
    }

    @Test
    void aSavedNameThatIsNoDisplayFallsBackToZeeks() {
        assertEquals(TimeDisplay.UTC, TimeDisplay.named("UTC"));
        assertEquals(TimeDisplay.ZEEK, TimeDisplay.named(null));
        assertEquals(TimeDisplay.ZEEK, TimeDisplay.named("SOLAR"));
    }

    @Test
    void relativeTimesCountFromTheEarliestSessionWhateverTheRowOrder() {
        Session late = new TestSession("10.0.0.1", 1000, "10.0.0.2", 80, Transport.TCP).uid("Clate")
                .at(1_300_475_170_500_000_000L, 0);
        Session early = new TestSession("10.0.0.1", 1001, "10.0.0.2", 80, Transport.TCP).uid("Cearly")
                .at(1_300_475_167_000_000_000L, 0);
        SessionsDataProvider data = new SessionsDataProvider();
        Session[] rows = {late, early};
        data.setRows(rows, rows, null);
        int ts = SessionColumn.TS.ordinal();
        assertEquals("1300475170.500000", data.getDataValue(ts, 0), "Zeek's seconds by default");
        data.setTimeDisplay(TimeDisplay.RELATIVE);
        assertEquals("3.500000", data.getDataValue(ts, 0));
        assertEquals("0.000000", data.getDataValue(ts, 1));
        assertEquals("Clate", data.getDataValue(SessionColumn.UID.ordinal(), 0), "other columns unchanged");
    }

    @Test
    void relativeTimesCountFromTheCapturesFirstSessionWhenAFilterHidesIt() {
        Session late = new TestSession("10.0.0.1", 1000, "10.0.0.2", 80, Transport.TCP).at(1_300_475_170_500_000_000L,
                0);
        Session early = new TestSession("10.0.0.1", 1001, "10.0.0.2", 80, Transport.TCP)
                .at(1_300_475_167_000_000_000L, 0);
        SessionsDataProvider data = new SessionsDataProvider();
        data.setTimeDisplay(TimeDisplay.RELATIVE);
        data.setRows(new Session[] {late}, new Session[] {late, early}, new int[] {0}); // a filter hides the second
        assertEquals("3.500000", data.getDataValue(SessionColumn.TS.ordinal(), 0), "as Wireshark's relative times");
    }
}
