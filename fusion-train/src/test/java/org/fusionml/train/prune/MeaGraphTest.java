package org.fusionml.train.prune;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class MeaGraphTest {
    @Test
    void separatesTwoWellSeparatedClustersIntoTwoComponents() {
        SplittableRandom rng = new SplittableRandom(11);
        int perCluster = 20;
        int f = 12;
        double[][] x = new double[2 * perCluster][f];
        for (int i = 0; i < x.length; i++) {
            int cluster = i % 2; // interleaved, so that node order does not give the answer away
            for (int j = 0; j < f; j++) {
                double centre = cluster == 0 ? (j < f / 2 ? 1.0 : 0.0) : (j < f / 2 ? 0.0 : 1.0);
                x[i][j] = centre + rng.nextGaussian() * 0.02;
            }
        }
        MeaGraph.Settings s = new MeaGraph.Settings(3, List.of(8, 4), 0.5, 1.0, 50, 1e-2, 100_000);
        MeaGraph.Clustering c = MeaGraph.cluster(x, s, 0);
        assertEquals(
                2 * perCluster * (perCluster - 1),
                c.bandEdges(),
                "the band graph is the two complete clusters");
        assertTrue(c.keptEdges() < c.bandEdges(), "the encoder pruned edges");
        assertEquals(2, c.clusters());
        for (int i = 0; i < x.length; i++) {
            assertEquals(i % 2, c.labels()[i], "node " + i);
        }
    }

    @Test
    void bandGraphFollowsTheNormalisedSimilarity() {
        // points on a line at 0, 1, 3: distances 1, 2, 3; s = exp(-d) min-max normalised over pairs
        double[][] x = {{0}, {1}, {3}};
        double sMin = Math.exp(-3);
        double range = Math.exp(-1) - sMin;
        double s02 = (Math.exp(-2) - sMin) / range; // pair (1, 2)
        assertTrue(s02 > 0.2 && s02 < 0.3, "hand value " + s02);
        int[][] all = MeaGraph.bandEdges(x, 0, 1, 100);
        assertEquals(6, all[0].length);
        int[][] close = MeaGraph.bandEdges(x, 0.2, 1, 100);
        // pairs (0,1) s = 1 and (1,2) s = s02, both directions; ordered by (dst, src)
        assertArrayEquals(new int[] {1, 0, 2, 1}, close[0]);
        assertArrayEquals(new int[] {0, 1, 1, 2}, close[1]);
        assertEquals(2, MeaGraph.bandEdges(x, 0.3, 1, 100)[0].length);
        assertThrows(
                IllegalArgumentException.class, () -> MeaGraph.bandEdges(x, 0, 1, 3), "edge cap");
    }

    @Test
    void componentsAreNumberedByTheirSmallestNode() {
        int[] labels = MeaGraph.components(6, new int[] {5, 4, 1}, new int[] {3, 5, 0});
        assertArrayEquals(new int[] {0, 0, 1, 2, 2, 2}, labels);
    }

    @Test
    void columnsAreScaledToUnitNorm() {
        double[][] n = MeaGraph.columnNormalised(new double[][] {{3, 0}, {4, 0}});
        assertArrayEquals(new double[] {0.6, 0}, n[0], 1e-15);
        assertArrayEquals(new double[] {0.8, 0}, n[1], 1e-15);
    }

    @Test
    void downSamplingReleasesClustersAtRatesProportionalToTheSquareRootOfTheirSize() {
        // cluster 0: 16 environments of structures 0..3 (4 each); cluster 1: one environment of
        // structure 4; cluster 2: 4 environments of structure 5.
        int[] labels = new int[21];
        int[] owner = new int[21];
        for (int i = 0; i < 16; i++) {
            owner[i] = i / 4;
        }
        labels[16] = 1;
        owner[16] = 4;
        for (int i = 17; i < 21; i++) {
            labels[i] = 2;
            owner[i] = 5;
        }
        int[] order = MeaGraph.keepOrder(labels, owner, 6, 0);
        // releases: cluster 0 at 1/4, 2/4, 3/4, 1, ...; cluster 2 at 1/2, 1, ...; cluster 1 at 1.
        // The singleton's structure (4) is kept by time 1, when cluster 0 has released 4 of 16.
        assertEquals(6, order.length);
        assertEquals(
                Set.of(0, 1, 2, 3, 4, 5), Arrays.stream(order).boxed().collect(Collectors.toSet()));
        int posSingleton = indexOf(order, 4);
        int posCluster2 = indexOf(order, 5);
        assertTrue(
                posCluster2 < posSingleton || posSingleton <= 3,
                "cluster 2 (released at 1/2) comes early");
        // Before time 1, only cluster 0 (3 releases) and cluster 2 (1 release) contribute.
        assertTrue(
                posSingleton <= 4, "the singleton is released at time 1, after at most 4 others");
        assertArrayEquals(order, MeaGraph.keepOrder(labels, owner, 6, 0), "deterministic");
    }

    private static int indexOf(int[] a, int v) {
        for (int i = 0; i < a.length; i++) {
            if (a[i] == v) {
                return i;
            }
        }
        return -1;
    }
}
