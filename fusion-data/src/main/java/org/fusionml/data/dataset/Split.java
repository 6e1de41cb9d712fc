package org.fusionml.data.dataset;

import java.util.Arrays;
import java.util.function.IntPredicate;
import java.util.stream.IntStream;

/**
 * A partition of dataset indices into training, validation and test parts (each sorted).
 *
 * @param train [n_train] indices
 * @param val [n_val] indices (empty for plain train/test folds)
 * @param test [n_test] indices
 */
public record Split(int[] train, int[] val, int[] test) {
    public Split {
        train = sorted(train);
        val = sorted(val);
        test = sorted(test);
    }

    private static int[] sorted(int[] a) {
        int[] c = a.clone();
        Arrays.sort(c);
        return c;
    }

    @Override
    public int[] train() {
        return train.clone();
    }

    @Override
    public int[] val() {
        return val.clone();
    }

    @Override
    public int[] test() {
        return test.clone();
    }

    /** Training and validation indices together, sorted: the structures FUSION may prune. */
    public int[] trainAndVal() {
        int[] out = IntStream.concat(Arrays.stream(train), Arrays.stream(val)).toArray();
        Arrays.sort(out);
        return out;
    }

    /**
     * This split with {@code removed} (dataset indices) taken out of its training and validation
     * parts.
     */
    public Split without(int[] removed) {
        int[] gone = removed.clone();
        Arrays.sort(gone);
        IntPredicate kept = i -> Arrays.binarySearch(gone, i) < 0;
        return new Split(
                Arrays.stream(train).filter(kept).toArray(),
                Arrays.stream(val).filter(kept).toArray(),
                test);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Split s
                && Arrays.equals(train, s.train)
                && Arrays.equals(val, s.val)
                && Arrays.equals(test, s.test);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * Arrays.hashCode(train) + Arrays.hashCode(val)) + Arrays.hashCode(test);
    }

    @Override
    public String toString() {
        return "Split(train="
                + train.length
                + ", val="
                + val.length
                + ", test="
                + test.length
                + ")";
    }
}
