package org.weir.testsupport;

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
 * Reads a Zeek ASCII log (TSV with {@code #fields}) into records keyed by column name. Also reads btest's cut logs
 * ({@code zeek-cut -m}), whose header is the first line that is not a comment.
 */
public final class ZeekLog {

    private final List<String> fields;
    private final List<Map<String, String>> records;

    private ZeekLog(List<String> fields, List<Map<String, String>> records) {
        this.fields = fields;
        this.records = records;
    }

    public static ZeekLog read(Path file) throws IOException {
        List<String> fields = null;
        List<Map<String, String>> records = new ArrayList<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            if (line.startsWith("#fields\t")) {
                fields = Arrays.asList(line.substring("#fields\t".length()).split("\t", -1));
            } else if (!line.startsWith("#") && !line.isBlank()) {
                if (fields == null) {
                    fields = Arrays.asList(line.split("\t", -1));
                    continue;
                }
                String[] values = line.split("\t", -1);
                if (values.length != fields.size()) {
                    throw new IOException(file + ": record with " + values.length + " values for " + fields.size()
                            + " fields: " + line);
                }
                Map<String, String> r = new LinkedHashMap<>();
                for (int i = 0; i < values.length; i++) {
                    r.put(fields.get(i), values[i]);
                }
                records.add(r);
            }
        }
        if (fields == null) {
            throw new IOException(file + ": no #fields header");
        }
        return new ZeekLog(fields, records);
    }

    public List<String> fields() {
        return fields;
    }

    public List<Map<String, String>> records() {
        return records;
    }

    /** The connection key Zeek baselines are compared by: proto and the oriented 4-tuple. */
    public static String connKey(Map<String, String> r) {
        return r.get("proto") + " " + r.get("id.orig_h") + ":" + r.get("id.orig_p") + " > " + r.get("id.resp_h") + ":"
                + r.get("id.resp_p");
    }
}
