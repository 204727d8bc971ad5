package org.weir.detect.rules.internal;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.weir.testsupport.Corpus;

/**
 * Precision and recall of the DNS name classifier on the labelled query names of the netrack set (test split;
 * label 1 = tunnel). Two views: each name on its own, and the detector's per-domain verdict (a domain with at least
 * min_encoded encoded-looking names is a tunnel domain, and so is every name under it). Figures are printed and
 * recorded in docs/DETECTION.md; the assertions are floors, not the measured values.
 */
class DnsNamesBenchmarkTest {

    record Counts(long tp, long fp, long fn, long tn) {
        double precision() {
            return tp + fp == 0 ? 0 : (double) tp / (tp + fp);
        }

        double recall() {
            return tp + fn == 0 ? 0 : (double) tp / (tp + fn);
        }

        @Override
        public String toString() {
            return String.format("tp=%d fp=%d fn=%d tn=%d precision=%.4f recall=%.4f", tp, fp, fn, tn, precision(),
                    recall());
        }
    }

    static Counts[] measure(String split) throws IOException {
        List<String> lines = Files.readAllLines(Corpus.resolve("attacks/dns-tunnel/netrack-qnames/" + split),
                StandardCharsets.UTF_8);
        DnsQuestion q = new DnsQuestion();
        DnsNameClassifier c = new DnsNameClassifier(24, 3.5);
        int minEncoded = 5;
        long tp = 0, fp = 0, fn = 0, tn = 0;
        Map<String, Integer> encodedByDomain = new HashMap<>();
        String[] domain = new String[lines.size()];
        boolean[] label = new boolean[lines.size()];
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            int comma = line.indexOf(',');
            if (comma < 0 || line.startsWith("label")) {
                continue;
            }
            label[i] = line.charAt(0) == '1';
            boolean parsed = q.setName(line.substring(comma + 1));
            boolean encoded = parsed && c.suspicious(q);
            domain[i] = parsed ? q.suffixText(q.parentLabels()) : "";
            if (encoded) {
                encodedByDomain.merge(domain[i], 1, Integer::sum);
            }
            if (label[i] && encoded) {
                tp++;
            } else if (label[i]) {
                fn++;
            } else if (encoded) {
                fp++;
            } else {
                tn++;
            }
        }
        long dtp = 0, dfp = 0, dfn = 0, dtn = 0;
        for (int i = 0; i < lines.size(); i++) {
            if (domain[i] == null) {
                continue;
            }
            boolean flagged = encodedByDomain.getOrDefault(domain[i], 0) >= minEncoded;
            if (label[i] && flagged) {
                dtp++;
            } else if (label[i]) {
                dfn++;
            } else if (flagged) {
                dfp++;
            } else {
                dtn++;
            }
        }
        return new Counts[] {new Counts(tp, fp, fn, tn), new Counts(dtp, dfp, dfn, dtn)};
    }

    @Test
    void precisionAndRecallOnTheTestSplit() throws IOException {
        Counts[] r = measure("test.csv");
        System.out.println("netrack test.csv, per name:   " + r[0]);
        System.out.println("netrack test.csv, per domain: " + r[1]);
        // Per name, about half of the tunnel names are short polls that look like any hostname ("r12345.x.org"):
        // recall is bounded by that, precision must stay high because every flag is an accusation.
        assertTrue(r[0].precision() >= 0.99, r[0].toString());
        assertTrue(r[0].recall() >= 0.45, r[0].toString());
        assertTrue(r[1].precision() >= 0.99, r[1].toString());
        assertTrue(r[1].recall() >= 0.95, r[1].toString());
    }
}
