package org.weir.detect.eif;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AnomalyEvaluationTest {

    @TempDir
    Path dir;

    private Path csv(String name, String text) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, text);
        return p;
    }

    private static boolean[] labels(int... ones) {
        boolean[] b = new boolean[ones.length];
        for (int i = 0; i < ones.length; i++) {
            b[i] = ones[i] == 1;
        }
        return b;
    }

    @Test
    void aurocOfPerfectReversedAndTiedRankings() {
        assertEquals(1.0, AnomalyEvaluation.auroc(new double[] {0.1, 0.2, 0.9, 0.8}, labels(0, 0, 1, 1)));
        assertEquals(0.0, AnomalyEvaluation.auroc(new double[] {0.9, 0.8, 0.1, 0.2}, labels(0, 0, 1, 1)));
        assertEquals(0.5, AnomalyEvaluation.auroc(new double[] {0.5, 0.5, 0.5, 0.5}, labels(0, 1, 0, 1)));
        // Positives 0.8 and 0.5; negatives 0.5, 0.3, 0.9. Pairs: 0.8 beats 0.5 and 0.3 (2), 0.5 ties 0.5 (1/2)
        // and beats 0.3 (1): 3.5 of 6.
        assertEquals(3.5 / 6, AnomalyEvaluation.auroc(new double[] {0.8, 0.5, 0.5, 0.3, 0.9}, labels(1, 1, 0, 0, 0)),
                1e-15);
    }

    @Test
    void aurocEqualsTheCountOverAllPairs() {
        Random r = new Random(11);
        for (int round = 0; round < 20; round++) {
            int n = 50 + r.nextInt(300);
            double[] s = new double[n];
            boolean[] pos = new boolean[n];
            for (int i = 0; i < n; i++) {
                s[i] = r.nextInt(20) / 4.0; // coarse values: many ties
                pos[i] = r.nextInt(4) == 0;
            }
            pos[0] = true;
            pos[1] = false;
            double wins = 0;
            long pairs = 0;
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    if (pos[i] && !pos[j]) {
                        pairs++;
                        wins += s[i] > s[j] ? 1 : s[i] == s[j] ? 0.5 : 0;
                    }
                }
            }
            assertEquals(wins / pairs, AnomalyEvaluation.auroc(s, pos), 1e-12);
        }
    }

    @Test
    void aurocNeedsBothClasses() {
        assertThrows(IllegalArgumentException.class,
                () -> AnomalyEvaluation.auroc(new double[] {1, 2}, labels(1, 1)));
    }

    @Test
    void readsTheLabelColumnWhereverItIs() throws IOException {
        Path p = csv("mixed.csv", "a,\"class\",b\n1.5,0,2\n\n-3,1,4e2\n0,0,0\n");
        LabelledData d = LabelledData.readCsv(p, "class");
        assertEquals(List.of("a", "b"), d.featureNames());
        assertEquals(3, d.rows());
        assertEquals(1, d.outliers());
        assertArrayEquals(new double[] {1.5, 2, -3, 400, 0, 0}, d.values());
        assertArrayEquals(labels(0, 1, 0), d.outlierLabels());
        assertEquals("mixed.csv", d.source());
    }

    @Test
    void missingLabelColumnNamesFileAndColumns() throws IOException {
        Path p = csv("nolabel.csv", "f0,f1,outlier\n1,2,0\n3,4,1\n");
        CsvFormatException e = assertThrows(CsvFormatException.class, () -> LabelledData.readCsv(p, "label"));
        assertEquals(1, e.line());
        assertTrue(e.getMessage().startsWith(p.toString() + ", line 1: "), e.getMessage());
        assertTrue(e.getMessage().contains("no label column 'label'"), e.getMessage());
        assertTrue(e.getMessage().contains("f0, f1, outlier"), e.getMessage());
    }

    @Test
    void nonNumericCellNamesFileLineAndColumn() throws IOException {
        Path p = csv("bad.csv", "f0,f1,label\n1,2,0\n3,abc,1\n");
        CsvFormatException e = assertThrows(CsvFormatException.class, () -> LabelledData.readCsv(p, "label"));
        assertEquals(3, e.line());
        assertEquals(2, e.column());
        assertEquals("f1", e.columnName());
        assertEquals(p + ", line 3, column 2 (f1): not a number: 'abc'", e.getMessage());
    }

    @Test
    void otherDamageIsNamedToo() throws IOException {
        CsvFormatException short_ = assertThrows(CsvFormatException.class,
                () -> LabelledData.readCsv(csv("short.csv", "f0,f1,label\n1,2,0\n3,1\n"), "label"));
        assertEquals(3, short_.line());
        assertTrue(short_.getMessage().contains("expected 3 fields"), short_.getMessage());

        CsvFormatException label = assertThrows(CsvFormatException.class,
                () -> LabelledData.readCsv(csv("label.csv", "f0,label\n1,0\n2,2\n"), "label"));
        assertEquals(3, label.line());
        assertEquals(2, label.column());
        assertTrue(label.getMessage().contains("0 (normal) or 1 (outlier)"), label.getMessage());

        CsvFormatException empty = assertThrows(CsvFormatException.class,
                () -> LabelledData.readCsv(csv("empty.csv", "f0,label\n1,0\n,1\n"), "label"));
        assertEquals(1, empty.column());
        assertTrue(empty.getMessage().contains("empty cell"), empty.getMessage());

        CsvFormatException inf = assertThrows(CsvFormatException.class,
                () -> LabelledData.readCsv(csv("inf.csv", "f0,label\n1,0\nInfinity,1\n"), "label"));
        assertTrue(inf.getMessage().contains("not a finite number"), inf.getMessage());

        assertThrows(CsvFormatException.class, () -> LabelledData.readCsv(csv("none.csv", ""), "label"));

        IOException missing = assertThrows(IOException.class,
                () -> LabelledData.readCsv(dir.resolve("absent.csv"), "label"));
        assertTrue(missing.getMessage().contains("absent.csv") && missing.getMessage().contains("no such file"),
                missing.getMessage());
    }

    @Test
    void evaluatesOverSeedsAndReports() {
        Random r = new Random(12);
        int n = 600;
        double[] x = new double[n * 3];
        boolean[] out = new boolean[n];
        for (int i = 0; i < n; i++) {
            out[i] = i % 50 == 0;
            for (int j = 0; j < 3; j++) {
                x[i * 3 + j] = r.nextGaussian() + (out[i] ? 5 : 0);
            }
        }
        LabelledData d = new LabelledData("synthetic", List.of("a", "b", "c"), x, out);
        AnomalyEvaluation.Result res = AnomalyEvaluation.evaluate(d, AnomalyEvaluation.Settings.defaults().withSeeds(3));
        assertEquals(3, res.runs().size());
        assertEquals(List.of(0L, 1L, 2L), res.runs().stream().map(AnomalyEvaluation.Run::seed).toList());
        assertEquals(2, res.extensionLevel());
        assertTrue(res.meanAuroc() > 0.95, res.report());
        assertTrue(res.stdAuroc() >= 0);
        String report = res.report();
        assertTrue(report.startsWith("synthetic: 600 rows, 3 features, 12 outliers"), report);
        assertTrue(report.contains("extension level 2 (full)"), report);
        assertTrue(report.contains("AUROC over 3 seeds (0..2): mean "), report);
    }
}
