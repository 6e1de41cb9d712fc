package org.fusionml.train.report;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.fusionml.train.prune.PruningOptimizer;
import org.fusionml.train.score.ScoresTable;

/**
 * What drove a pruning and what it removed: the distribution of U, W and I over the candidates, how
 * I ranks against U and against 1 / W, and how many removed structures lost their nearest neighbour
 * in fingerprint space too (a whole cluster gone rather than one of two near-duplicates).
 */
public final class PruningDiagnostics {
    /** The quantile levels reported for U, W and I. */
    public static final double[] LEVELS = {0.05, 0.25, 0.5, 0.75, 0.95};

    private PruningDiagnostics() {}

    /**
     * The candidates' scores in summary.
     *
     * @param candidates number of scored candidates
     * @param uncertainty quantiles of U (Eq. 3) at {@link #LEVELS}
     * @param weighting quantiles of W (Eq. 5)
     * @param influence quantiles of I = U / W (Eq. 6)
     * @param spearmanWithU Spearman's rho of I with U
     * @param spearmanWithInverseW Spearman's rho of I with 1 / W
     */
    public record ScoreSummary(
            int candidates,
            double[] uncertainty,
            double[] weighting,
            double[] influence,
            double spearmanWithU,
            double spearmanWithInverseW) {}

    /** The summary of a scores table. */
    public static ScoreSummary summarise(List<ScoresTable.Row> rows) {
        int n = rows.size();
        double[] u = new double[n];
        double[] w = new double[n];
        double[] inverseW = new double[n];
        double[] i = new double[n];
        for (int k = 0; k < n; k++) {
            ScoresTable.Row r = rows.get(k);
            u[k] = r.uncertainty();
            w[k] = r.weighting();
            inverseW[k] = 1 / r.weighting();
            i[k] = r.influence();
        }
        return new ScoreSummary(
                n,
                quantiles(u),
                quantiles(w),
                quantiles(i),
                n < 2 ? Double.NaN : Statistics.spearman(i, u),
                n < 2 ? Double.NaN : Statistics.spearman(i, inverseW));
    }

    /**
     * How a scoring variant's pruning differs from the loop's own, on the same candidates.
     *
     * @param spearmanOfInfluence Spearman's rho of the variant's I with the loop's I
     * @param summary the variant's own score summary
     * @param jaccard per ratio, |A and B| / |A or B| of the structures FUSION removes under the two
     *     scorings (the floor(ratio n) smallest I of each); 1: the same set
     */
    public record VariantOverlap(
            double spearmanOfInfluence, ScoreSummary summary, Map<Double, Double> jaccard) {}

    /**
     * Compares {@code variant}'s scores with {@code base}'s (matched by id) at {@code ratios}.
     *
     * @throws IllegalArgumentException when the two tables score different candidates
     */
    public static VariantOverlap compare(
            List<ScoresTable.Row> base, List<ScoresTable.Row> variant, List<Double> ratios) {
        Map<String, Double> byId = new HashMap<>();
        for (ScoresTable.Row r : variant) {
            byId.put(r.id(), r.influence());
        }
        int n = base.size();
        double[] a = new double[n];
        double[] b = new double[n];
        for (int k = 0; k < n; k++) {
            Double v = byId.get(base.get(k).id());
            if (v == null || variant.size() != n) {
                throw new IllegalArgumentException(
                        "the scoring variant scores other candidates than the loop's scores");
            }
            a[k] = base.get(k).influence();
            b[k] = v;
        }
        Map<Double, Double> jaccard = new TreeMap<>();
        for (double r : ratios) {
            jaccard.put(
                    r,
                    jaccard(
                            PruningOptimizer.removeForRatio(a, r),
                            PruningOptimizer.removeForRatio(b, r)));
        }
        return new VariantOverlap(
                n < 2 ? Double.NaN : Statistics.spearman(a, b), summarise(variant), jaccard);
    }

    /** |A and B| / |A or B| of two sets of indices (1 when both are empty). */
    public static double jaccard(int[] a, int[] b) {
        Set<Integer> union = new HashSet<>();
        Set<Integer> first = new HashSet<>();
        for (int i : a) {
            first.add(i);
            union.add(i);
        }
        int both = 0;
        for (int i : b) {
            if (first.contains(i)) {
                both++;
            }
            union.add(i);
        }
        return union.isEmpty() ? 1.0 : (double) both / union.size();
    }

    /**
     * A histogram as fractions of {@code values} in {@code bins} equal bins spanning [{@code lo},
     * {@code hi}]; values outside that range are counted in the first or last bin (so the fractions
     * sum to 1 when every value is finite), non-finite values not at all. A value on an inner bin
     * edge belongs to the bin above it.
     *
     * @return the fraction per bin, length {@code bins}
     */
    public static double[] histogram(double[] values, int bins, double lo, double hi) {
        if (bins < 1 || !(hi > lo)) {
            throw new IllegalArgumentException(
                    "histogram: need bins >= 1 and hi > lo, got " + bins + ", " + lo + ", " + hi);
        }
        double[] fraction = new double[bins];
        if (values.length == 0) {
            return fraction;
        }
        for (double v : values) {
            if (Double.isFinite(v)) {
                int b = (int) Math.floor((v - lo) / (hi - lo) * bins);
                fraction[Math.max(0, Math.min(bins - 1, b))] += 1.0 / values.length;
            }
        }
        return fraction;
    }

    private static double[] quantiles(double[] values) {
        double[] q = new double[LEVELS.length];
        for (int k = 0; k < q.length; k++) {
            q[k] = Statistics.quantile(values, LEVELS[k]);
        }
        return q;
    }
}
