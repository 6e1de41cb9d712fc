package org.fusionml.data.descriptor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The k-nearest search against brute force, over several tiles and threads. */
class NearestNeighborsTest {
    private static final int PAIR_A = Fingerprint.pairKey(1, 1);
    private static final int PAIR_B = Fingerprint.pairKey(1, 8);

    /** Unit vectors with one or two species-pair blocks of width 6. */
    private static List<Fingerprint> random(int n, int duplicates, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        List<Fingerprint> fps = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            boolean two = rng.nextBoolean();
            double[] v = new double[two ? 12 : 6];
            double norm = 0;
            for (int k = 0; k < v.length; k++) {
                v[k] = rng.nextDouble(-1, 1);
                norm += v[k] * v[k];
            }
            for (int k = 0; k < v.length; k++) {
                v[k] /= Math.sqrt(norm);
            }
            fps.add(
                    two
                            ? new Fingerprint(new int[] {PAIR_A, PAIR_B}, new int[] {0, 6, 12}, v)
                            : new Fingerprint(new int[] {PAIR_A}, new int[] {0, 6}, v));
        }
        for (int d = 0; d < duplicates; d++) {
            fps.add(fps.get(7 * d));
        }
        return fps;
    }

    @Test
    void kNearestEqualBruteForceAcrossTilesAndThreads() {
        List<Fingerprint> fps = random(1650, 20, 3); // three tiles of 768
        int k = 5;
        int[][] got = NearestNeighbors.nearest(fps, k, 2);
        for (int i = 0; i < fps.size(); i++) {
            int self = i;
            Fingerprint fi = fps.get(i);
            double[] expected =
                    IntStream.range(0, fps.size())
                            .filter(j -> j != self)
                            .mapToDouble(j -> -fi.dot(fps.get(j)))
                            .sorted()
                            .limit(k)
                            .toArray();
            double[] actual = Arrays.stream(got[i]).mapToDouble(j -> -fi.dot(fps.get(j))).toArray();
            assertArrayEquals(expected, actual, 1e-12, "fingerprint " + i);
            assertEquals(k, Arrays.stream(got[i]).distinct().count(), "distinct, " + i);
            for (int j : got[i]) {
                assertNotEquals(i, j, "never itself");
            }
        }
        // an exact duplicate is the nearest (dot 1), on both sides
        assertEquals(1650, got[0][0]);
        assertEquals(0, got[1650][0]);
        assertEquals(7, got[1651][0]);
    }

    @Test
    void oneNearestIsTheSearchsNeighbour() {
        List<Fingerprint> fps = random(900, 5, 11);
        int[][] one = NearestNeighbors.nearest(fps, 1, 2);
        NearestNeighbors.Result r = NearestNeighbors.search(fps, 1);
        for (int i = 0; i < fps.size(); i++) {
            assertEquals(r.neighbor()[i], one[i][0], "fingerprint " + i);
        }
        assertThrows(IllegalArgumentException.class, () -> NearestNeighbors.nearest(fps, 0, 1));
        assertThrows(
                IllegalArgumentException.class, () -> NearestNeighbors.nearest(fps, fps.size(), 1));
    }
}
