package org.weir.detect.eif;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A numeric data set with a binary outlier label per row, as the ODDS benchmark files are laid out: a header
 * line, numeric feature columns, and a label column holding 1 for an outlier and 0 otherwise. Values are kept
 * row after row in one array, the layout {@link ExtendedIsolationForest} trains on.
 */
public final class LabelledData {

    private final String source;
    private final List<String> features;
    private final double[] values;
    private final boolean[] outlier;
    private final int rows;
    private final int outliers;

    /**
     * @param source name for messages and reports (usually the file name)
     * @param features names of the feature columns
     * @param values rows × features values, row after row
     * @param outlier per row, whether it is labelled an outlier
     */
    public LabelledData(String source, List<String> features, double[] values, boolean[] outlier) {
        if (features.isEmpty()) {
            throw new IllegalArgumentException(source + ": no feature columns");
        }
        if ((long) outlier.length * features.size() != values.length) {
            throw new IllegalArgumentException(source + ": " + values.length + " values do not make "
                    + outlier.length + " rows of " + features.size());
        }
        this.source = source;
        this.features = List.copyOf(features);
        this.values = values;
        this.outlier = outlier;
        this.rows = outlier.length;
        int n = 0;
        for (boolean o : outlier) {
            n += o ? 1 : 0;
        }
        this.outliers = n;
    }

    /**
     * Reads a CSV file: a header, then one row per line, comma-separated (fields may be double-quoted). Every
     * column but the label column is a feature and must hold finite numbers; the label column must hold 0 or 1.
     * Blank lines are skipped.
     *
     * @param labelColumn the label column's header, e.g. {@code label}
     * @throws CsvFormatException naming file, line and column when the file does not fit
     */
    public static LabelledData readCsv(Path file, String labelColumn) throws IOException {
        String name = file.toString();
        if (!Files.isRegularFile(file)) {
            throw new NoSuchFileException(name, null, Files.isDirectory(file) ? "a directory, not a CSV file"
                    : "no such file");
        }
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String headerLine = in.readLine();
            long lineNo = 1;
            while (headerLine != null && headerLine.isBlank()) {
                headerLine = in.readLine();
                lineNo++;
            }
            if (headerLine == null) {
                throw new CsvFormatException(name, lineNo, 0, null, "empty file, expected a header line");
            }
            if (headerLine.startsWith("\uFEFF")) {
                headerLine = headerLine.substring(1);
            }
            List<String> header = new ArrayList<>();
            split(headerLine, header, name, lineNo);
            int label = -1;
            for (int i = 0; i < header.size(); i++) {
                String h = header.get(i);
                if (h.isEmpty()) {
                    throw new CsvFormatException(name, lineNo, i + 1, null, "empty column name in the header");
                }
                if (h.equals(labelColumn)) {
                    if (label >= 0) {
                        throw new CsvFormatException(name, lineNo, i + 1, h,
                                "label column '" + labelColumn + "' appears twice");
                    }
                    label = i;
                }
            }
            if (label < 0) {
                throw new CsvFormatException(name, lineNo, 0, null, "no label column '" + labelColumn
                        + "' in the header (columns: " + String.join(", ", header) + ")");
            }
            int columns = header.size();
            int dims = columns - 1;
            if (dims == 0) {
                throw new CsvFormatException(name, lineNo, 0, null, "no feature columns besides '" + labelColumn + "'");
            }
            List<String> features = new ArrayList<>(header);
            features.remove(label);

            double[] values = new double[1024 * dims];
            boolean[] outlier = new boolean[1024];
            int rows = 0;
            List<String> fields = new ArrayList<>(columns);
            String line;
            while ((line = in.readLine()) != null) {
                lineNo++;
                if (line.isBlank()) {
                    continue;
                }
                split(line, fields, name, lineNo);
                if (fields.size() != columns) {
                    throw new CsvFormatException(name, lineNo, 0, null,
                            "expected " + columns + " fields as in the header, found " + fields.size());
                }
                if (rows == outlier.length) {
                    outlier = Arrays.copyOf(outlier, rows * 2);
                    values = Arrays.copyOf(values, rows * 2 * dims);
                }
                int out = rows * dims;
                for (int c = 0; c < columns; c++) {
                    String cell = fields.get(c);
                    double v;
                    try {
                        v = Double.parseDouble(cell);
                    } catch (NumberFormatException e) {
                        throw new CsvFormatException(name, lineNo, c + 1, header.get(c),
                                cell.isEmpty() ? "empty cell, expected a number" : "not a number: '" + cell + "'");
                    }
                    if (!Double.isFinite(v)) {
                        throw new CsvFormatException(name, lineNo, c + 1, header.get(c),
                                "not a finite number: '" + cell + "'");
                    }
                    if (c == label) {
                        if (v != 0 && v != 1) {
                            throw new CsvFormatException(name, lineNo, c + 1, header.get(c),
                                    "label must be 0 (normal) or 1 (outlier), not '" + cell + "'");
                        }
                        outlier[rows] = v == 1;
                    } else {
                        values[out++] = v;
                    }
                }
                rows++;
            }
            if (rows < 2) {
                throw new CsvFormatException(name, lineNo, 0, null, "need at least 2 data rows, found " + rows);
            }
            Path fileName = file.getFileName();
            return new LabelledData(fileName == null ? name : fileName.toString(), features,
                    Arrays.copyOf(values, rows * dims), Arrays.copyOf(outlier, rows));
        } catch (java.nio.charset.MalformedInputException e) {
            throw new IOException(name + ": not UTF-8 text", e);
        }
    }

    /** Splits one CSV line into trimmed fields; a field may be double-quoted, with "" for a quote. */
    private static void split(String line, List<String> out, String file, long lineNo) throws CsvFormatException {
        out.clear();
        int n = line.length();
        int i = 0;
        while (true) {
            while (i < n && line.charAt(i) == ' ') {
                i++;
            }
            if (i < n && line.charAt(i) == '"') {
                StringBuilder b = new StringBuilder();
                i++;
                while (true) {
                    if (i >= n) {
                        throw new CsvFormatException(file, lineNo, out.size() + 1, null, "unterminated quoted field");
                    }
                    char ch = line.charAt(i++);
                    if (ch == '"') {
                        if (i < n && line.charAt(i) == '"') {
                            b.append('"');
                            i++;
                        } else {
                            break;
                        }
                    } else {
                        b.append(ch);
                    }
                }
                while (i < n && line.charAt(i) != ',') {
                    if (!Character.isWhitespace(line.charAt(i))) {
                        throw new CsvFormatException(file, lineNo, out.size() + 1, null,
                                "text after a closing quote");
                    }
                    i++;
                }
                out.add(b.toString().trim());
            } else {
                int comma = line.indexOf(',', i);
                int end = comma < 0 ? n : comma;
                out.add(line.substring(i, end).trim());
                i = end;
            }
            if (i >= n) {
                return;
            }
            i++; // the comma
        }
    }

    public String source() {
        return source;
    }

    public List<String> featureNames() {
        return features;
    }

    public int rows() {
        return rows;
    }

    public int dimensions() {
        return features.size();
    }

    public int outliers() {
        return outliers;
    }

    /** The values, row after row (the array itself: do not modify). */
    public double[] values() {
        return values;
    }

    /** Per row, whether it is an outlier (the array itself: do not modify). */
    public boolean[] outlierLabels() {
        return outlier;
    }
}
