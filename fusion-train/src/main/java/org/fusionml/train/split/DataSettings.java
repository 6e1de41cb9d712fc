package org.fusionml.train.split;

import com.fasterxml.jackson.annotation.JsonProperty;
import org.fusionml.data.Ranges;
import org.fusionml.data.dataset.Split;
import org.fusionml.data.dataset.Splits;

/**
 * Dataset and split.
 *
 * @param path Matbench json(.gz) file; empty for the embedded matbench_jdft2d
 * @param valFraction validation fraction in [0, 1) (default 0.15)
 * @param testFraction test fraction in [0, 1) (default 0.15); val_fraction + test_fraction < 1
 * @param splitSeed seed of the train/validation shuffle (default 0)
 * @param testSeed seed that fixes the test set (default 42)
 */
public record DataSettings(
        @JsonProperty("path") String path,
        @JsonProperty("val_fraction") Double valFraction,
        @JsonProperty("test_fraction") Double testFraction,
        @JsonProperty("split_seed") Long splitSeed,
        @JsonProperty("test_seed") Long testSeed) {
    public DataSettings {
        path = path == null ? "" : path;
        valFraction = valFraction == null ? 0.15 : valFraction;
        testFraction = testFraction == null ? 0.15 : testFraction;
        splitSeed = splitSeed == null ? 0L : splitSeed;
        testSeed = testSeed == null ? 42L : testSeed;
        Ranges.inRightOpen("data.val_fraction", valFraction, 0, 1, "");
        Ranges.inRightOpen("data.test_fraction", testFraction, 0, 1, "");
        if (!(valFraction + testFraction < 1)) {
            throw new IllegalArgumentException(
                    "data.val_fraction ("
                            + valFraction
                            + ") + data.test_fraction ("
                            + testFraction
                            + ") must be < 1: nothing would be left to train on");
        }
    }

    public static DataSettings defaults() {
        return new DataSettings(null, null, null, null, null);
    }

    /** The training / validation / test split of {@code n} structures. */
    public Split split(int n) {
        return Splits.trainValTest(n, valFraction, testFraction, splitSeed, testSeed);
    }
}
