package org.fusionml.train.split;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The score of a model over the five official Matbench folds, in the layout of a Matbench v0.1
 * leaderboard entry: the mean, standard deviation, largest and smallest test MAE over the folds and
 * each fold's MAE ({@code matbench_folds.json} of {@code fusion train} with {@code data.split:
 * matbench_folds}).
 *
 * @param task dataset task, e.g. {@code matbench_jdft2d}
 * @param unit unit of every MAE, e.g. {@code meV/atom}
 * @param datasetSha256 SHA-256 of the dataset the folds were cut from
 * @param maeMean mean of the fold MAEs
 * @param maeStd population standard deviation (divisor n, as numpy's and Matbench's) of the fold
 *     MAEs
 * @param maeMax largest fold MAE
 * @param maeMin smallest fold MAE
 * @param foldMae test MAE of each fold, by {@code fold_K} (in fold order)
 * @param foldTestSize test structures of each fold, by {@code fold_K}
 */
public record FoldSummary(
        @JsonProperty("task") String task,
        @JsonProperty("unit") String unit,
        @JsonProperty("dataset_sha256") String datasetSha256,
        @JsonProperty("mae_mean") double maeMean,
        @JsonProperty("mae_std") double maeStd,
        @JsonProperty("mae_max") double maeMax,
        @JsonProperty("mae_min") double maeMin,
        @JsonProperty("fold_mae") Map<String, Double> foldMae,
        @JsonProperty("fold_test_size") Map<String, Integer> foldTestSize) {

    /** The file {@code fusion train} writes into its output folder. */
    public static final String FILE = "matbench_folds.json";

    public FoldSummary {
        Objects.requireNonNull(task, "task");
        Objects.requireNonNull(unit, "unit");
        Objects.requireNonNull(datasetSha256, "datasetSha256");
        foldMae = Collections.unmodifiableMap(new TreeMap<>(foldMae));
        foldTestSize = Collections.unmodifiableMap(new TreeMap<>(foldTestSize));
    }

    /**
     * The summary of {@code mae[k]}, fold k's test MAE over {@code testSize[k]} structures.
     *
     * @throws IllegalArgumentException when there are no folds or the arrays differ in length
     */
    public static FoldSummary of(
            String task, String unit, String datasetSha256, double[] mae, int[] testSize) {
        if (mae.length == 0 || mae.length != testSize.length) {
            throw new IllegalArgumentException(
                    mae.length + " fold MAEs and " + testSize.length + " test sizes");
        }
        double mean = Arrays.stream(mae).sum() / mae.length;
        double squares = Arrays.stream(mae).map(m -> (m - mean) * (m - mean)).sum();
        Map<String, Double> byFold = new LinkedHashMap<>();
        Map<String, Integer> sizes = new LinkedHashMap<>();
        for (int k = 0; k < mae.length; k++) {
            byFold.put("fold_" + k, mae[k]);
            sizes.put("fold_" + k, testSize[k]);
        }
        return new FoldSummary(
                task,
                unit,
                datasetSha256,
                mean,
                Math.sqrt(squares / mae.length),
                Arrays.stream(mae).max().getAsDouble(),
                Arrays.stream(mae).min().getAsDouble(),
                byFold,
                sizes);
    }

    /**
     * The leaderboard's table (MAE mean, std, max, min over the folds; 4 decimals, as the
     * leaderboard prints them), two header lines and one row.
     */
    public String table() {
        return String.format(
                Locale.ROOT,
                "| task | MAE mean | MAE std | MAE max | MAE min |%n"
                        + "|---|---|---|---|---|%n"
                        + "| %s (%s) | %.4f | %.4f | %.4f | %.4f |%n",
                task,
                unit,
                maeMean,
                maeStd,
                maeMax,
                maeMin);
    }
}
