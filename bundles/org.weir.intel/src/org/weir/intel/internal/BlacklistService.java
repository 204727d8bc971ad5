package org.weir.intel.internal;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Modified;
import org.weir.intel.BlacklistSource;
import org.weir.intel.Blacklists;
import org.weir.intel.FeedException;
import org.weir.intel.FeedHolder;
import org.weir.intel.FeedSignature;

/**
 * {@link Blacklists} over one merged {@link RangeIndex}. Configuration (PID {@code org.weir.intel.blacklists}):
 * {@code files} (each read as {@link BlacklistSource#of(Path)}), {@code torExitFiles} (line lists tagged
 * {@code tor_exit_node}) and {@code publicKey} (base64 Ed25519 key; when set, every file must be signed).
 */
@Component(service = Blacklists.class, configurationPid = "org.weir.intel.blacklists",
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
public final class BlacklistService implements Blacklists {

    /** Component configuration. */
    public @interface Config {
        String[] files() default {};

        String[] torExitFiles() default {};

        String publicKey() default "";
    }

    private record State(RangeIndex index, List<ListInfo> lists) {
    }

    private final FeedHolder<State> state = new FeedHolder<>(new State(RangeIndex.EMPTY, List.of()));

    @Activate
    @Modified
    void configure(Config config) {
        List<BlacklistSource> sources = new ArrayList<>();
        try {
            java.security.PublicKey key = config.publicKey().isBlank() ? null
                    : FeedSignature.publicKey(config.publicKey());
            for (String f : config.files()) {
                sources.add(BlacklistSource.of(Path.of(f)).signedBy(key));
            }
            for (String f : config.torExitFiles()) {
                sources.add(BlacklistSource.of(Path.of(f)).asTorExits(true).signedBy(key));
            }
            load(sources);
        } catch (FeedException | IllegalArgumentException e) {
            // kept in lastError() (feed errors); the previous lists stay in force
        }
    }

    @Override
    public void load(List<BlacklistSource> sources) throws FeedException {
        state.reload(() -> {
            RangeIndex.Builder builder = new RangeIndex.Builder();
            List<BlacklistParser.Loaded> loaded = new ArrayList<>();
            List<Path> files = new ArrayList<>();
            for (BlacklistSource s : sources) {
                byte[] data = FeedSignature.readVerified(s.file(), s.publicKey());
                List<BlacklistParser.Loaded> got = s.format() == BlacklistSource.Format.EDAMAME_JSON
                        ? BlacklistParser.parseEdamame(s.file(), data, builder)
                        : List.of(BlacklistParser.parseLines(s.file(), data, s.name(), s.torExits(), builder));
                loaded.addAll(got);
                got.forEach(g -> files.add(s.file()));
            }
            RangeIndex index = builder.build();
            List<ListInfo> infos = new ArrayList<>();
            for (int i = 0; i < loaded.size(); i++) {
                BlacklistParser.Loaded l = loaded.get(i);
                infos.add(new ListInfo(l.name(), l.tag(), l.entries(), index.rangesOf(l.list()), files.get(i)));
            }
            return new State(index, List.copyOf(infos));
        });
    }

    @Override
    public List<String> lists(long hi, long lo) {
        RangeIndex index = state.get().index();
        return index.names(index.find(hi, lo));
    }

    @Override
    public List<String> tags(long hi, long lo) {
        RangeIndex index = state.get().index();
        return index.tags(index.find(hi, lo));
    }

    @Override
    public List<ListInfo> loaded() {
        return state.get().lists();
    }

    @Override
    public Optional<FeedException> lastError() {
        return state.lastError();
    }

    /** Distinct segments in the merged index (for sizing reports). */
    public int segments() {
        return state.get().index().segments();
    }
}
