import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;

/**
 * Removes the jar signatures of the two jars each materialised product starts from the JVM's class path: the Equinox
 * launcher (java -jar) and the framework it loads. The JVM checks a signed jar on its class path when it opens it and
 * every class it loads from it: 0.2 s of CPU and 0.1 s of the wall time of the `weir` command's 0.9 s start
 * (docs/PERFORMANCE.md, "Product launcher"). The bundles, which the framework loads itself, are not checked either
 * way, and a signature on the class path protects nothing, since a jar without one runs as well. The contents stay
 * as they are; the manifest keeps its main section and loses the per-entry digests, which only the signature used.
 *
 * <p>Run by the build (single-file source): {@code java StripClassPathSignatures.java PRODUCTS_FOLDER}.
 */
public final class StripClassPathSignatures {

    private static final List<String> CLASS_PATH_JARS = List.of("org.eclipse.equinox.launcher_", "org.eclipse.osgi_");

    public static void main(String[] args) throws IOException {
        if (args.length != 1 || !Files.isDirectory(Path.of(args[0]))) {
            System.err.println("usage: java StripClassPathSignatures.java PRODUCTS_FOLDER");
            System.exit(2);
        }
        List<Path> jars;
        try (Stream<Path> files = Files.walk(Path.of(args[0]))) {
            jars = files.filter(StripClassPathSignatures::onClassPath).toList();
        }
        if (jars.isEmpty()) {
            System.err.println("no launcher or framework jar under " + args[0]);
            System.exit(1);
        }
        for (Path jar : jars) {
            if (strip(jar)) {
                System.out.println("class path jar unsigned: " + jar);
            }
        }
    }

    private static boolean onClassPath(Path file) {
        String name = file.getFileName().toString();
        return name.endsWith(".jar") && file.getParent().getFileName().toString().equals("plugins")
                && CLASS_PATH_JARS.stream().anyMatch(name::startsWith);
    }

    /** Rewrites the jar without its signature; false when it had none. */
    private static boolean strip(Path jar) throws IOException {
        Path unsigned = jar.resolveSibling(jar.getFileName() + ".unsigned");
        try (JarFile in = new JarFile(jar.toFile(), false)) {
            if (in.stream().noneMatch(e -> isSignature(e.getName()))) {
                return false;
            }
            Manifest manifest = new Manifest(in.getManifest());
            manifest.getEntries().values().forEach(StripClassPathSignatures::removeDigests);
            manifest.getEntries().values().removeIf(Attributes::isEmpty);
            try (OutputStream file = Files.newOutputStream(unsigned); JarOutputStream out = new JarOutputStream(file,
                    manifest)) {
                for (JarEntry entry : in.stream().toList()) {
                    if (entry.getName().equalsIgnoreCase(JarFile.MANIFEST_NAME) || isSignature(entry.getName())) {
                        continue;
                    }
                    JarEntry copy = new JarEntry(entry.getName());
                    copy.setTime(entry.getTime());
                    out.putNextEntry(copy);
                    try (InputStream content = in.getInputStream(entry)) {
                        content.transferTo(out);
                    }
                    out.closeEntry();
                }
            }
        }
        Files.move(unsigned, jar, StandardCopyOption.REPLACE_EXISTING);
        return true;
    }

    private static void removeDigests(Attributes attributes) {
        attributes.keySet().removeIf(name -> name.toString().toUpperCase().endsWith("-DIGEST"));
    }

    /** What jarsigner adds under META-INF: the signature files and their blocks (RSA, DSA, EC). */
    private static boolean isSignature(String name) {
        String upper = name.toUpperCase();
        return upper.startsWith("META-INF/") && upper.indexOf('/', "META-INF/".length()) < 0
                && (upper.endsWith(".SF") || upper.endsWith(".RSA") || upper.endsWith(".DSA")
                        || upper.endsWith(".EC") || upper.startsWith("META-INF/SIG-"));
    }
}
