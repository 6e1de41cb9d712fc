package org.fusionml.train.report;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.fusionml.data.io.CsvTable;
import org.fusionml.train.loop.CellResult;

/**
 * The mean-predictor table ({@code shift.md|csv}): the test MAE of always predicting the mean
 * target of the pruned training part, per architecture, held-out cluster (one part in
 * distribution), method and ratio; nothing without cells that record it.
 */
final class ShiftTable {
    private ShiftTable() {}

    static void write(List<CellResult> cells, Path outDir) throws IOException {
        List<CellResult> known =
                cells.stream().filter(c -> !Double.isNaN(c.meanPredictorTestMae())).toList();
        if (known.isEmpty()) {
            return;
        }
        StringBuilder md =
                new StringBuilder(
                        "Test MAE of always predicting the pruned training part's mean target (mean"
                            + " over seeds; lower = the pruning moved the training targets' level"
                            + " towards the test part's)\n\n");
        CsvTable csv =
                new CsvTable(
                        "architecture",
                        "held_out_cluster",
                        "method",
                        "ratio",
                        "mean_train_target",
                        "mean_predictor_test_mae",
                        "cells");
        TreeSet<Integer> folds = new TreeSet<>();
        known.forEach(c -> folds.add(c.fold()));
        for (int fold : folds) {
            appendFold(md, csv, fold, known.stream().filter(c -> c.fold() == fold).toList());
        }
        Tables.write(outDir, "shift", md, csv);
    }

    /** The tables of one held-out cluster ({@code fold} -1 in distribution), per architecture. */
    private static void appendFold(
            StringBuilder md, CsvTable csv, int fold, List<CellResult> part) {
        var trainMeans = Tables.byArchitecture(part, CellResult::trainTargetMean);
        for (var arch : Tables.byArchitecture(part, CellResult::meanPredictorTestMae).entrySet()) {
            md.append("### ")
                    .append(arch.getKey())
                    .append(fold >= 0 ? ", held-out cluster " + fold : "")
                    .append("\n\n")
                    .append(Table1.markdown(arch.getValue()));
            appendCsvRows(csv, arch.getKey(), fold, arch.getValue(), trainMeans);
        }
    }

    /** The CSV rows of one architecture and cluster, with the mean training target of each. */
    private static void appendCsvRows(
            CsvTable csv,
            String architecture,
            int fold,
            Map<String, Map<Double, Map<String, Double>>> byMethod,
            Map<String, Map<String, Map<Double, Map<String, Double>>>> trainMeans) {
        for (var m : byMethod.entrySet()) {
            for (var r : m.getValue().entrySet()) {
                csv.add(
                        architecture,
                        Integer.toString(fold),
                        m.getKey(),
                        Tables.cell("%.4f", r.getKey()),
                        Tables.cell(
                                "%.6f",
                                Tables.mean(
                                        trainMeans
                                                .get(architecture)
                                                .get(m.getKey())
                                                .get(r.getKey()))),
                        Tables.cell("%.6f", Tables.mean(r.getValue())),
                        Integer.toString(r.getValue().size()));
            }
        }
    }
}
