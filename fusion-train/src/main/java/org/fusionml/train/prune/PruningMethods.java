package org.fusionml.train.prune;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.fusionml.data.descriptor.KernelEntropy;
import org.fusionml.data.descriptor.Quests;
import org.fusionml.data.descriptor.SiteEnvironments;
import org.fusionml.data.descriptor.SoapConfig;

/**
 * The registry of pruning methods: the name a configuration or command line uses, and the strategy
 * it builds. The one list of method names in the framework.
 */
public final class PruningMethods {
    private PruningMethods() {}

    /**
     * What a method may need besides the pruning input.
     *
     * @param msc minimum-set-cover settings
     * @param meagraph MEAGraph settings
     * @param soap SOAP settings of the site environments (MEAGraph)
     * @param symprec symmetry tolerance of the site classes, Angstrom (MEAGraph)
     * @param threads worker threads (minimum set cover's kernel entropies)
     */
    public record Context(
            MscSettings msc,
            MeaGraphSettings meagraph,
            SoapConfig soap,
            double symprec,
            int threads) {}

    private static final Map<String, Function<Context, PruningStrategy>> FACTORIES = factories();

    /** Every method's name, in the order reports list them. */
    public static final List<String> NAMES = List.copyOf(FACTORIES.keySet());

    /**
     * The methods a loop runs when its configuration names none: FUSION and the paper's baselines.
     */
    public static final List<String> DEFAULTS =
            List.of("fusion", "random", "uncertainty", "weighting_factor", "diversity");

    private static Map<String, Function<Context, PruningStrategy>> factories() {
        Map<String, Function<Context, PruningStrategy>> m = new LinkedHashMap<>();
        m.put("fusion", c -> PruningStrategy.fusion());
        m.put(CoverageAwareFusion.NAME, c -> new CoverageAwareFusion(c.threads()));
        m.put("random", c -> PruningStrategy.random());
        m.put("uncertainty", c -> PruningStrategy.uncertainty());
        m.put("weighting_factor", c -> PruningStrategy.weightingFactor());
        m.put("diversity", c -> PruningStrategy.diversity());
        m.put("committee", c -> PruningStrategy.committee());
        m.put(
                "msc",
                c ->
                        PruningStrategy.minimumSetCover(
                                new Quests(c.msc().k(), c.msc().cutoff()),
                                new KernelEntropy(c.msc().bandwidth(), c.threads())));
        m.put(
                "meagraph",
                c ->
                        PruningStrategy.meaGraph(
                                new SiteEnvironments.Builder(c.soap(), c.symprec()),
                                c.meagraph().settings()));
        return Collections.unmodifiableMap(m);
    }

    /**
     * The methods that prune by the FUSION scores (U, W, I) and so take a scoring variant, {@code
     * METHOD@VARIANT}.
     */
    public static final List<String> SCORE_BASED =
            List.of("fusion", CoverageAwareFusion.NAME, "uncertainty", "weighting_factor");

    /** The method of {@code name} without its scoring variant ({@code fusion@x}: fusion). */
    public static String base(String name) {
        int at = name.indexOf('@');
        return at < 0 ? name : name.substring(0, at);
    }

    /** The scoring variant of {@code name} ({@code fusion@x}: x), or null. */
    public static String variant(String name) {
        int at = name.indexOf('@');
        return at < 0 ? null : name.substring(at + 1);
    }

    /** Whether {@code name} is a method. */
    public static boolean isKnown(String name) {
        return FACTORIES.containsKey(name);
    }

    /**
     * The strategy named {@code name}.
     *
     * @throws IllegalArgumentException naming the valid methods when {@code name} is not one
     */
    public static PruningStrategy create(String name, Context context) {
        Function<Context, PruningStrategy> f = FACTORIES.get(name);
        if (f == null) {
            throw new IllegalArgumentException(
                    "pruning method '"
                            + name
                            + "' is not known; valid: "
                            + String.join(", ", NAMES));
        }
        return f.apply(context);
    }
}
