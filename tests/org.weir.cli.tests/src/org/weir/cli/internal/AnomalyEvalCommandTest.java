package org.weir.cli.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.weir.detect.eif.AnomalyEvalReport;
import org.weir.detect.eif.AnomalyEvaluation;
import org.weir.testsupport.Corpus;

/** {@code weir anomaly-eval}'s command line, read as every other weir command's. */
class AnomalyEvalCommandTest {

    private static final String IONOSPHERE = "anomaly/odds/ionosphere.csv";

    @Test
    void optionsInBothFormsAndDefaults() throws UsageException {
        AnomalyEvalReport.Request r = AnomalyEvalCommand.request(List.of("a.csv", "--label-column", "is_bad",
                "--trees=50", "--sample", "128", "--extension", "0", "--seeds=3", "--first-seed", "-7", "b.csv"));
        assertEquals(List.of(Path.of("a.csv"), Path.of("b.csv")), r.files());
        assertEquals("is_bad", r.labelColumn());
        assertEquals(new AnomalyEvaluation.Settings(50, 128, 0, 3, -7), r.settings());
        AnomalyEvalReport.Request d = AnomalyEvalCommand.request(List.of("x.csv", "--extension=full"));
        assertEquals(AnomalyEvaluation.Settings.defaults(), d.settings());
        assertEquals("label", d.labelColumn());
    }

    @Test
    void usageErrorsSayWhatIsWrong() {
        record Case(List<String> args, String message) {
        }
        for (Case c : List.of(new Case(List.of(), "name at least one CSV file"),
                new Case(List.of("a.csv", "--trees", "x"), "option --trees needs a whole number, not 'x'"),
                new Case(List.of("a.csv", "--seeds", "0"), "option --seeds must be at least 1, not 0"),
                new Case(List.of("a.csv", "--sample"), "option --sample needs a value"),
                new Case(List.of("a.csv", "--label-column", " "), "option --label-column needs a column name"),
                new Case(List.of("a.csv", "--extension", "most"), "option --extension needs a whole number, not 'most'"),
                new Case(List.of("a.csv", "--frobnicate", "1"), "unknown option --frobnicate"))) {
            assertEquals(c.message(), assertThrows(UsageException.class, () -> AnomalyEvalCommand.request(c.args()))
                    .getMessage(), c.args().toString());
        }
    }

    @Test
    void mistakesAreToldAsForEveryCommand() {
        String csv = Corpus.resolve(IONOSPHERE).toString();
        WeirRun typo = WeirRun.of("anomaly-eval", csv, "--seed", "2");
        assertEquals(ExitCodes.BAD_INPUT, typo.exitCode());
        assertEquals("weir: anomaly-eval: unknown option --seed: did you mean --seeds?", typo.errLines().get(0));
        assertTrue(typo.errLines().get(1).startsWith("usage: weir anomaly-eval CSV..."), typo.err());
        assertEquals("('weir help anomaly-eval' tells more)", typo.errLines().get(typo.errLines().size() - 1));
        // A setting that does not fit the file is a usage error too, told after the file was read.
        WeirRun tooFar = WeirRun.of("anomaly-eval", csv, "--extension", "40", "--seeds", "1");
        assertEquals(ExitCodes.BAD_INPUT, tooFar.exitCode());
        assertTrue(tooFar.errLines().get(0).contains("features: --extension must be at most"), tooFar.err());
        WeirRun help = WeirRun.of("help", "anomaly-eval");
        assertEquals(0, help.exitCode());
        assertTrue(help.out().startsWith("usage: weir anomaly-eval CSV..."), help.out());
    }
}
