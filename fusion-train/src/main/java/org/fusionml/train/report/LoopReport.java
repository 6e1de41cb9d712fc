package org.fusionml.train.report;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.fusionml.data.dataset.DatasetProvenance;
import org.fusionml.data.io.AtomicFiles;
import org.fusionml.data.io.CsvTable;
import org.fusionml.train.loop.CellResult;

/**
 * The paper's tables and figures from the finished cells of a loop, so it can be rerun while a
 * sweep is going. Every figure is a mean over the cells of a (method, ratio, architecture): over
 * seeds, and for OOD loops also over the held-out clusters. Cells of a grid over epsilon stand at
 * the ratio they pruned: in distribution the same for every method and seed, out of distribution
 * one per held-out cluster (so an OOD grid over epsilon lines up in {@code table1_clusters} only).
 *
 * <ul>
 *   <li>{@code table1.md|csv}: test MAE per method and ratio (best in bold, second underlined), one
 *       table per target architecture;
 *   <li>{@code table1_clusters.md|csv} (OOD loops only): the same per held-out cluster, means over
 *       seeds: clusters differ several-fold in difficulty, and the overall mean weighs the hard
 *       ones most;
 *   <li>{@code table2.md|csv}: improvement of FUSION over random pruning, 100 (MAE_random -
 *       MAE_fusion) / MAE_random, per architecture and ratio, with row and column averages;
 *   <li>{@code ttest.md|csv}: two-sided paired t-tests of FUSION against every other method per
 *       architecture and ratio, pairs matched by (seed, held-out cluster), each p with its
 *       Holm-adjusted value over all tests of the table;
 *   <li>{@code optimal.md|csv}: the optimal pruning point, the ratio of the lowest mean FUSION MAE
 *       with the unpruned training as ratio 0, and its MAE change against unpruned;
 *   <li>{@code shift.md|csv} (cells that record it): the test MAE of always predicting the mean
 *       target of the pruned training part, per method and ratio (and held-out cluster): how much
 *       of a method's MAE follows from moving the training targets' level alone, which matters out
 *       of distribution, where a held-out cluster's targets sit away from the training mean;
 *   <li>{@code unpruned.md|csv}: the unpruned target against the mean predictor, and whether it
 *       stays within the loop's {@code max_unpruned_ratio};
 *   <li>{@code diagnostics.md|csv} (loops that keep {@code scores.csv} or cells that record it):
 *       the distribution of U, W and I, which term ranked I, and per method and ratio the fraction
 *       of removed structures whose nearest candidate went too; with {@code scores.csv}, {@code
 *       hist_u|w|i.svg|png}, each score's distribution over the candidates;
 *   <li>{@code fig2_ARCH.svg|png} (MAE against pruning ratio per method, the unpruned MAE at 0,
 *       with 95 % confidence intervals as error bars and the target's unit on the MAE axis) and
 *       {@code fig3.svg|png} (optimal pruning ratio per architecture), PNGs at 300 dpi.
 * </ul>
 */
public final class LoopReport {
    private LoopReport() {}

    /** The cells of {@code loopDir} ({@link CellResult#readAll}). */
    public static List<CellResult> read(Path loopDir) throws IOException {
        return CellResult.readAll(loopDir);
    }

    /**
     * Writes every table and figure into {@code outDir}; returns Table 1 (Markdown). Axes name the
     * target's unit as unknown: see {@link #write(List, Path, Path, Double, String)}.
     */
    public static String write(List<CellResult> cells, Path outDir) throws IOException {
        return write(cells, outDir, null);
    }

    /**
     * Writes every table and figure into {@code outDir} and returns Table 1 (Markdown); when an
     * unpruned target's test MAE is above {@code maxUnprunedRatio} times the mean predictor's, a
     * warning line heads Table 1.
     *
     * @param maxUnprunedRatio the bound on unpruned / mean predictor test MAE; null: none
     */
    public static String write(List<CellResult> cells, Path outDir, Double maxUnprunedRatio)
            throws IOException {
        return write(cells, outDir, outDir, maxUnprunedRatio, DatasetProvenance.UNKNOWN_UNIT);
    }

    /**
     * As {@link #write(List, Path, Double)}, the loop's {@code scores.csv} files read from {@code
     * loopDir}, the tables written into another folder {@code outDir} and the MAE axes in {@code
     * unit}.
     *
     * @param unit the target's unit ({@link org.fusionml.train.split.DataSettings#targetUnit})
     */
    public static String write(
            List<CellResult> cells, Path loopDir, Path outDir, Double maxUnprunedRatio, String unit)
            throws IOException {
        AtomicFiles.createDirectories(outDir);
        List<String> warnings = UnprunedTable.write(cells, outDir, maxUnprunedRatio);
        Map<String, Map<String, Map<Double, Map<String, Double>>>> all =
                Tables.byArchitecture(cells);
        StringBuilder t1 = new StringBuilder();
        warnings.forEach(w -> t1.append(w).append("\n\n"));
        t1.append(Table1.CAPTION);
        CsvTable t1csv = Table1.csv();
        for (var arch : all.entrySet()) {
            if (all.size() > 1) {
                t1.append("### ").append(arch.getKey()).append("\n\n");
            }
            t1.append(Table1.markdown(arch.getValue()));
            Table1.appendCsvRows(t1csv, arch.getKey(), arch.getValue());
            figure2(arch.getKey(), arch.getValue(), unit).write(outDir, "fig2_" + arch.getKey());
        }
        Tables.write(outDir, "table1", t1, t1csv);
        Table2.write(all, outDir);
        Ranking.write(all, unit, outDir);
        TTestTable.write(all, outDir);
        OptimalPoint.write(all, outDir);
        Table1.writeClusterTables(cells, outDir);
        ShiftTable.write(cells, outDir);
        DiagnosticsTable.write(cells, loopDir, outDir);
        return t1.toString();
    }

    /**
     * Figure 2: test MAE against pruning ratio (%) per method, the unpruned MAE at 0, each point
     * the mean over its cells with the half-width of the mean's 95 % Student-t interval ({@link
     * Statistics.MeanInterval}) as its error bar.
     */
    static Chart figure2(
            String architecture,
            Map<String, Map<Double, Map<String, Double>>> byMethod,
            String unit) {
        Map<String, Double> unpruned =
                byMethod.containsKey("none") ? byMethod.get("none").get(0.0) : null;
        List<Chart.Series> series = new ArrayList<>();
        Map<String, Map<Double, Map<String, Double>>> ordered = new LinkedHashMap<>();
        if (byMethod.containsKey("fusion")) {
            ordered.put("fusion", byMethod.get("fusion"));
        }
        byMethod.forEach(ordered::putIfAbsent);
        TreeSet<Integer> counts = new TreeSet<>();
        boolean clusters = false;
        for (var e : ordered.entrySet()) {
            if (e.getKey().equals("none")) {
                continue;
            }
            TreeMap<Double, Map<String, Double>> curve = new TreeMap<>();
            if (unpruned != null) {
                curve.put(0.0, unpruned);
            }
            e.getValue().forEach((r, v) -> curve.put(100 * r, v));
            double[] x = new double[curve.size()];
            double[] y = new double[curve.size()];
            double[] half = new double[curve.size()];
            int i = 0;
            for (var point : curve.entrySet()) {
                Statistics.MeanInterval ci =
                        Statistics.MeanInterval.of(
                                point.getValue().values().stream()
                                        .mapToDouble(Double::doubleValue)
                                        .toArray());
                x[i] = point.getKey();
                y[i] = ci.mean();
                half[i] = ci.halfWidth();
                counts.add(ci.n());
                // pair keys are seed/fold, fold -1 in distribution
                clusters |= point.getValue().keySet().stream().anyMatch(k -> !k.endsWith("/-1"));
                i++;
            }
            series.add(new Chart.Series(e.getKey(), x, y, half, Chart.Style.LINE_AND_MARKERS));
        }
        return new Chart(
                "Test MAE against pruning ratio (" + architecture + ")",
                "pruning ratio (%)",
                Units.label("test MAE", unit),
                series,
                List.of(),
                false,
                errorBarCaption(counts, clusters));
    }

    /** What the error bars of Figure 2 show, with the number of cells per point. */
    private static String errorBarCaption(TreeSet<Integer> counts, boolean clusters) {
        if (counts.isEmpty()) {
            return "";
        }
        String nbsp = "\u00a0"; // keeps "n = 5" and "95 %" on one line of the caption
        String n =
                "n = "
                        + (counts.size() == 1
                                ? counts.first()
                                : counts.first() + " to " + counts.last());
        return ("Points: mean over seeds"
                + (clusters ? " and held-out clusters" : "")
                + " ("
                + n.replace(" ", nbsp)
                + "). Error bars: 95"
                + nbsp
                + "% confidence interval of the mean, Student's t (none for n"
                + nbsp
                + "="
                + nbsp
                + "1).");
    }
}
