package org.weir.triage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.Bundle;
import org.osgi.framework.FrameworkUtil;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;
import org.osgi.util.tracker.ServiceTracker;
import org.weir.core.DataFolder;
import org.weir.core.Transport;
import org.weir.testsupport.Services;
import org.weir.testsupport.TestSession;

/** The triage store as the framework's DS service: found, configured through Configuration Admin, persistent. */
class TriageServiceTest {

    private static final long WAIT_MILLIS = 30_000;

    @TempDir
    Path dir;

    @Test
    void theServiceKeepsItsDecisionsInTheConfiguredFileAcrossRestarts() throws Exception {
        Path file = dir.resolve("decisions.json");
        ConfigurationAdmin admin = Services.get(ConfigurationAdmin.class);
        Configuration config = admin.getConfiguration(Triage.PID, "?");
        ServiceTracker<Triage, Triage> tracker = new ServiceTracker<>(Services.context(), Triage.class, null);
        tracker.open();
        try {
            config.update(new Hashtable<>(Map.of(Triage.FILE, file.toString())));
            Triage first = await(tracker, t -> file.equals(t.file()));
            first.dismissPort("53/udp", "resolver");
            first.acknowledgeSession("C9", true);
            assertTrue(Files.isRegularFile(file), "saved at once");

            // Restart the component (disable, enable): the new instance loads the file.
            ServiceComponentRuntime scr = Services.get(ServiceComponentRuntime.class);
            Bundle bundle = FrameworkUtil.getBundle(Triage.class);
            ComponentDescriptionDTO component = scr.getComponentDescriptionDTO(bundle, Triage.class.getName());
            assertNotNull(component, "Triage is a DS component of " + bundle.getSymbolicName());
            scr.disableComponent(component).getValue();
            scr.enableComponent(component).getValue();
            Triage second = await(tracker, t -> t != first && file.equals(t.file()));

            assertNotSame(first, second);
            assertEquals(List.of("53/udp"), second.dismissals().stream().map(Dismissal::value).toList());
            assertEquals(Status.DISMISSED,
                    second.status(new TestSession("10.0.0.1", 40000, "10.0.0.53", 53, Transport.UDP)));
            assertEquals(Status.ACKNOWLEDGED,
                    second.status(new TestSession("10.0.0.1", 40000, "10.0.0.2", 443, Transport.TCP).uid("C9")));
        } finally {
            config.delete();
            tracker.close();
        }
    }

    @Test
    void withoutAConfiguredFileTheDecisionsLiveInWeirsDataFolder() {
        assertEquals(DataFolder.path().resolve("triage.json"), Triage.fileOf(Map.of()));
        assertEquals(DataFolder.path().resolve("team/triage.json"),
                Triage.fileOf(Map.of(Triage.FILE, "team/triage.json")));
        Path absolute = dir.resolve("t.json").toAbsolutePath();
        assertEquals(absolute, Triage.fileOf(Map.of(Triage.FILE, absolute.toString())));
    }

    /** The registered service once it satisfies the condition (configuration changes restart the component). */
    private static Triage await(ServiceTracker<Triage, Triage> tracker, Predicate<Triage> condition)
            throws InterruptedException {
        long deadline = System.currentTimeMillis() + WAIT_MILLIS;
        while (System.currentTimeMillis() < deadline) {
            Triage t = tracker.getService();
            if (t != null && condition.test(t)) {
                return t;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no Triage service as expected within " + WAIT_MILLIS / 1000 + " s; now: "
                + tracker.getService());
    }
}
