package org.fusionml.train.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.fusionml.data.io.AtomicFiles;
import org.fusionml.train.prune.PruningOptimizer;
import org.fusionml.train.score.ScoresTable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code fusion prune}: FUSION's Eq. 7 on a table of influences. */
@Command(
        name = "prune",
        mixinStandardHelpOptions = true,
        footer = {
            "",
            "Example:",
            "  fusion prune --scores scores.csv --ratio 0.2 --output removed.txt"
        },
        description = {
            "Chooses the structures to remove (FUSION Eq. 7) from a CSV with columns id,influence.",
            "Writes one removed id per line. The exact optimiser removes in ascending influence;",
            "--anneal runs the paper's simulated annealing instead and reports both objectives."
        })
final class PruneCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(
            names = "--scores",
            required = true,
            paramLabel = "FILE.csv",
            description = "CSV with a header and columns id,influence (influence >= 0).")
    Path scores;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Budget budget;

    static final class Budget {
        @Option(
                names = "--epsilon",
                description =
                        "Tolerance epsilon of Eq. 7: mean influence of the removed set over all"
                                + " structures.")
        Double epsilon;

        @Option(
                names = "--ratio",
                description =
                        "Fraction of structures to remove, in [0, 1] (converted exactly to"
                                + " epsilon).")
        Double ratio;
    }

    @Option(
            names = "--anneal",
            description = "Use simulated annealing instead of the exact optimiser.")
    boolean anneal;

    @Option(
            names = "--seed",
            defaultValue = "0",
            description = "Seed of the annealing (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(
            names = "--output",
            required = true,
            paramLabel = "REMOVED.txt",
            description = "Removed ids, one per line (written atomically).")
    Path output;

    @Override
    public Integer call() throws Exception {
        AtomicFiles.checkTarget(output); // before the work, not after it
        List<ScoresTable.Row> rows = ScoresTable.read(scores);
        List<String> ids = rows.stream().map(ScoresTable.Row::id).toList();
        double[] inf = rows.stream().mapToDouble(ScoresTable.Row::influence).toArray();
        double eps;
        if (budget.ratio != null) {
            if (!(budget.ratio >= 0 && budget.ratio <= 1)) {
                throw new UserException(
                        "fusion prune: --ratio (" + budget.ratio + ") must be in [0, 1]");
            }
            eps = PruningOptimizer.epsilonForRatio(inf, budget.ratio);
        } else {
            if (!(budget.epsilon >= 0)) {
                throw new UserException(
                        "fusion prune: --epsilon (" + budget.epsilon + ") must be >= 0");
            }
            eps = budget.epsilon;
        }
        int[] exact = PruningOptimizer.removeForEpsilon(inf, eps);
        int[] chosen =
                anneal
                        ? PruningOptimizer.anneal(
                                inf, eps, 200L * inf.length + 1_000_000L, 1.0, 1e-3, seed)
                        : exact;
        StringBuilder sb = new StringBuilder();
        for (int i : chosen) {
            sb.append(ids.get(i)).append('\n');
        }
        AtomicFiles.writeString(output, sb.toString());
        spec.commandLine()
                .getErr()
                .printf(
                        Locale.ROOT,
                        "epsilon %.6g: removed %d of %d (exact optimum %d)%n",
                        eps,
                        chosen.length,
                        inf.length,
                        exact.length);
        return 0;
    }
}
