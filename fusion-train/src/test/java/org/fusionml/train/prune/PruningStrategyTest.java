package org.fusionml.train.prune;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.fusionml.data.dataset.CrystalDataset;
import org.fusionml.data.dataset.DatasetLoader;
import org.fusionml.data.dataset.Split;
import org.fusionml.data.dataset.Splits;
import org.fusionml.data.descriptor.Fingerprint;
import org.fusionml.data.descriptor.FingerprintBuilder;
import org.fusionml.data.descriptor.KernelEntropy;
import org.fusionml.data.descriptor.Quests;
import org.fusionml.data.descriptor.SiteEnvironments;
import org.fusionml.data.descriptor.SoapConfig;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class PruningStrategyTest {
    private static PruningInput input;
    private static Split split;
    private static List<Fingerprint> fps;

    @BeforeAll
    static void setUp() {
        CrystalDataset data =
                DatasetLoader.embeddedDefault().select(IntStream.range(0, 120).toArray());
        split = Splits.defaultSplit(data.size(), 0, 42);
        int[] candidates =
                IntStream.concat(Arrays.stream(split.train()), Arrays.stream(split.val()))
                        .sorted()
                        .toArray();
        FingerprintBuilder b = new FingerprintBuilder(new SoapConfig(4.0, 4, 3, 0.5, true), 0.01);
        fps = Arrays.stream(candidates).mapToObj(i -> b.build(data.get(i).structure())).toList();
        SplittableRandom rng = new SplittableRandom(4);
        double[] u = new double[candidates.length];
        double[] w = new double[candidates.length];
        double[] inf = new double[candidates.length];
        for (int k = 0; k < u.length; k++) {
            u[k] = rng.nextDouble(0.05, 0.95);
            w[k] = Math.exp(-rng.nextDouble(0, 0.5));
            inf[k] = u[k] / w[k];
        }
        input =
                new PruningInput(
                        candidates,
                        u,
                        w,
                        inf,
                        fps,
                        u.clone(),
                        Arrays.stream(candidates).mapToObj(i -> data.get(i).structure()).toList(),
                        data.provenance().sha256());
    }

    static List<PruningStrategy> all() {
        return List.of(
                PruningStrategy.fusion(),
                PruningStrategy.random(),
                PruningStrategy.uncertainty(),
                PruningStrategy.weightingFactor(),
                PruningStrategy.diversity(),
                PruningStrategy.committee(),
                PruningStrategy.minimumSetCover(Quests.defaults(), new KernelEntropy(0.015, 2)),
                smallMeaGraph());
    }

    /** MEAGraph with small SOAP and few training steps, to keep the test short. */
    static PruningStrategy smallMeaGraph() {
        return PruningStrategy.meaGraph(
                new SiteEnvironments.Builder(new SoapConfig(4.0, 4, 3, 0.5, true), 0.01),
                new MeaGraph.Settings(2, List.of(16, 8), 0.85, 1.0, 10, 1e-3, 1_000_000));
    }

    @Test
    void meaGraphIsDeterministicForASeedAcrossFreshStrategies() {
        int[] a = smallMeaGraph().prune(input, 0.4, 3).removed();
        assertArrayEquals(a, smallMeaGraph().prune(input, 0.4, 3).removed());
        assertFalse(
                Arrays.equals(a, smallMeaGraph().prune(input, 0.4, 4).removed()),
                "the seed matters");
    }

    @Test
    void everyStrategyRemovesTheRightNumberOfCandidatesAndNeverTheTestSet() {
        Set<Integer> test = new HashSet<>();
        Arrays.stream(split.test()).forEach(test::add);
        double[] before = input.influence().clone();
        for (PruningStrategy s : all()) {
            for (double r : new double[] {0, 0.2, 0.8}) {
                Pruning p = s.prune(input, r, 5);
                assertEquals(input.removeCount(r), p.removed().length, s.name());
                assertEquals(input.size(), p.removed().length + p.kept().length);
                Set<Integer> union = new HashSet<>();
                Arrays.stream(p.removed()).forEach(union::add);
                Arrays.stream(p.kept()).forEach(union::add);
                assertEquals(input.size(), union.size());
                for (int i : union) {
                    assertFalse(test.contains(i), s.name() + " touched test structure " + i);
                }
                assertEquals(s.name(), p.method());
                assertEquals(input.sourceSha256(), p.sourceSha256());
                assertArrayEquals(
                        p.removed(),
                        s.prune(input, r, 5).removed(),
                        s.name() + " is deterministic for a seed");
            }
        }
        assertArrayEquals(before, input.influence(), "input untouched");
        assertFalse(
                Arrays.equals(
                        PruningStrategy.random().prune(input, 0.5, 1).removed(),
                        PruningStrategy.random().prune(input, 0.5, 2).removed()));
    }

    /** Random pruning must not follow the split's own shuffle (same seed, same candidates). */
    @Test
    void randomPruningKeepsMostOfTheValidationPart() {
        Pruning p = PruningStrategy.random().prune(input, 0.2, 0);
        long valRemoved =
                Arrays.stream(split.val())
                        .filter(i -> Arrays.binarySearch(p.removed(), i) >= 0)
                        .count();
        assertTrue(
                valRemoved < split.val().length / 2,
                valRemoved + " of " + split.val().length + " validation structures removed");
    }

    @Test
    void scoreStrategiesRemoveTheRightEnds() {
        Pruning f = PruningStrategy.fusion().prune(input, 0.25, 0);
        double maxRemoved =
                Arrays.stream(positions(f.removed()))
                        .mapToDouble(p -> input.influence()[p])
                        .max()
                        .orElseThrow();
        double minKept =
                Arrays.stream(positions(f.kept()))
                        .mapToDouble(p -> input.influence()[p])
                        .min()
                        .orElseThrow();
        assertTrue(maxRemoved <= minKept);
        Pruning w = PruningStrategy.weightingFactor().prune(input, 0.25, 0);
        double minRemovedW =
                Arrays.stream(positions(w.removed()))
                        .mapToDouble(p -> input.weighting()[p])
                        .min()
                        .orElseThrow();
        double maxKeptW =
                Arrays.stream(positions(w.kept()))
                        .mapToDouble(p -> input.weighting()[p])
                        .max()
                        .orElseThrow();
        assertTrue(minRemovedW >= maxKeptW);
    }

    @Test
    void farthestPointSamplingEqualsBruteForce() {
        int n = fps.size();
        double[][] d = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                d[i][j] = 1 - fps.get(i).dot(fps.get(j));
            }
        }
        int first = new SplittableRandom(PruningStrategy.salted(9, "diversity")).nextInt(n);
        List<Integer> chosen = new ArrayList<>(List.of(first));
        while (chosen.size() < 30) {
            int best = -1;
            double bestD = -1;
            for (int i = 0; i < n; i++) {
                if (chosen.contains(i)) {
                    continue;
                }
                double m = Double.POSITIVE_INFINITY;
                for (int c : chosen) {
                    m = Math.min(m, d[c][i]);
                }
                if (m > bestD) {
                    bestD = m;
                    best = i;
                }
            }
            chosen.add(best);
        }
        assertArrayEquals(
                chosen.stream().mapToInt(Integer::intValue).toArray(),
                PruningStrategy.farthestPoints(fps, 30, 9));
    }

    private static int[] positions(int[] datasetIndices) {
        int[] c = input.candidates();
        return Arrays.stream(datasetIndices).map(i -> Arrays.binarySearch(c, i)).toArray();
    }
}
