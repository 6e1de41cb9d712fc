package org.fusionml.train.prune;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.fusionml.data.dataset.Splits;
import org.fusionml.data.descriptor.Fingerprint;
import org.fusionml.data.descriptor.KernelEntropy;
import org.fusionml.data.descriptor.Quests;
import org.fusionml.data.descriptor.SiteEnvironments;

/** A way of choosing floor(ratio n) candidates to remove. Implementations never mutate input. */
public interface PruningStrategy {
    String name();

    Pruning prune(PruningInput input, double ratio, long seed);

    /** FUSION: the exact optimum of Eq. 7, i.e. the smallest influences I = U / W. */
    static PruningStrategy fusion() {
        return new PruningStrategy() {
            public String name() {
                return "fusion";
            }

            public Pruning prune(PruningInput in, double ratio, long seed) {
                require(in.influence(), "influence");
                return Pruning.of(
                        in,
                        PruningOptimizer.removeForRatio(in.influence(), ratio),
                        name(),
                        ratio,
                        seed);
            }
        };
    }

    /** Random pruning: a seeded uniform sample of the candidates. */
    static PruningStrategy random() {
        return new PruningStrategy() {
            public String name() {
                return "random";
            }

            public Pruning prune(PruningInput in, double ratio, long seed) {
                int k = in.removeCount(ratio);
                // A stream of its own: the same seed also shuffles the split, and with it the
                // random order of the sorted candidates would reproduce the validation part first.
                int[] order = Splits.permutation(in.size(), salted(seed, name()));
                return Pruning.of(in, Arrays.copyOf(order, k), name(), ratio, seed);
            }
        };
    }

    /** Uncertainty sampling: removes the lowest U (Eq. 3). */
    static PruningStrategy uncertainty() {
        return new PruningStrategy() {
            public String name() {
                return "uncertainty";
            }

            public Pruning prune(PruningInput in, double ratio, long seed) {
                require(in.uncertainty(), "uncertainty");
                return Pruning.of(
                        in, lowest(in.uncertainty(), in.removeCount(ratio)), name(), ratio, seed);
            }
        };
    }

    /** Weighting factor only: removes the highest W (Eq. 5), the most redundant structures. */
    static PruningStrategy weightingFactor() {
        return new PruningStrategy() {
            public String name() {
                return "weighting_factor";
            }

            public Pruning prune(PruningInput in, double ratio, long seed) {
                require(in.weighting(), "weighting");
                double[] negated = Arrays.stream(in.weighting()).map(w -> -w).toArray();
                return Pruning.of(in, lowest(negated, in.removeCount(ratio)), name(), ratio, seed);
            }
        };
    }

    /**
     * Query by committee (Beluch et al. 2018): removes the structures on which an ensemble of
     * surrogates (5 in the paper) disagrees least, i.e. the lowest standard deviation of their
     * predictions.
     */
    static PruningStrategy committee() {
        return new PruningStrategy() {
            public String name() {
                return "committee";
            }

            public Pruning prune(PruningInput in, double ratio, long seed) {
                require(in.disagreement(), "committee disagreement");
                return Pruning.of(
                        in, lowest(in.disagreement(), in.removeCount(ratio)), name(), ratio, seed);
            }
        };
    }

    /**
     * Diversity sampling: farthest point sampling (Eldar et al. 1997) on the fingerprints with the
     * cosine distance, from a seeded first point; keeps the n - floor(ratio n) points it selects.
     */
    static PruningStrategy diversity() {
        return new PruningStrategy() {
            public String name() {
                return "diversity";
            }

            public Pruning prune(PruningInput in, double ratio, long seed) {
                if (in.fingerprints() == null) {
                    throw new IllegalArgumentException("diversity sampling needs fingerprints");
                }
                int keep = in.size() - in.removeCount(ratio);
                return Pruning.of(
                        in,
                        complement(farthestPoints(in.fingerprints(), keep, seed), in.size()),
                        name(),
                        ratio,
                        seed);
            }
        };
    }

    /**
     * Minimum set cover over atomic environments (arXiv 2511.10561): keeps the n - floor(ratio n)
     * structures that {@link MinimumSetCover} selects first on the QUESTS descriptors of their
     * environments. Deterministic; the seed is only recorded.
     *
     * @param descriptor the environment descriptor (QUESTS: k = 32, cutoff 5 A)
     * @param kernel bandwidth (QUESTS: 0.015) and threads
     */
    static PruningStrategy minimumSetCover(Quests descriptor, KernelEntropy kernel) {
        return new PruningStrategy() {
            public String name() {
                return "msc";
            }

            // The selection is greedy, so a smaller selection is a prefix of a larger one: one run
            // per input.
            private PruningInput last;
            private int[] order = new int[0];

            public synchronized Pruning prune(PruningInput in, double ratio, long seed) {
                if (in.structures() == null) {
                    throw new IllegalArgumentException(
                            "minimum set cover needs the candidates' structures");
                }
                int keep = in.size() - in.removeCount(ratio);
                if (in != last || order.length < keep) {
                    List<double[][]> envs =
                            in.structures().stream().map(descriptor::compute).toList();
                    order = MinimumSetCover.select(envs, kernel, keep);
                    last = in;
                }
                return Pruning.of(
                        in, complement(Arrays.copyOf(order, keep), in.size()), name(), ratio, seed);
            }
        };
    }

    /**
     * MEAGraph (arXiv 2509.12358): clusters the candidates' atomic environments (species-agnostic
     * SOAP per symmetry class) with the MEAGraph autoencoder and keeps the n - floor(ratio n)
     * structures its down-sampling rule ({@link MeaGraph}) keeps first. The seed initialises the
     * autoencoder and orders the environments within each cluster.
     */
    static PruningStrategy meaGraph(
            SiteEnvironments.Builder environments, MeaGraph.Settings settings) {
        return new PruningStrategy() {
            public String name() {
                return "meagraph";
            }

            // One clustering per (input, seed); smaller selections are prefixes of larger ones.
            private PruningInput last;
            private List<SiteEnvironments> envs;
            private final Map<Long, int[]> orders = new HashMap<>();

            public synchronized Pruning prune(PruningInput in, double ratio, long seed) {
                if (in.structures() == null) {
                    throw new IllegalArgumentException("MEAGraph needs the candidates' structures");
                }
                if (in != last) {
                    envs = in.structures().stream().map(environments::build).toList();
                    orders.clear();
                    last = in;
                }
                int[] order =
                        orders.computeIfAbsent(seed, s -> MeaGraph.keepOrder(envs, settings, s));
                int keep = in.size() - in.removeCount(ratio);
                return Pruning.of(
                        in, complement(Arrays.copyOf(order, keep), in.size()), name(), ratio, seed);
            }
        };
    }

    /** Positions 0..n-1 that are not in {@code kept}, ascending. */
    static int[] complement(int[] kept, int n) {
        boolean[] in = new boolean[n];
        for (int p : kept) {
            in[p] = true;
        }
        return IntStream.range(0, n).filter(p -> !in[p]).toArray();
    }

    /**
     * Farthest point sampling: start at a seeded random point, then repeatedly add the point whose
     * cosine distance to the selected set (its nearest selected point) is largest; ties go to the
     * smallest index. Returns positions in selection order.
     */
    static int[] farthestPoints(List<Fingerprint> points, int count, long seed) {
        int n = points.size();
        int[] out = new int[Math.min(count, n)];
        if (out.length == 0) {
            return out;
        }
        double[] nearest = new double[n];
        Arrays.fill(nearest, Double.POSITIVE_INFINITY);
        boolean[] chosen = new boolean[n];
        int next = new SplittableRandom(salted(seed, "diversity")).nextInt(n);
        for (int s = 0; s < out.length; s++) {
            out[s] = next;
            chosen[next] = true;
            Fingerprint f = points.get(next);
            int best = -1;
            for (int i = 0; i < n; i++) {
                if (!chosen[i]) {
                    nearest[i] = Math.min(nearest[i], 1 - f.dot(points.get(i)));
                    if (best < 0 || nearest[i] > nearest[best]) {
                        best = i;
                    }
                }
            }
            next = best;
        }
        return out;
    }

    /** A seed for one use of {@code seed}, decorrelated from other uses of the same value. */
    static long salted(long seed, String use) {
        return new SplittableRandom(seed ^ (0x9E3779B97F4A7C15L * use.hashCode())).nextLong();
    }

    private static int[] lowest(double[] values, int k) {
        return Arrays.copyOf(
                IntStream.range(0, values.length)
                        .boxed()
                        .sorted(
                                (a, b) ->
                                        values[a] != values[b]
                                                ? Double.compare(values[a], values[b])
                                                : Integer.compare(a, b))
                        .mapToInt(Integer::intValue)
                        .toArray(),
                k);
    }

    private static void require(double[] scores, String what) {
        if (scores == null) {
            throw new IllegalArgumentException("this strategy needs the " + what + " scores");
        }
    }
}
