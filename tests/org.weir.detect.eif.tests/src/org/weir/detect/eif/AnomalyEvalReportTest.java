package org.weir.detect.eif;

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

class AnomalyEvalReportTest {

    @TempDir
    Path dir;

    @Test
    void reportsEveryFileAndNamesBadInput() throws IOException {
        Random r = new Random(3);
        StringBuilder csv = new StringBuilder("x,y,outlier\n");
        for (int i = 0; i < 400; i++) {
            boolean out = i % 40 == 0;
            csv.append(r.nextGaussian() + (out ? 6 : 0)).append(',').append(r.nextGaussian()).append(',')
                    .append(out ? 1 : 0).append('\n');
        }
        Path good = Files.writeString(dir.resolve("good.csv"), csv);
        AnomalyEvaluation.Settings d = AnomalyEvaluation.Settings.defaults();
        String report = AnomalyEvalReport.of(new AnomalyEvalReport.Request(List.of(good), "outlier",
                new AnomalyEvaluation.Settings(20, d.sampleSize(), d.extensionLevel(), 2, d.firstSeed())));
        assertTrue(report.startsWith("good.csv: 400 rows, 2 features, 10 outliers"), report);
        assertTrue(report.contains("AUROC over 2 seeds (0..1)"), report);
        AnomalyEvaluation.Settings extension2 = new AnomalyEvaluation.Settings(d.trees(), d.sampleSize(), 2, 1, 0);
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> AnomalyEvalReport.of(new AnomalyEvalReport.Request(List.of(good), "outlier", extension2)))
                .getMessage().contains("at most 1"));

        Path none = Files.writeString(dir.resolve("none.csv"), "x,outlier\n1,0\n2,0\n");
        IOException noOutliers = assertThrows(IOException.class,
                () -> AnomalyEvalReport.of(new AnomalyEvalReport.Request(List.of(none), "outlier", d)));
        assertTrue(noOutliers.getMessage().contains("marks 0 of 2 rows as outliers"), noOutliers.getMessage());

        Path bad = Files.writeString(dir.resolve("bad.csv"), "x,outlier\n1,0\n2,x\n");
        CsvFormatException e = assertThrows(CsvFormatException.class,
                () -> AnomalyEvalReport.of(new AnomalyEvalReport.Request(List.of(bad), "outlier", d)));
        assertEquals(3, e.line());
        assertEquals("outlier", e.columnName());
    }
}
