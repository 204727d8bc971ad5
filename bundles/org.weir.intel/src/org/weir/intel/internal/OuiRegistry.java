package org.weir.intel.internal;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Modified;
import org.weir.intel.FeedException;
import org.weir.intel.FeedHolder;
import org.weir.intel.FeedSignature;
import org.weir.intel.MacVendors;

/**
 * {@link MacVendors} over the IEEE CSV registries. Configuration (PID {@code org.weir.intel.oui}): {@code files}.
 * Per prefix length a sorted array of prefixes; a lookup is at most three binary searches, longest first.
 */
@Component(service = MacVendors.class, configurationPid = "org.weir.intel.oui",
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
public final class OuiRegistry implements MacVendors {

    /** Component configuration. */
    public @interface Config {
        String[] files() default {};
    }

    private static final int[] LENGTHS = {36, 28, 24};

    /** Sorted prefixes and their assignments, per entry of {@link #LENGTHS}. */
    private record Table(long[][] prefixes, Assignment[][] assignments, int size) {
    }

    private final FeedHolder<Table> table = new FeedHolder<>(
            new Table(new long[][] {{}, {}, {}}, new Assignment[][] {{}, {}, {}}, 0));

    @Activate
    @Modified
    void configure(Config config) {
        try {
            load(Arrays.stream(config.files()).map(Path::of).toList());
        } catch (FeedException e) {
            // kept in lastError(); the previous registry stays in force
        }
    }

    @Override
    public Assignment assignment(long mac) {
        if (mac < 0 || mac > 0xFFFF_FFFF_FFFFL) {
            return null;
        }
        Table t = table.get();
        for (int k = 0; k < LENGTHS.length; k++) {
            int i = Arrays.binarySearch(t.prefixes()[k], mac >>> (48 - LENGTHS[k]));
            if (i >= 0) {
                return t.assignments()[k][i];
            }
        }
        return null;
    }

    @Override
    public int size() {
        return table.get().size();
    }

    @Override
    public java.util.Optional<FeedException> lastError() {
        return table.lastError();
    }

    @Override
    public void load(List<Path> csvFiles) throws FeedException {
        table.reload(() -> {
            List<List<Assignment>> byLength = List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
            for (Path f : csvFiles) {
                parse(f, FeedSignature.readVerified(f, null), byLength);
            }
            long[][] prefixes = new long[3][];
            Assignment[][] assignments = new Assignment[3][];
            int size = 0;
            for (int k = 0; k < 3; k++) {
                List<Assignment> l = byLength.get(k);
                l.sort((a, b) -> Long.compare(a.prefix(), b.prefix()));
                // A prefix listed twice (registries overlap rarely): keep the first, deterministic by file order.
                List<Assignment> unique = new ArrayList<>();
                for (Assignment a : l) {
                    if (unique.isEmpty() || unique.get(unique.size() - 1).prefix() != a.prefix()) {
                        unique.add(a);
                    }
                }
                prefixes[k] = unique.stream().mapToLong(Assignment::prefix).toArray();
                assignments[k] = unique.toArray(Assignment[]::new);
                size += unique.size();
            }
            return new Table(prefixes, assignments, size);
        });
    }

    /** IEEE CSV: quoted fields may hold commas, doubled quotes and line breaks. */
    private static void parse(Path file, byte[] data, List<List<Assignment>> out) throws FeedException {
        String text = new String(data, StandardCharsets.UTF_8);
        List<String> fields = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        int line = 1, recordLine = 1, pos = 0, len = text.length();
        boolean quoted = false, header = true;
        while (pos <= len) {
            char c = pos < len ? text.charAt(pos) : '\n';
            pos++;
            if (quoted) {
                if (c == '"') {
                    if (pos < len && text.charAt(pos) == '"') {
                        field.append('"');
                        pos++;
                    } else {
                        quoted = false;
                    }
                } else {
                    if (c == '\n') {
                        line++;
                    }
                    field.append(c);
                }
                continue;
            }
            if (c == '"') {
                quoted = true;
            } else if (c == ',') {
                fields.add(field.toString());
                field.setLength(0);
            } else if (c == '\n') {
                fields.add(field.toString());
                field.setLength(0);
                if (!(fields.size() == 1 && fields.get(0).isBlank())) {
                    if (header && "Registry".equals(fields.get(0).replace("\uFEFF", "").trim())) {
                        header = false;
                    } else {
                        out(file, recordLine, fields, out);
                    }
                }
                fields.clear();
                line++;
                recordLine = line;
            } else if (c != '\r') {
                field.append(c);
            }
            if (pos > len) {
                break;
            }
        }
        if (quoted) {
            throw new FeedException(file, recordLine, 0, "unterminated quoted field");
        }
    }

    private static void out(Path file, int line, List<String> f, List<List<Assignment>> out) throws FeedException {
        if (f.size() < 3) {
            throw new FeedException(file, line, 1,
                    "expected Registry,Assignment,Organization Name[,Address], found " + f.size() + " field(s)");
        }
        String registry = f.get(0).trim();
        String hex = f.get(1).trim();
        int bits = hex.length() * 4;
        int k = bits == 36 ? 0 : bits == 28 ? 1 : bits == 24 ? 2 : -1;
        long prefix;
        try {
            prefix = k < 0 ? -1 : Long.parseLong(hex, 16);
        } catch (NumberFormatException e) {
            prefix = -1;
        }
        if (prefix < 0) {
            throw new FeedException(file, line, registry.length() + 2,
                    "bad assignment '" + hex + "' (6, 7 or 9 hex digits)");
        }
        out.get(k).add(new Assignment(registry, prefix, bits, f.get(2).trim()));
    }
}
