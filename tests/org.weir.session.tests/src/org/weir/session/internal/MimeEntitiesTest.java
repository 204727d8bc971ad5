package org.weir.session.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

/** Zeek's MIME limits as its parser reaches them: a header's size, the nesting of parts and enclosed messages. */
class MimeEntitiesTest {

    /** Feeds a message's lines (CRLF-separated) to a mail's MIME parser; whether a limit was reached. */
    private static boolean mail(String message) {
        MimeEntities m = new MimeEntities(false);
        m.begin(false);
        boolean limit = false;
        for (String line : message.split("\r\n", -1)) {
            byte[] b = line.getBytes(StandardCharsets.ISO_8859_1);
            limit |= m.line(b, 0, b.length, b.length);
        }
        return limit;
    }

    /**
     * Multipart entities at depths 0 to {@code levels - 1}, each holding the next as its one part; the last holds a
     * text part. The boundaries have one width, so that none begins with another (Zeek compares a line's start).
     */
    static String nestedMultiparts(int levels) {
        StringBuilder s = new StringBuilder();
        for (int k = 0; k < levels; k++) {
            String b = boundary(k);
            s.append("Content-Type: multipart/mixed; boundary=\"").append(b).append("\"\r\n\r\n")
                    .append("preamble\r\n--").append(b).append("\r\n");
        }
        s.append("Content-Type: text/plain\r\n\r\ndeepest\r\n");
        for (int k = levels - 1; k >= 0; k--) {
            s.append("--").append(boundary(k)).append("--\r\n");
        }
        return s.toString();
    }

    private static String boundary(int k) {
        return String.format("b%03d", k);
    }

    @Test
    void aPartDeeperThanMaxDepthIsAWeird() {
        // The message is depth 0: 100 multipart levels put the text part at depth 100, which is allowed; one more
        // level asks the entity at depth 100 for a child.
        assertFalse(mail(nestedMultiparts(MimeEntities.MAX_DEPTH)));
        assertTrue(mail(nestedMultiparts(MimeEntities.MAX_DEPTH + 1)));
        // An enclosed message is a child too, begun with its parent's body.
        String messages = "Content-Type: message/rfc822\r\n\r\n".repeat(MimeEntities.MAX_DEPTH)
                + "Subject: x\r\n\r\nhi";
        assertFalse(mail(messages));
        assertTrue(mail("Content-Type: message/rfc822\r\n\r\n" + messages));
    }

    @Test
    void boundariesAsZeekMatchesThem() {
        // A boundary line ends every part below the multipart whose boundary it is: a second part nests from depth
        // 1 again. After the closing boundary nothing begins.
        String deepest = nestedMultiparts(MimeEntities.MAX_DEPTH - 1);
        deepest = deepest.substring(0, deepest.indexOf("deepest\r\n"));
        String outer = "Content-Type: multipart/mixed; boundary=outer\r\n\r\n--outer\r\n";
        assertFalse(mail(outer + deepest + "--outer\r\n" + deepest + "--outer--\r\n"));
        assertFalse(mail(outer + "--outer--\r\n--outer\r\n" + nestedMultiparts(MimeEntities.MAX_DEPTH + 1)));
        // Only the start of a line is compared: "--b0xyz" is b0's boundary. Comments, blanks, and a quoted value
        // with a quoted pair.
        String deep = nestedMultiparts(MimeEntities.MAX_DEPTH + 1).replace("--b100\r\n", "--b100xyz\r\n");
        assertTrue(mail(deep));
        String quoted = nestedMultiparts(MimeEntities.MAX_DEPTH + 1)
                .replace("multipart/mixed; boundary=\"b100\"", "multipart (a (nested) comment) / mixed ;"
                        + " charset=us-ascii; boundary=\"b\\100\"");
        assertTrue(mail(quoted));
        // A multipart without a boundary is opaque data, so nothing in it nests.
        String noBoundary = nestedMultiparts(MimeEntities.MAX_DEPTH + 1).replace("boundary=\"b100\"", "charset=x");
        assertFalse(mail(noBoundary));
        // Other types do not nest either.
        assertFalse(mail(nestedMultiparts(MimeEntities.MAX_DEPTH + 1).replace("multipart/mixed; boundary=\"b100\"",
                "text/plain; boundary=\"b100\"")));
    }

    @Test
    void aFoldedLineAtTheHeaderLimitIsAWeird() {
        // The check comes before a folded line is added: 22 + 32,757 x 2 bytes land on 65,536, and the next folded
        // line is refused.
        String header = "Subject: CVE-CANDIDATE\r\n" + " x\r\n".repeat(32_757);
        assertFalse(mail(header + "\r\nbody"));
        assertTrue(mail(header + " x\r\n\r\nbody"));
        // A header that passes the limit with its last line is not refused: the weird needs a further line.
        String over = "Subject: " + "y".repeat(65_521) + "\r\n" + " zzzzzzzzz\r\n"; // 65,530, then 65,540
        assertFalse(mail(over + "\r\nbody"));
        assertTrue(mail(over + " z\r\n\r\nbody"));
        // Each header is measured alone, and a part's header like the message's.
        assertFalse(mail(("X-A: " + "a".repeat(40_000) + "\r\n").repeat(3) + "\r\nbody"));
        String part = "Content-Type: multipart/mixed; boundary=p\r\n\r\n--p\r\nX-Big: x\r\n"
                + " aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\r\n"
                        .repeat(750) + " more\r\n\r\nbody\r\n--p--\r\n";
        assertTrue(mail(part));
    }

    @Test
    void httpBodiesFramedByLengthAndChunks() {
        MimeEntities m = new MimeEntities(true);
        m.begin(true);
        feed(m, "Host: a\r\nContent-Length: 5\r\n\r\n");
        assertEquals(5, m.plain(), "the body is taken whole");
        byte[] body = "--xx\n".getBytes(StandardCharsets.ISO_8859_1);
        m.bytes(body, 0, 5);
        assertTrue(m.ended());
        m.begin(true);
        feed(m, "Transfer-Encoding: chunked\r\n\r\n1a; ext\r\n");
        assertEquals(26, m.plain());
        m.bytes(new byte[26], 0, 26);
        feed(m, "\r\n0\r\nTrailer: t\r\n");
        assertFalse(m.ended(), "the trailer is read");
        feed(m, "\r\n");
        assertTrue(m.ended());
        // Chunks only under HTTP/1.1; a request without a length or chunks has no body.
        m.begin(false);
        feed(m, "Transfer-Encoding: chunked\r\n\r\n");
        assertTrue(m.ended());
        // A multipart body is read as lines up to its closing boundary, whatever length it declares.
        m.begin(true);
        feed(m, "Content-Type: multipart/form-data; boundary=f\r\nContent-Length: 3\r\n\r\n--f\r\n"
                + "Content-Disposition: form-data; name=a\r\n\r\nvalue\r\n");
        assertEquals(0, m.plain());
        assertFalse(m.ended());
        feed(m, "--f--\r\n");
        assertTrue(m.ended());
        // Compressed multipart data is decompressed before MIME reads it: not emulated, the message is opaque.
        m.begin(true);
        feed(m, "Content-Type: multipart/mixed; boundary=g\r\nContent-Encoding: gzip\r\n\r\n--g\r\n");
        assertTrue(m.opaque());
    }

    private static void feed(MimeEntities m, String lines) {
        String[] split = lines.split("\r\n", -1);
        for (int i = 0; i < split.length - 1; i++) {
            byte[] b = split[i].getBytes(StandardCharsets.ISO_8859_1);
            m.line(b, 0, b.length, b.length);
        }
    }
}
