package org.weir.dropins.internal;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;

/**
 * Keeps the bundles installed from one folder in step with its {@code *.jar} files: a new jar is installed and
 * started, a changed one updated, a removed one uninstalled. A jar that is not a valid bundle is reported once
 * (until it changes) and skipped; the others go on.
 */
public final class DropinsFolder {

    private final Path folder;
    private final BundleContext context;
    private final Consumer<String> problems;
    private final Map<Path, Installed> installed = new HashMap<>();
    private final Map<Path, FileTime> rejected = new HashMap<>();

    private record Installed(Bundle bundle, FileTime modified) {
    }

    public DropinsFolder(Path folder, BundleContext context, Consumer<String> problems) {
        this.folder = folder;
        this.context = context;
        this.problems = problems;
    }

    public Path folder() {
        return folder;
    }

    /** Brings the installed bundles in step with the folder now. */
    public synchronized void scan() {
        Set<Path> present = new HashSet<>();
        if (Files.isDirectory(folder)) {
            try (DirectoryStream<Path> jars = Files.newDirectoryStream(folder, "*.jar")) {
                for (Path jar : jars) {
                    present.add(jar);
                    sync(jar);
                }
            } catch (IOException e) {
                problems.accept(folder + ": cannot list the folder (" + e.getMessage() + ")");
                return;
            }
        }
        for (Path gone : new HashSet<>(installed.keySet())) {
            if (!present.contains(gone)) {
                uninstall(gone);
            }
        }
        rejected.keySet().retainAll(present);
    }

    private void sync(Path jar) {
        FileTime modified;
        try {
            modified = Files.getLastModifiedTime(jar);
        } catch (IOException e) {
            return; // being written or gone: the next scan sees it
        }
        Installed current = installed.get(jar);
        if (current != null && current.modified().equals(modified) || modified.equals(rejected.get(jar))) {
            return;
        }
        try {
            Bundle bundle;
            if (current != null) {
                bundle = current.bundle();
                try (var in = Files.newInputStream(jar)) {
                    bundle.update(in);
                }
            } else {
                bundle = context.installBundle(jar.toUri().toString());
            }
            if (bundle.getHeaders().get("Fragment-Host") == null) {
                bundle.start();
            }
            installed.put(jar, new Installed(bundle, modified));
            rejected.remove(jar);
        } catch (BundleException | IOException | RuntimeException e) {
            rejected.put(jar, modified);
            problems.accept(jar + ": not installed (" + e.getMessage() + ")");
        }
    }

    private void uninstall(Path jar) {
        Installed gone = installed.remove(jar);
        try {
            gone.bundle().uninstall();
        } catch (BundleException | IllegalStateException e) {
            problems.accept(jar + ": could not be uninstalled (" + e.getMessage() + ")");
        }
    }

    /** Uninstalls everything this folder installed (the component stops). */
    public synchronized void clear() {
        for (Path jar : new HashSet<>(installed.keySet())) {
            uninstall(jar);
        }
    }

    /** The bundles installed from the folder now. */
    public synchronized Set<Bundle> bundles() {
        Set<Bundle> out = new HashSet<>();
        installed.values().forEach(i -> out.add(i.bundle()));
        return out;
    }
}
