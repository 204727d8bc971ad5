package org.weir.ui.internal;

import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * The captures named on the command line (several are merged by time): {@code -capture FILE} (or {@code --capture
 * FILE}, or {@code -r FILE} as with {@code zeek -r} and {@code tcpdump -r}), or else the bare arguments that name a
 * capture file ({@code .pcap}, {@code .pcapng}, {@code .cap}, each also compressed: {@code .gz}, {@code .zst}, {@code
 * .lz4}) or an existing file by any other name; the capture filter it is read with, {@code -filter EXPR} (or {@code
 * --filter EXPR}, {@code --filter=EXPR}), as {@code weir analyze -f}; and {@code -C} (or {@code --ignore-checksums}) to
 * count packets with invalid checksums, as {@code weir analyze -C}; and the display filter the Sessions view starts
 * with, {@code -Y EXPR} (or {@code --display-filter EXPR}, {@code --display-filter=EXPR}), as Wireshark's {@code -Y}.
 * Options of the e4 workbench that take a value are skipped with their value.
 */
public final class CaptureArgs {

    private static final Set<String> E4_OPTIONS_WITH_VALUE = Set.of("-applicationxmi", "-persiststate",
            "-clearpersistedstate", "-lifecycleuri", "-presentationuri", "-rendererfactoryuri", "-applicationcss",
            "-applicationcssresources", "-csstheme", "-themeid", "-modelresourcehandler", "-data", "-perspective",
            "-product", "-application", "-nl", "-os", "-ws", "-arch");

    /** The capture filter's option names; its value is never the capture. */
    private static final Set<String> FILTER_OPTIONS = Set.of("-filter", "--filter");
    /** The display filter's option names, as Wireshark's (matched as typed: {@code -y} is not {@code -Y}). */
    private static final Set<String> DISPLAY_FILTER_OPTIONS = Set.of("-Y", "--display-filter");

    /** The suffixes of the compressions a capture file may come in (the engine goes by their contents). */
    private static final Set<String> COMPRESSED = Set.of(".gz", ".zst", ".lz4");

    private CaptureArgs() {
    }

    /**
     * The captures to open, merged by time when several: those named by the capture option (each {@code -r FILE}
     * or {@code -capture FILE}), or else every bare argument that names a capture file; empty when none.
     */
    public static List<Path> captures(String[] args) {
        if (args == null) {
            return List.of();
        }
        List<Path> named = new ArrayList<>(), bare = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a == null || a.isBlank()) {
                continue;
            }
            String lower = a.toLowerCase(Locale.ROOT);
            if (lower.equals("-capture") || lower.equals("--capture") || a.equals("-r")) {
                if (i + 1 < args.length) {
                    named.add(Path.of(args[++i]));
                }
                continue;
            }
            if (lower.startsWith("--capture=")) {
                named.add(Path.of(a.substring("--capture=".length())));
                continue;
            }
            if (FILTER_OPTIONS.contains(lower) || DISPLAY_FILTER_OPTIONS.contains(a)) {
                i++;
                continue;
            }
            if (a.startsWith("-")) {
                if (E4_OPTIONS_WITH_VALUE.contains(lower) && i + 1 < args.length && !args[i + 1].startsWith("-")) {
                    i++;
                }
                continue;
            }
            String uncompressed = withoutCompression(lower);
            if (uncompressed.endsWith(".pcap") || uncompressed.endsWith(".pcapng") || uncompressed.endsWith(".cap")
                    || isFile(a)) {
                bare.add(Path.of(a));
            }
        }
        return List.copyOf(named.isEmpty() ? bare : named);
    }

    /**
     * Whether a bare argument names a file: a capture by another name ({@code .trace}, {@code .dmp}, none at all), as
     * Wireshark opens any file it is given; one that is not a capture is then said to be so, not left unopened.
     */
    private static boolean isFile(String name) {
        try {
            return Files.isRegularFile(Path.of(name));
        } catch (InvalidPathException e) {
            return false;
        }
    }

    private static String withoutCompression(String name) {
        for (String suffix : COMPRESSED) {
            if (name.endsWith(suffix)) {
                return name.substring(0, name.length() - suffix.length());
            }
        }
        return name;
    }

    /** Whether the command line asks to ignore checksums. */
    public static boolean ignoreChecksums(String[] args) {
        if (args == null) {
            return false;
        }
        for (String a : args) {
            if ("-C".equals(a) || "--ignore-checksums".equals(a)) {
                return true;
            }
        }
        return false;
    }

    /** The display filter given on the command line ({@code -Y EXPR}, {@code --display-filter[=]EXPR}), if any. */
    public static Optional<String> displayFilter(String[] args) {
        return optionValue(args, a -> a, DISPLAY_FILTER_OPTIONS, "--display-filter=");
    }

    /** The capture filter expression given on the command line ({@code -filter EXPR}, any case), if any. */
    public static Optional<String> filter(String[] args) {
        return optionValue(args, a -> a.toLowerCase(Locale.ROOT), FILTER_OPTIONS, "--filter=");
    }

    /**
     * The value of the first option named one of {@code names} (after {@code normalise}), as the next argument or
     * after {@code inline} in the same one; empty when none, or when its value is blank.
     */
    private static Optional<String> optionValue(String[] args, UnaryOperator<String> normalise, Set<String> names,
            String inline) {
        if (args == null) {
            return Optional.empty();
        }
        for (int i = 0; i < args.length; i++) {
            if (args[i] == null) {
                continue;
            }
            String a = normalise.apply(args[i]);
            if (names.contains(a) && i + 1 < args.length) {
                return Optional.ofNullable(args[i + 1]).filter(f -> !f.isBlank());
            }
            if (a.startsWith(inline)) {
                return Optional.of(args[i].substring(inline.length())).filter(f -> !f.isBlank());
            }
        }
        return Optional.empty();
    }
}
