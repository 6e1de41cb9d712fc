package org.fusionml.train.prune;

import java.util.Arrays;
import java.util.List;
import org.fusionml.data.descriptor.KernelEntropy;

/**
 * Dataset compression by a greedy minimum set cover over atomic environments (arXiv 2511.10561;
 * QUESTS's {@code msc}).
 *
 * <p>Every structure s is a set of environments (rows of descriptors) with its own entropy H_s
 * ({@link KernelEntropy#entropy}). The first pick is the structure of highest H_s. After each pick,
 * every environment e of the structures not yet selected accumulates K_e, its kernel sum against
 * all environments of the selected structures; a candidate scores -ln(min over its environments of
 * K_e) + H_s, i.e. the novelty of its least covered environment plus its own diversity, and the
 * highest score is taken. Where every kernel of an environment underflows, K_e = 0 and the score is
 * +infinity. Ties, infinite ones included, go to the first remaining structure in input order, as
 * numpy's argmax. Deterministic: there is no seed.
 */
public final class MinimumSetCover {
    private MinimumSetCover() {}

    /**
     * Selects {@code size} structures (all of them if fewer exist).
     *
     * @param environments [structures][environments][d] descriptors, e.g. QUESTS's
     * @param kernel the Gaussian kernel (bandwidth) and thread count
     * @return positions in {@code environments}, in selection order
     */
    public static int[] select(List<double[][]> environments, KernelEntropy kernel, int size) {
        int n = environments.size();
        int count = Math.min(size, n);
        int[] out = new int[count];
        if (count == 0) {
            return out;
        }
        double[] entropy = new double[n];
        int[] offset = new int[n + 1];
        for (int s = 0; s < n; s++) {
            entropy[s] = kernel.entropy(environments.get(s));
            offset[s + 1] = offset[s] + environments.get(s).length;
        }
        double[][] all = environments.stream().flatMap(Arrays::stream).toArray(double[][]::new);
        double[] covered = new double[all.length]; // K_e against the selected structures
        boolean[] selected = new boolean[n];
        int next = argmax(entropy, selected);
        for (int step = 0; step < count; step++) {
            out[step] = next;
            selected[next] = true;
            if (step + 1 == count) {
                break;
            }
            // Only the environments of remaining structures need their kernel sums updated.
            int remainingEnvs = 0;
            for (int s = 0; s < n; s++) {
                if (!selected[s]) {
                    remainingEnvs += offset[s + 1] - offset[s];
                }
            }
            double[][] rows = new double[remainingEnvs][];
            int[] where = new int[remainingEnvs];
            int r = 0;
            for (int s = 0; s < n; s++) {
                if (!selected[s]) {
                    for (int e = offset[s]; e < offset[s + 1]; e++) {
                        rows[r] = all[e];
                        where[r++] = e;
                    }
                }
            }
            double[] k = kernel.kernelSum(rows, environments.get(next));
            for (int q = 0; q < k.length; q++) {
                covered[where[q]] += k[q];
            }
            double[] score = new double[n];
            for (int s = 0; s < n; s++) {
                if (!selected[s]) {
                    double min = Double.POSITIVE_INFINITY;
                    for (int e = offset[s]; e < offset[s + 1]; e++) {
                        min = Math.min(min, covered[e]);
                    }
                    score[s] = -Math.log(min) + entropy[s];
                }
            }
            next = argmax(score, selected);
        }
        return out;
    }

    /** The first unselected position of the largest value (+infinity included). */
    private static int argmax(double[] values, boolean[] selected) {
        int best = -1;
        for (int s = 0; s < values.length; s++) {
            if (!selected[s] && (best < 0 || values[s] > values[best])) {
                best = s;
            }
        }
        return best;
    }
}
