package org.fusionml.train.report;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.fusionml.data.io.CsvTable;
import org.fusionml.train.loop.CellResult;

/**
 * Whether the unpruned target learns ({@code unpruned.md|csv}): per architecture and held-out
 * cluster, the unpruned cells' mean test MAE against the mean predictor's (always predicting the
 * training part's mean target) on the same test part, and their ratio. A target near 1 has learnt
 * little, and pruning comparisons on it say little; with a bound, a ratio above it is a warning
 * that the report puts first.
 */
final class UnprunedTable {
    private UnprunedTable() {}

    /**
     * Writes the table and returns the warnings, one line each (empty when every ratio is within
     * {@code maxRatio}, or {@code maxRatio} is null).
     */
    static List<String> write(List<CellResult> cells, Path outDir, Double maxRatio)
            throws IOException {
        // architecture -> held-out cluster (-1 in distribution) -> unpruned cells
        Map<String, Map<Integer, List<CellResult>>> groups = new TreeMap<>();
        for (CellResult c : cells) {
            if (c.method().equals("none") && !Double.isNaN(c.meanPredictorTestMae())) {
                groups.computeIfAbsent(c.architecture(), k -> new TreeMap<>())
                        .computeIfAbsent(c.fold(), k -> new ArrayList<>())
                        .add(c);
            }
        }
        StringBuilder md =
                new StringBuilder(
                        "Unpruned target against the mean predictor (test MAE; ratio = target /"
                                + " mean predictor"
                                + (maxRatio == null
                                        ? ""
                                        : String.format(Locale.ROOT, ", bound %.2f", maxRatio))
                                + ")\n\n"
                                + "| architecture | held-out cluster | cells | unpruned | mean"
                                + " predictor | ratio | bound |\n"
                                + "| --- | --- | --- | --- | --- | --- | --- |\n");
        CsvTable csv =
                new CsvTable(
                        "architecture",
                        "held_out_cluster",
                        "cells",
                        "unpruned_test_mae",
                        "mean_predictor_test_mae",
                        "ratio",
                        "max_ratio",
                        "meets");
        List<String> warnings = new ArrayList<>();
        for (var arch : groups.entrySet()) {
            for (var g : arch.getValue().entrySet()) {
                String architecture = arch.getKey();
                String fold = g.getKey() < 0 ? "all" : Integer.toString(g.getKey());
                double unpruned =
                        Tables.average(g.getValue().stream().map(CellResult::testMae).toList());
                double meanPredictor =
                        Tables.average(
                                g.getValue().stream()
                                        .map(CellResult::meanPredictorTestMae)
                                        .toList());
                double ratio = unpruned / meanPredictor;
                boolean meets = maxRatio == null || ratio <= maxRatio;
                String verdict = maxRatio == null ? "" : meets ? "met" : "**MISSED**";
                md.append(
                        String.format(
                                Locale.ROOT,
                                "| %s | %s | %d | %.4g | %.4g | %.3f | %s |%n",
                                architecture,
                                fold,
                                g.getValue().size(),
                                unpruned,
                                meanPredictor,
                                ratio,
                                verdict));
                csv.add(
                        architecture,
                        fold,
                        Integer.toString(g.getValue().size()),
                        Tables.cell("%.6f", unpruned),
                        Tables.cell("%.6f", meanPredictor),
                        Tables.cell("%.6f", ratio),
                        maxRatio == null ? "" : Tables.cell("%.4f", maxRatio),
                        maxRatio == null ? "" : Boolean.toString(meets));
                if (!meets) {
                    warnings.add(
                            String.format(
                                    Locale.ROOT,
                                    "WARNING: the unpruned %s target%s reaches %.3f of the mean"
                                            + " predictor's test MAE, above the bound %.2f: it has"
                                            + " learnt too little for its pruning comparisons to"
                                            + " mean much",
                                    architecture,
                                    g.getKey() < 0 ? "" : " (held-out cluster " + fold + ")",
                                    ratio,
                                    maxRatio));
                }
            }
        }
        if (groups.isEmpty()) {
            md.append("\nNo unpruned cell with a mean predictor's MAE yet.\n");
        }
        Tables.write(outDir, "unpruned", md, csv);
        return warnings;
    }
}
