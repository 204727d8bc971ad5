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

class AnomalyEvalCommandTest {

    @TempDir
    Path dir;

    @Test
    void parsesOptionsInBothForms() {
        AnomalyEvalCommand.Request r = AnomalyEvalCommand.parse(List.of("a.csv", "--label-column", "is_bad",
                "--trees=50", "--sample", "128", "--extension", "0", "--seeds=3", "--first-seed", "7", "b.csv"));
        assertEquals(List.of(Path.of("a.csv"), Path.of("b.csv")), r.files());
        assertEquals("is_bad", r.labelColumn());
        assertEquals(new AnomalyEvaluation.Settings(50, 128, 0, 3, 7), r.settings());
        AnomalyEvalCommand.Request d = AnomalyEvalCommand.parse(List.of("x.csv", "--extension=full"));
        assertEquals(AnomalyEvaluation.Settings.defaults(), d.settings());
        assertEquals("label", d.labelColumn());
    }

    @Test
    void usageErrorsSayWhatIsWrong() {
        assertEquals("name at least one CSV file",
                assertThrows(IllegalArgumentException.class, () -> AnomalyEvalCommand.parse(List.of())).getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> AnomalyEvalCommand.parse(List.of("a.csv", "--trees", "x"))).getMessage().contains("--trees"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> AnomalyEvalCommand.parse(List.of("a.csv", "--seeds", "0"))).getMessage().contains("at least 1"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> AnomalyEvalCommand.parse(List.of("a.csv", "--frobnicate", "1"))).getMessage()
                        .contains("unknown option --frobnicate"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> AnomalyEvalCommand.parse(List.of("a.csv", "--sample"))).getMessage().contains("needs a value"));
    }

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
        String report = AnomalyEvalCommand.run(List.of(good.toString(), "--label-column", "outlier", "--seeds", "2",
                "--trees", "20"));
        assertTrue(report.startsWith("good.csv: 400 rows, 2 features, 10 outliers"), report);
        assertTrue(report.contains("AUROC over 2 seeds (0..1)"), report);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> AnomalyEvalCommand.run(List.of(good.toString(),
                "--label-column", "outlier", "--extension", "2"))).getMessage().contains("at most 1"));

        Path none = Files.writeString(dir.resolve("none.csv"), "x,outlier\n1,0\n2,0\n");
        IOException noOutliers = assertThrows(IOException.class,
                () -> AnomalyEvalCommand.run(List.of(none.toString(), "--label-column", "outlier")));
        assertTrue(noOutliers.getMessage().contains("marks 0 of 2 rows as outliers"), noOutliers.getMessage());

        Path bad = Files.writeString(dir.resolve("bad.csv"), "x,outlier\n1,0\n2,x\n");
        CsvFormatException e = assertThrows(CsvFormatException.class,
                () -> AnomalyEvalCommand.run(List.of(bad.toString(), "--label-column", "outlier")));
        assertEquals(3, e.line());
        assertEquals("outlier", e.columnName());
    }
}
