package org.fusionml.train.prune;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Solves FUSION's Eq. 7: maximise sum_i w_i subject to (1/n) sum_i w_i I_i <= epsilon, w_i in {0,
 * 1} (w_i = 1 removes structure i), for influences I >= 0. An influence is 0 where Eq. 3's sigmoid
 * underflows (U = sigmoid(-beta / (alpha - 1)) is 0 in double precision once the expected variance
 * exceeds about 745, as for a structure the surrogate finds very noisy): such a structure costs
 * nothing to remove and goes first.
 *
 * <p><b>The exact optimum is greedy.</b> Sort I ascending: I_(1) <= ... <= I_(n). Removing the k
 * smallest is feasible iff S_k = sum_{j <= k} I_(j) <= n epsilon. Any feasible set R of size m has
 * sum_{i in R} I_i >= S_m, because the m smallest values have the smallest sum; so if a set of size
 * m is feasible, so is the prefix of size m. Hence the largest feasible size is k* = max{k : S_k <=
 * n epsilon} and the k* smallest influences form an optimal set. Ties in I are broken by index,
 * making the choice deterministic.
 *
 * <p>Exact conversion between epsilon and a pruning ratio r: removing k = floor(r n) structures
 * needs epsilon(r) = S_k / n, and epsilon gives k*(epsilon) as above; k*(epsilon(r)) = floor(r n)
 * unless influences tie at the boundary.
 */
public final class PruningOptimizer {
    private PruningOptimizer() {}

    /**
     * Indices ordered by ascending influence (ties by index): a stable merge sort of primitive
     * indices, O(n log n) time and two int arrays of memory (10^6 influences in well under a
     * second).
     */
    public static int[] ascending(double[] influence) {
        for (double v : influence) {
            if (!(v >= 0) || !Double.isFinite(v)) {
                throw new IllegalArgumentException(
                        "influences must be non-negative and finite, got " + v);
            }
        }
        int n = influence.length;
        int[] a = new int[n];
        for (int i = 0; i < n; i++) {
            a[i] = i;
        }
        int[] b = new int[n];
        for (int width = 1; width < n; width *= 2) {
            for (int lo = 0; lo < n; lo += 2 * width) {
                int mid = Math.min(lo + width, n);
                int hi = Math.min(lo + 2 * width, n);
                int i = lo;
                int j = mid;
                int k = lo;
                while (i < mid && j < hi) {
                    // stable: on equal influence the left run (smaller indices) goes first
                    b[k++] = influence[a[j]] < influence[a[i]] ? a[j++] : a[i++];
                }
                while (i < mid) {
                    b[k++] = a[i++];
                }
                while (j < hi) {
                    b[k++] = a[j++];
                }
            }
            int[] t = a;
            a = b;
            b = t;
        }
        return a;
    }

    /** The optimal set to remove under epsilon (sorted indices). */
    public static int[] removeForEpsilon(double[] influence, double epsilon) {
        int[] order = ascending(influence);
        int n = influence.length;
        double sum = 0;
        int k = 0;
        // (S_k / n <= epsilon) rather than (S_k <= epsilon n): the same division as
        // epsilonForRatio, so that epsilon(r) removes exactly floor(r n) when no influences tie
        while (k < n && (sum + influence[order[k]]) / n <= epsilon) {
            sum += influence[order[k]];
            k++;
        }
        int[] out = Arrays.copyOf(order, k);
        Arrays.sort(out);
        return out;
    }

    /** The floor(ratio n) structures of smallest influence (sorted indices). */
    public static int[] removeForRatio(double[] influence, double ratio) {
        if (!(ratio >= 0 && ratio <= 1)) {
            throw new IllegalArgumentException("ratio (" + ratio + ") must be in [0, 1]");
        }
        int k = (int) Math.floor(ratio * influence.length + 1e-9);
        int[] out = Arrays.copyOf(ascending(influence), k);
        Arrays.sort(out);
        return out;
    }

    /** epsilon(r) = S_k / n for k = floor(r n): the smallest tolerance that removes that many. */
    public static double epsilonForRatio(double[] influence, double ratio) {
        int k = (int) Math.floor(ratio * influence.length + 1e-9);
        int[] order = ascending(influence);
        double sum = 0;
        for (int j = 0; j < k; j++) {
            sum += influence[order[j]];
        }
        return sum / influence.length;
    }

    /** The pruning ratio k*(epsilon) / n reached by {@code epsilon}. */
    public static double ratioForEpsilon(double[] influence, double epsilon) {
        return (double) removeForEpsilon(influence, epsilon).length / influence.length;
    }

    /**
     * Simulated annealing on Eq. 7 (Kirkpatrick et al. 1983), as the paper solves it: states w in
     * {0, 1}^n; moves flip one w_i or swap a removed structure for a kept one (half of each);
     * energy -sum w + penalty * max(0, sum w I - n epsilon) with penalty 2 / min I; geometric
     * cooling from t0 to t1 over {@code steps}; the best feasible state seen is returned.
     *
     * @return sorted indices to remove
     */
    public static int[] anneal(
            double[] influence, double epsilon, long steps, double t0, double t1, long seed) {
        // Copying the best state at every improvement would cost O(n) per improvement, O(n^2) in
        // all; instead the walk records when its best state was reached and is replayed (the same
        // seed gives the same walk) up to that step: O(steps + n) time, O(n) memory.
        Walk first = new Walk(influence, epsilon, seed);
        long bestStep = -1;
        int bestCount = 0;
        double cool = Math.pow(t1 / t0, 1.0 / Math.max(1, steps));
        double t = t0;
        for (long s = 0; s < steps; s++, t *= cool) {
            if (first.step(t) && first.load <= first.budget && first.count > bestCount) {
                bestCount = first.count;
                bestStep = s;
            }
        }
        if (bestStep < 0) {
            return new int[0];
        }
        Walk again = new Walk(influence, epsilon, seed);
        t = t0;
        for (long s = 0; s <= bestStep; s++, t *= cool) {
            again.step(t);
        }
        int[] best = Arrays.copyOf(again.removed, again.count);
        Arrays.sort(best);
        return best;
    }

    /** The state of the annealing walk and its random stream. */
    private static final class Walk {
        final double[] influence;
        final int n;
        final double budget;
        final double penalty;
        final SplittableRandom rng;
        final boolean[] w;
        final int[] removed; // removed[0..count) lists the removed indices
        final int[] slot; // position of i in removed, -1 if kept
        double load;
        int count;

        Walk(double[] influence, double epsilon, long seed) {
            this.influence = influence;
            this.n = influence.length;
            this.budget = epsilon * n;
            // twice the count of the cheapest structure that costs anything (zero influences
            // are free: removing them never exceeds the budget)
            this.penalty = 2.0 / Arrays.stream(influence).filter(v -> v > 0).min().orElse(1);
            this.rng = new SplittableRandom(seed);
            this.w = new boolean[n];
            this.removed = new int[n];
            this.slot = new int[n];
            Arrays.fill(slot, -1);
        }

        /** One proposed move at temperature t; true when it was accepted. */
        boolean step(double t) {
            int i = rng.nextInt(n);
            int j = -1;
            double newLoad;
            int newCount;
            if (count > 0 && !w[i] && rng.nextBoolean()) {
                j = removed[rng.nextInt(count)]; // swap: keep j, remove i
                newLoad = load - influence[j] + influence[i];
                newCount = count;
            } else {
                newLoad = w[i] ? load - influence[i] : load + influence[i];
                newCount = w[i] ? count - 1 : count + 1;
            }
            double delta =
                    energy(newCount, newLoad, budget, penalty)
                            - energy(count, load, budget, penalty);
            if (delta <= 0 || rng.nextDouble() < Math.exp(-delta / t)) {
                if (j >= 0) {
                    toggle(j, w, removed, slot, count--);
                    count = toggle(i, w, removed, slot, count);
                } else {
                    count = toggle(i, w, removed, slot, count);
                }
                load = newLoad;
                return true;
            }
            return false;
        }
    }

    /** Flips w_i, keeping the removed list in step; returns the new count. */
    private static int toggle(int i, boolean[] w, int[] removed, int[] slot, int count) {
        if (w[i]) {
            int last = removed[count - 1];
            removed[slot[i]] = last;
            slot[last] = slot[i];
            slot[i] = -1;
            w[i] = false;
            return count - 1;
        }
        removed[count] = i;
        slot[i] = count;
        w[i] = true;
        return count + 1;
    }

    private static double energy(int count, double load, double budget, double penalty) {
        return load > budget ? -count + penalty * (load - budget) : -count;
    }
}
