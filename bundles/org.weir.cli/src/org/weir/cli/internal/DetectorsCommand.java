package org.weir.cli.internal;

import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.weir.core.CaptureAnalyzer;
import org.weir.detect.DetectorInfo;
import org.weir.detect.Parameter;

/** {@code weir detectors}: the installed detectors and their parameters, as they describe themselves. */
final class DetectorsCommand implements Command {

    private static final String USAGE = """
            usage: weir detectors

            Lists the detectors installed (built-in and dropped-in bundles) with their parameters. Set a parameter
            for one analysis with 'weir analyze ... --set DETECTOR.PARAMETER=VALUE'.
            """;

    private final CaptureAnalyzer analyzer;

    DetectorsCommand(CaptureAnalyzer analyzer) {
        this.analyzer = analyzer;
    }

    @Override
    public String name() {
        return "detectors";
    }

    @Override
    public String summary() {
        return "list the detectors and their parameters";
    }

    @Override
    public String usage() {
        return USAGE;
    }

    @Override
    public int run(List<String> args, Console console) throws UsageException {
        if (!args.isEmpty()) {
            throw new UsageException("unexpected argument '" + args.get(0) + "'");
        }
        List<DetectorInfo> infos = analyzer.detectors().stream().sorted(Comparator.comparing(DetectorInfo::id))
                .toList();
        if (infos.isEmpty()) {
            console.out().println("no detectors installed");
        }
        for (DetectorInfo info : infos) {
            console.out().printf("%s  %s  [%s, %s]%n", info.id(), info.name(), info.category(),
                    info.defaultSeverity().label());
            console.out().printf("    %s%n", info.description());
            for (Parameter p : info.parameters()) {
                console.out().printf("    %s.%s = %s  (%s)  %s%n", info.id(), p.name(), p.defaultValue(), p.type(),
                        p.help());
            }
            console.out().println();
        }
        return ExitCodes.OK;
    }

    /** {@code DETECTOR.PARAMETER=VALUE} assignments by detector id; the analyzer validates names and values. */
    static Map<String, Map<String, String>> parseAssignments(List<String> assignments) throws UsageException {
        Map<String, Map<String, String>> out = new LinkedHashMap<>();
        for (String a : assignments) {
            int eq = a.indexOf('=');
            int dot = eq < 0 ? -1 : a.lastIndexOf('.', eq);
            if (eq < 0 || dot <= 0 || dot + 1 >= eq) {
                throw new UsageException("--set expects DETECTOR.PARAMETER=VALUE, not '" + a + "'");
            }
            out.computeIfAbsent(a.substring(0, dot).trim(), k -> new LinkedHashMap<>())
                    .put(a.substring(dot + 1, eq).trim(), a.substring(eq + 1).trim());
        }
        return out;
    }
}
