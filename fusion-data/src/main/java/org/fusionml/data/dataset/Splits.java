package org.fusionml.data.dataset;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.fusionml.data.io.Sources;

/** Seeded dataset splits: train/validation/test, k-fold, and the official Matbench v0.1 folds. */
public final class Splits {
    /**
     * Class-path resource with the official Matbench v0.1 folds of jdft2d, dielectric, perovskites.
     */
    public static final String FOLDS_RESOURCE = "matbench_v0.1_folds_3tasks.json.gz";

    private Splits() {}

    /**
     * Train/validation/test split of {@code n} items. The test part depends on {@code testSeed}
     * alone, so it stays the same for every {@code seed}; the rest is shuffled with {@code seed}
     * into validation and training parts. Sizes: test = round(n * testFraction), validation =
     * round(n * valFraction), training = the rest.
     */
    public static Split trainValTest(
            int n, double valFraction, double testFraction, long seed, long testSeed) {
        if (!(valFraction >= 0) || !(testFraction >= 0) || valFraction + testFraction >= 1) {
            throw new IllegalArgumentException(
                    "fractions val="
                            + valFraction
                            + ", test="
                            + testFraction
                            + " must be >= 0 and sum to < 1");
        }
        int nTest = (int) Math.round(n * testFraction);
        int nVal = (int) Math.round(n * valFraction);
        int[] order = permutation(n, testSeed);
        int[] test = Arrays.copyOfRange(order, 0, nTest);
        int[] rest = Arrays.copyOfRange(order, nTest, n);
        Arrays.sort(rest);
        shuffle(rest, seed);
        return new Split(
                Arrays.copyOfRange(rest, nVal, rest.length),
                Arrays.copyOfRange(rest, 0, nVal),
                test);
    }

    /** The default split: 70 / 15 / 15 with the test part fixed by {@code testSeed}. */
    public static Split defaultSplit(int n, long seed, long testSeed) {
        return trainValTest(n, 0.15, 0.15, seed, testSeed);
    }

    /**
     * Leave-one-cluster-out (Meredig et al. 2018): the members of {@code cluster} form the test
     * part; the others are shuffled with {@code seed} into validation (round(valFraction * rest))
     * and training.
     *
     * @param labels cluster label of every item
     */
    public static Split leaveOneClusterOut(
            int[] labels, int cluster, double valFraction, long seed) {
        int[] test = IntStream.range(0, labels.length).filter(i -> labels[i] == cluster).toArray();
        if (test.length == 0) {
            throw new IllegalArgumentException("cluster " + cluster + " has no members");
        }
        int[] rest =
                shuffled(
                        IntStream.range(0, labels.length)
                                .filter(i -> labels[i] != cluster)
                                .toArray(),
                        seed);
        int nVal = (int) Math.round(rest.length * valFraction);
        return new Split(
                Arrays.copyOfRange(rest, nVal, rest.length),
                Arrays.copyOfRange(rest, 0, nVal),
                test);
    }

    /**
     * Shuffled k-fold cross-validation: fold f tests the f-th of k nearly equal parts of a seeded
     * permutation (the first n mod k parts one larger) and trains on the rest.
     */
    public static List<Split> kFold(int n, int k, long seed) {
        if (k < 2 || k > n) {
            throw new IllegalArgumentException("k (" + k + ") must be in 2.." + n);
        }
        int[] order = permutation(n, seed);
        List<Split> out = new ArrayList<>(k);
        int start = 0;
        for (int f = 0; f < k; f++) {
            int size = n / k + (f < n % k ? 1 : 0);
            int[] test = Arrays.copyOfRange(order, start, start + size);
            int[] train =
                    IntStream.concat(
                                    Arrays.stream(order, 0, start),
                                    Arrays.stream(order, start + size, n))
                            .toArray();
            out.add(new Split(train, new int[0], test));
            start += size;
        }
        return out;
    }

    /**
     * The official Matbench v0.1 folds of {@code task} mapped onto {@code dataset}'s indices. Ids
     * that the dataset lacks (a subset) are left out of both parts.
     */
    public static List<Split> matbenchFolds(MatbenchTask task, CrystalDataset dataset) {
        byte[] bytes = Sources.resource(Splits.class, FOLDS_RESOURCE);
        JsonNode splits;
        try (InputStream in = Sources.maybeGunzip(new ByteArrayInputStream(bytes))) {
            splits = new ObjectMapper().readTree(in).get("splits").get(task.taskName());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<Split> out = new ArrayList<>();
        for (int f = 0; splits.has("fold_" + f); f++) {
            JsonNode fold = splits.get("fold_" + f);
            out.add(
                    new Split(
                            indices(fold.get("train"), dataset),
                            new int[0],
                            indices(fold.get("test"), dataset)));
        }
        return out;
    }

    /**
     * {@code fold}'s training part split into training and validation: its training indices are
     * shuffled with {@code seed} and the first round(n_train * valFraction) become the validation
     * part; the test part is kept as it is. How an official Matbench fold, which has no validation
     * part, is trained with early stopping.
     */
    public static Split withValidation(Split fold, double valFraction, long seed) {
        if (!(valFraction >= 0 && valFraction < 1)) {
            throw new IllegalArgumentException(
                    "validation fraction " + valFraction + " is not in [0, 1)");
        }
        int[] rest = shuffled(fold.trainAndVal(), seed);
        int nVal = (int) Math.round(rest.length * valFraction);
        return new Split(
                Arrays.copyOfRange(rest, nVal, rest.length),
                Arrays.copyOfRange(rest, 0, nVal),
                fold.test());
    }

    private static int[] indices(JsonNode ids, CrystalDataset dataset) {
        List<Integer> out = new ArrayList<>(ids.size());
        for (JsonNode id : ids) {
            int i = dataset.indexOf(id.asText());
            if (i >= 0) {
                out.add(i);
            }
        }
        return out.stream().mapToInt(Integer::intValue).toArray();
    }

    /** A seeded permutation of 0..n-1 (Fisher-Yates with {@link SplittableRandom}). */
    public static int[] permutation(int n, long seed) {
        int[] p = IntStream.range(0, n).toArray();
        shuffle(p, seed);
        return p;
    }

    /**
     * A copy of {@code a} in a seeded random order (Fisher-Yates with {@link SplittableRandom}).
     */
    public static int[] shuffled(int[] a, long seed) {
        int[] c = a.clone();
        shuffle(c, seed);
        return c;
    }

    private static void shuffle(int[] a, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        for (int i = a.length - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }
}
