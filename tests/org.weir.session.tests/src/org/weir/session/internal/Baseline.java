package org.weir.session.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A Zeek conn.log baseline: either a full ASCII log ({@code #fields} header) or the output of {@code zeek-cut -m}
 * / {@code btest-diff-cut -m} (first line holds the column names).
 */
record Baseline(List<String> fields, List<Map<String, String>> rows) {

    static Baseline read(Path file) throws IOException {
        List<String> fields = null;
        List<Map<String, String>> rows = new ArrayList<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            if (line.isBlank() || line.startsWith("### ")) {
                continue;
            }
            if (line.startsWith("#fields\t")) {
                fields = Arrays.asList(line.substring(8).split("\t", -1));
                continue;
            }
            if (line.startsWith("#")) {
                continue;
            }
            String[] v = line.split("\t", -1);
            if (fields == null) {
                fields = Arrays.asList(v); // zeek-cut -m: the column names
                continue;
            }
            Map<String, String> row = new LinkedHashMap<>();
            for (int i = 0; i < v.length && i < fields.size(); i++) {
                row.put(fields.get(i), v[i]);
            }
            rows.add(row);
        }
        if (fields == null) {
            throw new IOException(file + ": no column header");
        }
        return new Baseline(fields, rows);
    }

    boolean hasIds() {
        return fields.contains("id.orig_h");
    }
}
