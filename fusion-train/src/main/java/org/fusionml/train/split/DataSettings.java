package org.fusionml.train.split;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.fusionml.data.InvalidInputException;
import org.fusionml.data.Ranges;
import org.fusionml.data.dataset.CrystalDataset;
import org.fusionml.data.dataset.DatasetProvenance;
import org.fusionml.data.dataset.MatbenchTask;
import org.fusionml.data.dataset.Split;
import org.fusionml.data.dataset.Splits;

/**
 * Dataset and split.
 *
 * @param path Matbench json(.gz) file, or a folder of structure files (CIF, POSCAR) with an {@code
 *     id_prop.csv} as ALIGNN and CGCNN read them (no header; lines {@code file name,target}; a name
 *     without a file of that name is {@code name.cif}); empty for the embedded matbench_jdft2d
 * @param split {@code random}: val_fraction and test_fraction of the data, the test part fixed by
 *     test_seed; {@code matbench_fold_K} (K = 0..4): the official Matbench v0.1 fold K of the
 *     dataset's task, its test part Matbench's test part and its validation part val_fraction of
 *     the fold's training part, shuffled by split_seed (test_fraction and test_seed are unused; ids
 *     the dataset lacks, as in a subset, are left out); {@code matbench_folds}: {@code fusion
 *     train} trains on the five folds in turn and reports the mean, std, max and min test MAE over
 *     them, as the Matbench leaderboard does
 * @param valFraction validation fraction in [0, 1) (default 0.15)
 * @param testFraction test fraction in [0, 1) (default 0.15); val_fraction + test_fraction < 1
 * @param splitSeed seed of the train/validation shuffle (default 0)
 * @param testSeed seed that fixes the test set (default 42)
 */
public record DataSettings(
        @JsonProperty("path") String path,
        @JsonProperty("split")
                @JsonInclude(
                        value = JsonInclude.Include.CUSTOM,
                        valueFilter = DataSettings.RandomSplit.class)
                String split,
        @JsonProperty("val_fraction") Double valFraction,
        @JsonProperty("test_fraction") Double testFraction,
        @JsonProperty("split_seed") Long splitSeed,
        @JsonProperty("test_seed") Long testSeed) {

    /** The random split (the default). */
    public static final String RANDOM = "random";

    /** All five official Matbench folds in turn. */
    public static final String MATBENCH_FOLDS = "matbench_folds";

    /** Folds of every Matbench v0.1 task. */
    public static final int MATBENCH_FOLD_COUNT = 5;

    private static final Pattern MATBENCH_FOLD = Pattern.compile("matbench_fold_(\\d+)");

    public DataSettings {
        path = path == null ? "" : path;
        split = split == null ? RANDOM : split;
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
        if (!split.equals(RANDOM) && !split.equals(MATBENCH_FOLDS) && fold(split).isEmpty()) {
            throw new IllegalArgumentException(
                    "split '"
                            + split
                            + "' is not known; valid: "
                            + RANDOM
                            + ", matbench_fold_0 .. matbench_fold_"
                            + (MATBENCH_FOLD_COUNT - 1)
                            + ", "
                            + MATBENCH_FOLDS);
        }
    }

    /**
     * Leaves the default {@code random} out of written configurations, so that a configuration that
     * sets it and one that does not are written, and hashed, alike. (Jackson excludes a value when
     * this filter {@code equals} it.)
     */
    static final class RandomSplit {
        @Override
        public boolean equals(Object value) {
            return RANDOM.equals(value);
        }

        @Override
        public int hashCode() {
            return RANDOM.hashCode();
        }
    }

    public static DataSettings defaults() {
        return new DataSettings(null, null, null, null, null, null);
    }

    /** The same data with another split. */
    public DataSettings withSplit(String newSplit) {
        return new DataSettings(path, newSplit, valFraction, testFraction, splitSeed, testSeed);
    }

    /**
     * The unit of the target without reading the data, for reports: the embedded matbench_jdft2d's
     * (meV/atom) for an empty path, a Matbench task's ({@link MatbenchTask#unit}) for a file or
     * folder named as Matbench names them ({@link MatbenchTask#ofFileName}), else {@link
     * DatasetProvenance#UNKNOWN_UNIT}. Data recognised only by its target column when loaded gets
     * its unit in the model's provenance, not here.
     */
    public String targetUnit() {
        if (path.isEmpty()) {
            return MatbenchTask.JDFT2D.unit();
        }
        Path name = Path.of(path).toAbsolutePath().normalize().getFileName();
        return MatbenchTask.ofFileName(name == null ? "" : name.toString())
                .map(MatbenchTask::unit)
                .orElse(DatasetProvenance.UNKNOWN_UNIT);
    }

    /** True for {@code matbench_folds}: five trainings, one per official fold. */
    public boolean allMatbenchFolds() {
        return split.equals(MATBENCH_FOLDS);
    }

    /** The official fold K of {@code matbench_fold_K}; empty for the other splits. */
    public OptionalInt matbenchFold() {
        return fold(split);
    }

    private static OptionalInt fold(String split) {
        Matcher m = MATBENCH_FOLD.matcher(split);
        if (!m.matches() || m.group(1).length() > 1) {
            return OptionalInt.empty();
        }
        int k = Integer.parseInt(m.group(1));
        return k < MATBENCH_FOLD_COUNT ? OptionalInt.of(k) : OptionalInt.empty();
    }

    /**
     * The training / validation / test split of {@code data}: the random one, or one official
     * Matbench fold with its validation part carved from its training part.
     *
     * @throws InvalidInputException naming the data source when a Matbench fold is asked of data
     *     that is not a Matbench task's, or none of the fold's test ids is in the data
     * @throws IllegalStateException for {@code matbench_folds}, which is five splits ({@link
     *     #matbenchFolds})
     */
    public Split split(CrystalDataset data) {
        if (allMatbenchFolds()) {
            throw new IllegalStateException("split matbench_folds is five splits");
        }
        OptionalInt k = matbenchFold();
        if (k.isEmpty()) {
            return Splits.trainValTest(data.size(), valFraction, testFraction, splitSeed, testSeed);
        }
        return matbenchFolds(data).get(k.getAsInt());
    }

    /**
     * The five official Matbench folds of {@code data}, each with its validation part carved from
     * its training part (val_fraction, split_seed).
     *
     * @throws InvalidInputException as {@link #split}
     */
    public List<Split> matbenchFolds(CrystalDataset data) {
        String source = data.provenance().source();
        MatbenchTask task;
        try {
            task = MatbenchTask.of(data.provenance().task());
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException(
                    source,
                    null,
                    "data.split "
                            + split
                            + " needs the data of a Matbench task ("
                            + Arrays.stream(MatbenchTask.values())
                                    .map(MatbenchTask::taskName)
                                    .collect(Collectors.joining(", "))
                            + "; recognised by the file name), not '"
                            + data.provenance().task()
                            + "'");
        }
        List<Split> official = Splits.matbenchFolds(task, data);
        if (official.size() != MATBENCH_FOLD_COUNT) {
            throw new IllegalStateException(
                    task.taskName() + " has " + official.size() + " bundled folds, not 5");
        }
        List<Split> out = new ArrayList<>(official.size());
        for (int f = 0; f < official.size(); f++) {
            Split fold = official.get(f);
            if (fold.test().length == 0) {
                throw new InvalidInputException(
                        source,
                        null,
                        "none of the test ids of "
                                + task.taskName()
                                + " fold "
                                + f
                                + " is in this dataset (ids as Matbench's: mb-"
                                + task.taskName().substring("matbench_".length())
                                + "-...)");
            }
            out.add(Splits.withValidation(fold, valFraction, splitSeed));
        }
        return out;
    }
}
