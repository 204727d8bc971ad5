package org.weir.ui.sessions.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.weir.core.Session;
import org.weir.core.Transport;
import org.weir.testsupport.TestSession;

/** The tool tip over conn_state and history: Zeek's codes spelled out. */
class CellExplanationTest {

    @Test
    void everyLetterOfAHistoryInOrderWithItsSide() {
        assertEquals("""
                history, in the order first seen (upper case: originator):
                S  originator: a SYN without ACK
                h  responder: a SYN-ACK (handshake)
                A  originator: a pure ACK
                D  originator: a packet with payload (data)
                a  responder: a pure ACK
                d  responder: a packet with payload (data)
                F  originator: a FIN
                f  responder: a FIN""", CellExplanation.history("ShADadFf"));
    }

    @Test
    void repeatedLettersCountAsZeekWritesThem() {
        String explained = CellExplanation.history("ShADTadtTTFfR^Xq");
        assertEquals("""
                history, in the order first seen (upper case: originator):
                S  originator: a SYN without ACK
                h  responder: a SYN-ACK (handshake)
                A  originator: a pure ACK
                D  originator: a packet with payload (data)
                T  originator: a retransmission of payload
                a  responder: a pure ACK
                d  responder: a packet with payload (data)
                t  responder: a retransmission of payload
                T  originator: a retransmission of payload, at least 10 of them
                T  originator: a retransmission of payload, at least 100 of them
                F  originator: a FIN
                f  responder: a FIN
                R  originator: a RST
                ^  Zeek's heuristics flipped originator and responder
                X  originator: the analysis is partial: a limit was reached
                q  responder: a packet with SYN and FIN or RST together""", explained);
        assertEquals("history, in the order first seen (upper case: originator):\nS  originator: a SYN without ACK"
                + "\nS  originator: a SYN without ACK, again (another sequence number)", CellExplanation.history("SS"));
    }

    @Test
    void everyColumnSaysWhatItMeans() {
        for (SessionColumn c : SessionColumn.ALL) {
            String text = CellExplanation.ofColumn(c);
            assertTrue(text.startsWith(c.title + ": ") && text.length() > c.title.length() + 10, text);
        }
        assertEquals("orig_bytes: payload bytes the originator sent (for TCP from sequence numbers, so "
                + "retransmissions count once and gaps count too)", CellExplanation.ofColumn(SessionColumn.ORIG_BYTES));
    }

    @Test
    void statesAreSpelledOutAndOtherColumnsExplainNothing() {
        Session s = new TestSession("10.0.0.1", 40000, "192.0.2.1", 80, Transport.TCP).state("RSTOS0", "SR");
        assertEquals("RSTOS0: the originator sent a SYN, then a RST; no SYN-ACK was seen",
                CellExplanation.of(SessionColumn.CONN_STATE, s));
        assertEquals("history, in the order first seen (upper case: originator):\nS  originator: a SYN without ACK"
                + "\nR  originator: a RST", CellExplanation.of(SessionColumn.HISTORY, s));
        assertNull(CellExplanation.of(SessionColumn.UID, s));
        assertNull(CellExplanation.state("XYZ"));
        assertNull(CellExplanation.history(""));
    }
}
