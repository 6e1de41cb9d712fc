package org.fusionml.train.prune;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.fusionml.data.descriptor.Fingerprint;
import org.fusionml.data.descriptor.NearestNeighbors;
import org.junit.jupiter.api.Test;

class CoverageAwareFusionTest {
    @Test
    void twoClosePairsLoseOneMemberEach() {
        // 0-1 and 2-3 are mutual nearest pairs; I ascending 0, 1, 2, 3
        int[][] nearest = {{1, 2}, {0, 3}, {3, 0}, {2, 1}};
        int[] order = {0, 1, 2, 3};
        assertArrayEquals(new int[] {0, 2}, CoverageAwareFusion.greedy(order, nearest, 1, 2));
        // plain FUSION would take 0 and 1; with m = 2, 1 still has 3 near it
        assertArrayEquals(new int[] {0, 1}, CoverageAwareFusion.greedy(order, nearest, 2, 2));
        // with m = 1 no third removal keeps every removed structure's nearest
        assertArrayEquals(new int[] {0, 2}, CoverageAwareFusion.greedy(order, nearest, 1, 3));
    }

    /** Unit vectors in 6 dimensions, a few of them near-copies of others (tight pairs). */
    private static List<Fingerprint> fingerprints(int n, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        List<double[]> vs = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            double[] v = new double[6];
            if (i % 3 == 2) {
                double[] base = vs.get(i - 1);
                for (int k = 0; k < 6; k++) {
                    v[k] = base[k] + rng.nextDouble(-0.01, 0.01);
                }
            } else {
                for (int k = 0; k < 6; k++) {
                    v[k] = rng.nextDouble(-1, 1);
                }
            }
            double norm = Math.sqrt(Arrays.stream(v).map(x -> x * x).sum());
            vs.add(Arrays.stream(v).map(x -> x / norm).toArray());
        }
        int key = Fingerprint.pairKey(1, 1);
        return vs.stream().map(v -> new Fingerprint(new int[] {key}, new int[] {0, 6}, v)).toList();
    }

    @Test
    void everyRemovedStructureKeepsOneOfItsNearestAndTheCountIsExact() {
        int n = 300;
        List<Fingerprint> fps = fingerprints(n, 5);
        SplittableRandom rng = new SplittableRandom(9);
        double[] influence = new double[n];
        for (int i = 0; i < n; i++) {
            // near-copies get the lowest influences, as a high W gives them
            influence[i] = (i % 3 == 0 ? 0 : 1) + rng.nextDouble();
        }
        int[] candidates = IntStream.range(0, n).map(i -> 1000 + i).toArray();
        PruningInput in =
                new PruningInput(candidates, null, null, influence, fps, null, null, "sha");
        int[][] all = NearestNeighbors.nearest(fps, n - 1, 1);
        PruningStrategy coverage = PruningMethods.create("fusion_coverage", context());
        for (double ratio : new double[] {0.2, 0.5, 0.8}) {
            Pruning p = coverage.prune(in, ratio, 0);
            int m = (Integer) p.parameters().get("neighbours");
            assertEquals(in.removeCount(ratio), p.removed().length, "ratio " + ratio);
            Set<Integer> gone = new HashSet<>();
            for (int r : p.removed()) {
                gone.add(r - 1000);
            }
            for (int r : gone) {
                boolean covered = false;
                for (int s = 0; s < m; s++) {
                    covered |= !gone.contains(all[r][s]);
                }
                assertTrue(covered, "ratio " + ratio + ": " + r + " kept none of its " + m);
            }
            if (m > 1) { // the smallest m: one fewer does not reach the count
                int[] order = PruningOptimizer.ascending(influence);
                int before = 1; // the m tried before: 1, 2, 3, 4, 6, 9, 13, ...
                while (Math.max(before + 1, before * 3 / 2) < m) {
                    before = Math.max(before + 1, before * 3 / 2);
                }
                assertTrue(
                        CoverageAwareFusion.greedy(order, all, before, gone.size()).length
                                < gone.size(),
                        "ratio " + ratio + ", m " + m);
            }
        }
        // at 20 % m = 1 suffices here: no removed structure's nearest neighbour went
        assertEquals(1, coverage.prune(in, 0.2, 0).parameters().get("neighbours"));
    }

    @Test
    void withoutClosePairsItIsFusion() {
        int n = 60;
        List<Fingerprint> fps = fingerprints(n, 2);
        double[] influence = new double[n];
        int[][] nearest = NearestNeighbors.nearest(fps, 1, 1);
        // the lowest influences on structures whose nearest neighbours all have high ones
        Set<Integer> low = new HashSet<>();
        for (int i = 0; i < n && low.size() < 5; i++) {
            int candidate = i;
            if (!low.contains(nearest[i][0])
                    && low.stream().noneMatch(j -> nearest[j][0] == candidate)) {
                low.add(i);
            }
        }
        for (int i = 0; i < n; i++) {
            influence[i] = low.contains(i) ? 0.1 * (i + 1) / n : 1 + i;
        }
        PruningInput in =
                new PruningInput(
                        IntStream.range(0, n).toArray(),
                        null,
                        null,
                        influence,
                        fps,
                        null,
                        null,
                        "sha");
        double ratio = 5.0 / n;
        assertArrayEquals(
                PruningStrategy.fusion().prune(in, ratio, 0).removed(),
                PruningMethods.create("fusion_coverage", context()).prune(in, ratio, 0).removed());
    }

    private static PruningMethods.Context context() {
        return new PruningMethods.Context(null, null, null, 0.01, 1);
    }
}
