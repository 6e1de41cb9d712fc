package org.fusionml.train.loop;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.fusionml.data.InvalidInputException;
import org.fusionml.data.io.AtomicFiles;
import org.fusionml.train.score.ScoresTable;

/**
 * The outcome of one loop cell, {@code cells/NAME.json}: written by the loop and read by the report
 * through this one type. Sizes count structures; MAEs are in the target's unit.
 *
 * @param method pruning method; {@code none} for the unpruned training (ratio 0)
 * @param ratio pruning ratio in [0, 1)
 * @param epsilon the Eq. 7 tolerance of that ratio under the fold's influences
 * @param seed seed of pruning and target training
 * @param architecture target model type
 * @param fold held-out cluster for OOD loops, -1 in distribution
 * @param removed candidates removed
 * @param trainSize training structures left
 * @param valSize validation structures left
 * @param testSize test structures
 * @param testMae test MAE
 * @param testRmse test RMSE
 * @param valMae validation MAE of the restored best epoch
 * @param epochs epochs trained
 * @param trainTargetMean mean target of the pruned training part (NaN in cells that lack it)
 * @param meanPredictorTestMae test MAE of always predicting that mean (NaN where lacking)
 * @param sourceSha256 SHA-256 of the dataset file
 * @param configSha256 hash of the settings that decide the cell's result (see {@link
 *     LoopDirectory}); null in cells written before it was kept
 * @param neighbourLoss the fraction of removed structures whose nearest candidate in fingerprint
 *     space was removed too ({@link ScoresTable#neighbourLoss}); null when nothing was removed or
 *     in cells written before it was kept
 */
@JsonPropertyOrder({
    "method",
    "ratio",
    "epsilon",
    "seed",
    "architecture",
    "fold",
    "removed",
    "train_size",
    "val_size",
    "test_size",
    "test_mae",
    "test_rmse",
    "val_mae",
    "epochs",
    "train_target_mean",
    "mean_predictor_test_mae",
    "source_sha256",
    "config_sha256",
    "neighbour_loss"
})
public record CellResult(
        @JsonProperty("method") String method,
        @JsonProperty("ratio") double ratio,
        @JsonProperty("epsilon") double epsilon,
        @JsonProperty("seed") long seed,
        @JsonProperty("architecture") String architecture,
        @JsonProperty("fold") int fold,
        @JsonProperty("removed") int removed,
        @JsonProperty("train_size") int trainSize,
        @JsonProperty("val_size") int valSize,
        @JsonProperty("test_size") int testSize,
        @JsonProperty("test_mae") double testMae,
        @JsonProperty("test_rmse") double testRmse,
        @JsonProperty("val_mae") double valMae,
        @JsonProperty("epochs") int epochs,
        @JsonProperty("train_target_mean") double trainTargetMean,
        @JsonProperty("mean_predictor_test_mae") double meanPredictorTestMae,
        @JsonProperty("source_sha256") String sourceSha256,
        @JsonProperty("config_sha256") @JsonInclude(JsonInclude.Include.NON_NULL)
                String configSha256,
        @JsonProperty("neighbour_loss") @JsonInclude(JsonInclude.Include.NON_NULL)
                Double neighbourLoss) {

    private static final ObjectMapper JSON =
            new ObjectMapper().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    /** Binds a cell file; keys that older cells lack take NaN, -1 or alignn. */
    @JsonCreator
    static CellResult bind(
            @JsonProperty("method") String method,
            @JsonProperty("ratio") Double ratio,
            @JsonProperty("epsilon") Double epsilon,
            @JsonProperty("seed") Long seed,
            @JsonProperty("architecture") String architecture,
            @JsonProperty("fold") Integer fold,
            @JsonProperty("removed") Integer removed,
            @JsonProperty("train_size") Integer trainSize,
            @JsonProperty("val_size") Integer valSize,
            @JsonProperty("test_size") Integer testSize,
            @JsonProperty("test_mae") Double testMae,
            @JsonProperty("test_rmse") Double testRmse,
            @JsonProperty("val_mae") Double valMae,
            @JsonProperty("epochs") Integer epochs,
            @JsonProperty("train_target_mean") Double trainTargetMean,
            @JsonProperty("mean_predictor_test_mae") Double meanPredictorTestMae,
            @JsonProperty("source_sha256") String sourceSha256,
            @JsonProperty("config_sha256") String configSha256,
            @JsonProperty("neighbour_loss") Double neighbourLoss) {
        if (method == null || ratio == null || seed == null || testMae == null) {
            throw new IllegalArgumentException("a cell needs method, ratio, seed and test_mae");
        }
        return new CellResult(
                method,
                ratio,
                nan(epsilon),
                seed,
                architecture == null ? "alignn" : architecture,
                fold == null ? -1 : fold,
                zero(removed),
                zero(trainSize),
                zero(valSize),
                zero(testSize),
                testMae,
                nan(testRmse),
                nan(valMae),
                zero(epochs),
                nan(trainTargetMean),
                nan(meanPredictorTestMae),
                sourceSha256,
                configSha256,
                neighbourLoss);
    }

    private static double nan(Double v) {
        return v == null ? Double.NaN : v;
    }

    private static int zero(Integer v) {
        return v == null ? 0 : v;
    }

    /** A cell with only what the report reads (tests, hand-made results). */
    public static CellResult of(
            String method,
            double ratio,
            long seed,
            String architecture,
            int fold,
            double testMae,
            double trainTargetMean,
            double meanPredictorTestMae) {
        return new CellResult(
                method,
                ratio,
                Double.NaN,
                seed,
                architecture,
                fold,
                0,
                0,
                0,
                0,
                testMae,
                Double.NaN,
                Double.NaN,
                0,
                trainTargetMean,
                meanPredictorTestMae,
                null,
                null,
                null);
    }

    /**
     * As {@link #of(String, double, long, String, int, double, double, double)} without the shift.
     */
    public static CellResult of(
            String method, double ratio, long seed, String architecture, int fold, double testMae) {
        return of(method, ratio, seed, architecture, fold, testMae, Double.NaN, Double.NaN);
    }

    /** The key that pairs cells of two methods in a paired test: seed and held-out cluster. */
    public String pairKey() {
        return seed + "/" + fold;
    }

    /** Writes the cell to {@code file} atomically. */
    public void write(Path file) throws IOException {
        AtomicFiles.writeString(
                file, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(this));
    }

    /**
     * Reads one cell file.
     *
     * @throws InvalidInputException naming the file when it is not a cell
     */
    public static CellResult read(Path file) throws IOException {
        try {
            return JSON.readValue(file.toFile(), CellResult.class);
        } catch (JacksonException e) {
            throw new InvalidInputException(
                    file.toString(), null, "not a loop cell: " + e.getOriginalMessage());
        }
    }

    /**
     * Every cell of a loop folder ({@code cells/*.json}, by file name); none when there is no such
     * folder.
     */
    public static List<CellResult> readAll(Path loopDir) throws IOException {
        List<CellResult> out = new ArrayList<>();
        Path cells = loopDir.resolve("cells");
        if (!Files.isDirectory(cells)) {
            return out;
        }
        try (Stream<Path> files = Files.list(cells)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".json")).sorted().toList()) {
                out.add(read(f));
            }
        }
        return out;
    }
}
