package org.weir.cli.internal;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

import org.weir.core.CaptureAnalyzer;
import org.weir.detect.eif.AnomalyService;
import org.weir.intel.AddressIntel;
import org.weir.testsupport.Services;

/** One run of the weir command (all its commands) inside the test framework, with the real DS-wired services. */
record WeirRun(int exitCode, String out, String err) {

    static WeirRun of(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
                PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
            CaptureAnalyzer analyzer = Services.get(CaptureAnalyzer.class);
            Weir weir = new Weir(List.of(new AnalyzeCommand(analyzer), new CheckCommand(analyzer),
                    new FollowCommand(analyzer), new IntelCommand(() -> Services.get(AddressIntel.class)), new DetectorsCommand(analyzer),
                    new AnomalyEvalCommand(() -> Services.get(AnomalyService.class))), "test");
            int code = weir.run(Arrays.asList(args), new Console(o, e, "weir"));
            return new WeirRun(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        }
    }

    List<String> errLines() {
        return err.lines().toList();
    }
}
