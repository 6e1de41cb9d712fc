package org.fusionml.train.prune;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.fusionml.data.descriptor.NearestNeighbors;

/**
 * FUSION with coverage (beyond the paper): Eq. 7's order, lowest influence I = U / W first, under
 * the constraint that every removed structure keeps one of its m nearest candidates in fingerprint
 * space (cosine distance of F(x), as Eq. 5).
 *
 * <p>Why: W is large for a structure whose nearest neighbour is close, and both members of a close
 * pair (or a whole tight cluster) then have a low I; the paper's FUSION removes them together, so a
 * region of the dataset goes entirely (the report's neighbour loss shows it). Here a structure is
 * removed only while something near it stays.
 *
 * <p>Greedy in ascending I (ties to the smaller position): candidate c is removed when at least one
 * of its m nearest is still kept and every removed structure that counts c among its m nearest
 * keeps another of them; it stops at floor(ratio n). m is the smallest of 1, 2, 3, 4, 6, 8, 12, 16,
 * ... (about x1.5 a step) with which the greedy reaches that count; m = n - 1 always does, since
 * then the constraint only asks that one candidate stays. With m = 1, no removed structure loses
 * its nearest neighbour. The m chosen is recorded as the pruning's {@code neighbours} parameter.
 * Deterministic; the seed is only recorded.
 */
final class CoverageAwareFusion implements PruningStrategy {
    static final String NAME = "fusion_coverage";

    private final int threads;

    CoverageAwareFusion(int threads) {
        this.threads = threads;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Pruning prune(PruningInput in, double ratio, long seed) {
        if (in.influence() == null || in.fingerprints() == null) {
            throw new IllegalArgumentException(NAME + " needs the influences and fingerprints");
        }
        int n = in.size();
        int k = in.removeCount(ratio);
        int[] order = PruningOptimizer.ascending(in.influence());
        int[] removed = new int[0];
        int m = 0;
        if (k > 0) {
            int[][] lists = null;
            for (m = 1; ; m = Math.min(n - 1, Math.max(m + 1, m * 3 / 2))) {
                if (lists == null || lists[0].length < m) {
                    int width = Math.min(n - 1, Math.max(32, 4 * m));
                    lists = NearestNeighbors.nearest(in.fingerprints(), width, threads);
                }
                removed = greedy(order, lists, m, k);
                if (removed.length == k || m == n - 1) {
                    break;
                }
            }
        }
        if (removed.length != k) {
            throw new IllegalStateException(
                    NAME + " removed " + removed.length + " of " + k + " with m = n - 1");
        }
        Pruning base = Pruning.of(in, removed, NAME, ratio, seed);
        Map<String, Object> parameters = new LinkedHashMap<>(base.parameters());
        parameters.put("neighbours", m);
        return new Pruning(
                base.removed(), base.kept(), NAME, parameters, seed, base.sourceSha256());
    }

    /**
     * The greedy of the class comment with the first {@code m} entries of each candidate's
     * nearest-neighbour list; returns the removed positions (at most {@code k}).
     */
    static int[] greedy(int[] order, int[][] nearest, int m, int k) {
        int n = nearest.length;
        List<List<Integer>> countedBy = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            countedBy.add(new ArrayList<>());
        }
        for (int i = 0; i < n; i++) {
            for (int s = 0; s < m; s++) {
                countedBy.get(nearest[i][s]).add(i);
            }
        }
        int[] keptNear = new int[n]; // of each candidate's m nearest, how many are kept
        Arrays.fill(keptNear, m);
        boolean[] gone = new boolean[n];
        int[] out = new int[k];
        int count = 0;
        for (int c : order) {
            if (count == k) {
                break;
            }
            if (keptNear[c] < 1) {
                continue;
            }
            boolean orphans = false;
            for (int r : countedBy.get(c)) {
                if (gone[r] && keptNear[r] < 2) {
                    orphans = true;
                    break;
                }
            }
            if (orphans) {
                continue;
            }
            gone[c] = true;
            out[count++] = c;
            for (int r : countedBy.get(c)) {
                keptNear[r]--;
            }
        }
        return Arrays.copyOf(out, count);
    }
}
