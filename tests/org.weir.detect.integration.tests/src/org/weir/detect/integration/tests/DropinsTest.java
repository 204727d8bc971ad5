package org.weir.detect.integration.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.BundleContext;
import org.weir.core.CaptureAnalyzer;
import org.weir.detect.DetectorInfo;
import org.weir.dropins.internal.DropinsFolder;
import org.weir.testsupport.Services;

/** A detector bundle copied into the dropins folder joins the running pipeline; removing the jar removes it. */
class DropinsTest {

    private static final String EXAMPLE_ID = "example_cleartext_login";

    @TempDir
    Path dropins;

    @Test
    void aJarDroppedInBecomesADetectorAndLeavesWithTheJar() throws IOException, InterruptedException {
        BundleContext context = Services.context();
        CaptureAnalyzer analyzer = Services.get(CaptureAnalyzer.class);
        List<String> problems = new ArrayList<>();
        DropinsFolder folder = new DropinsFolder(dropins, context, problems::add);

        Files.writeString(dropins.resolve("broken.jar"), "not a jar");
        Files.copy(DetectorBundlesTest.exampleJar(), dropins.resolve("example.jar"));
        folder.scan();
        assertTrue(waitFor(() -> ids(analyzer).contains(EXAMPLE_ID)), "detectors: " + ids(analyzer));
        assertEquals(1, problems.size(), "the broken jar is reported once: " + problems);
        assertTrue(problems.get(0).contains("broken.jar"), problems.get(0));
        folder.scan();
        assertEquals(1, problems.size(), "an unchanged broken jar is not reported again: " + problems);

        Files.delete(dropins.resolve("example.jar"));
        folder.scan();
        assertTrue(waitFor(() -> !ids(analyzer).contains(EXAMPLE_ID)), "detectors: " + ids(analyzer));
        assertTrue(folder.bundles().isEmpty());
        assertFalse(context.getBundles().length == 0);
    }

    private static List<String> ids(CaptureAnalyzer analyzer) {
        return analyzer.detectors().stream().map(DetectorInfo::id).toList();
    }

    private static boolean waitFor(java.util.function.BooleanSupplier condition) throws InterruptedException {
        for (int i = 0; i < 200 && !condition.getAsBoolean(); i++) {
            Thread.sleep(50);
        }
        return condition.getAsBoolean();
    }
}
