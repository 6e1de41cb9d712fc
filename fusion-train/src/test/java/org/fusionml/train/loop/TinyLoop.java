package org.fusionml.train.loop;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.fusionml.train.config.ConfigLoader;
import org.fusionml.train.config.LoopConfig;

/** {@code configs/quickstart.yaml} made small enough for a test to run a loop in seconds. */
public final class TinyLoop {
    private TinyLoop() {}

    /** The quickstart loop, relative to a module's folder (where the tests run). */
    public static final Path QUICKSTART = Path.of("../configs/quickstart.yaml");

    /**
     * One epoch and widths of 8 for the surrogate and the target, a coarse SOAP: overrides in
     * {@code --set} form.
     */
    public static final List<String> SETTINGS =
            List.of(
                    "surrogate.train.epochs=1",
                    "surrogate.model.hidden=8",
                    "surrogate.model.embedding=8",
                    "surrogate.model.alignn_layers=1",
                    "surrogate.model.gcn_layers=1",
                    "target.train.epochs=1",
                    "target.model.hidden=8",
                    "target.model.embedding=8",
                    "scores.n_max=3",
                    "scores.l_max=2",
                    "scores.r_cut=4.0");

    /** {@link #SETTINGS} followed by {@code more} (the grid: methods, ratios, seeds, ...). */
    public static List<String> settings(String... more) {
        List<String> all = new ArrayList<>(SETTINGS);
        all.addAll(List.of(more));
        return all;
    }

    /** The quickstart loop with {@link #settings}. */
    public static LoopConfig config(String... more) {
        return ConfigLoader.load(QUICKSTART, settings(more), LoopConfig.class);
    }
}
