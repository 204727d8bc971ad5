package org.weir.intel.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Modified;
import org.weir.intel.FeedException;
import org.weir.intel.FeedHolder;
import org.weir.intel.FeedSignature;
import org.weir.intel.ServiceNames;

/**
 * {@link ServiceNames} as one array of names per protocol indexed by port. Starts with the table shipped in the
 * bundle ({@code services.txt}); configuration (PID {@code org.weir.intel.services}): {@code file}, an
 * {@code /etc/services}-format file used instead.
 */
@Component(service = ServiceNames.class, configurationPid = "org.weir.intel.services",
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
public final class ServiceTable implements ServiceNames {

    /** Component configuration. */
    public @interface Config {
        String file() default "";
    }

    static final String BUNDLED = "services.txt";

    private record Table(String[] tcp, String[] udp, String[] sctp) {
    }

    private final FeedHolder<Table> table;

    public ServiceTable() {
        table = new FeedHolder<>(bundled());
    }

    @Activate
    @Modified
    void configure(Config config) {
        try {
            if (config.file().isBlank()) {
                reset();
            } else {
                load(Path.of(config.file()));
            }
        } catch (FeedException e) {
            // kept in lastError(); the previous table stays in force
        }
    }

    @Override
    public String name(int port, int ipProtocol) {
        if (port < 0 || port > 0xFFFF) {
            return null;
        }
        Table t = table.get();
        return switch (ipProtocol) {
            case 6 -> t.tcp()[port];
            case 17 -> t.udp()[port];
            case 132 -> t.sctp()[port];
            default -> null;
        };
    }

    @Override
    public void load(Path servicesFile) throws FeedException {
        table.reload(() -> parse(servicesFile, FeedSignature.readVerified(servicesFile, null)));
    }

    @Override
    public void reset() {
        table.set(bundled());
    }

    @Override
    public java.util.Optional<FeedException> lastError() {
        return table.lastError();
    }

    private static Table bundled() {
        try (InputStream in = ServiceTable.class.getResourceAsStream(BUNDLED)) {
            if (in == null) {
                throw new IllegalStateException("bundled service table " + BUNDLED + " missing from the bundle");
            }
            return parse(Path.of(BUNDLED), in.readAllBytes());
        } catch (IOException e) {
            throw new IllegalStateException("bundled service table unreadable: " + e.getMessage(), e);
        }
    }

    /** {@code name port/proto [aliases] [# comment]}; the first name listed for a port wins, as in getservbyport. */
    static Table parse(Path file, byte[] data) throws FeedException {
        Table t = new Table(new String[65536], new String[65536], new String[65536]);
        String[] lines = new String(data, StandardCharsets.UTF_8).split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            int hash = line.indexOf('#');
            String body = (hash >= 0 ? line.substring(0, hash) : line).strip();
            if (body.isEmpty()) {
                continue;
            }
            String[] f = body.split("\\s+");
            int col = line.indexOf(f.length > 1 ? f[1] : f[0]) + 1;
            if (f.length < 2) {
                throw new FeedException(file, i + 1, col, "expected 'name port/protocol', found '" + body + "'");
            }
            int slash = f[1].indexOf('/');
            int port;
            try {
                port = slash > 0 ? Integer.parseInt(f[1].substring(0, slash)) : -1;
            } catch (NumberFormatException e) {
                port = -1;
            }
            if (port < 0 || port > 0xFFFF) {
                throw new FeedException(file, i + 1, col, "bad port/protocol '" + f[1] + "'");
            }
            String[] target = switch (f[1].substring(slash + 1)) {
                case "tcp" -> t.tcp();
                case "udp" -> t.udp();
                case "sctp" -> t.sctp();
                default -> null; // ddp and other protocols Weir does not see
            };
            if (target != null && target[port] == null) {
                target[port] = f[0].intern();
            }
        }
        return t;
    }
}
