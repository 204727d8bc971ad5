package org.weir.session.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code checks} of a suricata-verify {@code test.yaml}: each {@code filter}'s {@code match} map (flat keys
 * such as {@code flow.pkts_toserver}, quotes removed) plus its {@code count}. Only the YAML subset those files use.
 */
final class SuricataChecks {

    private SuricataChecks() {
    }

    static List<Map<String, String>> read(Path testYaml) throws IOException {
        List<Map<String, String>> checks = new ArrayList<>();
        Map<String, String> current = null;
        for (String raw : Files.readAllLines(testYaml)) {
            String line = raw.strip();
            if (line.startsWith("#") || line.isEmpty()) {
                continue;
            }
            if (line.startsWith("- filter:")) {
                current = new LinkedHashMap<>();
                checks.add(current);
                continue;
            }
            if (current == null || line.startsWith("-") || line.equals("match:")) {
                continue;
            }
            int colon = line.indexOf(": ");
            if (colon > 0) {
                String value = line.substring(colon + 2).strip();
                if (value.length() >= 2 && (value.startsWith("\"") || value.startsWith("'"))) {
                    value = value.substring(1, value.length() - 1);
                }
                current.put(line.substring(0, colon), value);
            }
        }
        return checks;
    }

    /** The value of a top-level {@code pcap:} entry, or null. */
    static String pcap(Path testYaml) throws IOException {
        for (String line : Files.readAllLines(testYaml)) {
            if (line.startsWith("pcap:")) {
                return line.substring(5).strip();
            }
        }
        return null;
    }
}
