package org.fusionml.train.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.fusionml.data.io.AtomicFiles;
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
 *       architecture and ratio, pairs matched by (seed, held-out cluster);
 *   <li>{@code optimal.md|csv}: the optimal pruning point, the ratio of the lowest mean FUSION MAE
 *       with the unpruned training as ratio 0, and its MAE change against unpruned;
 *   <li>{@code shift.md|csv} (cells that record it): the test MAE of always predicting the mean
 *       target of the pruned training part, per method and ratio (and held-out cluster): how much
 *       of a method's MAE follows from moving the training targets' level alone, which matters out
 *       of distribution, where a held-out cluster's targets sit away from the training mean;
 *   <li>{@code fig2_ARCH.svg|png} (MAE against pruning ratio per method, the unpruned MAE at 0) and
 *       {@code fig3.svg|png} (optimal pruning ratio per architecture).
 * </ul>
 */
public final class LoopReport {
    private LoopReport() {}

    /** The cells of {@code loopDir} ({@link CellResult#readAll}). */
    public static List<CellResult> read(Path loopDir) throws IOException {
        return CellResult.readAll(loopDir);
    }

    /** Writes every table and figure into {@code outDir}; returns Table 1 (Markdown). */
    public static String write(List<CellResult> cells, Path outDir) throws IOException {
        Files.createDirectories(outDir);
        Map<String, Map<String, Map<Double, Map<String, Double>>>> all = byArchitecture(cells);
        StringBuilder t1 = new StringBuilder();
        StringBuilder t1csv = new StringBuilder("architecture,method,ratio,mean_test_mae,cells\n");
        for (var arch : all.entrySet()) {
            if (all.size() > 1) {
                t1.append("### ").append(arch.getKey()).append("\n\n");
            }
            t1.append(table1(arch.getValue()));
            for (var m : arch.getValue().entrySet()) {
                for (var r : m.getValue().entrySet()) {
                    t1csv.append(
                            String.format(
                                    Locale.ROOT,
                                    "%s,%s,%.4f,%.6f,%d%n",
                                    arch.getKey(),
                                    m.getKey(),
                                    r.getKey(),
                                    mean(r.getValue()),
                                    r.getValue().size()));
                }
            }
            figure2(arch.getKey(), arch.getValue()).write(outDir, "fig2_" + arch.getKey());
        }
        AtomicFiles.writeString(outDir.resolve("table1.md"), t1.toString());
        AtomicFiles.writeString(outDir.resolve("table1.csv"), t1csv.toString());
        table2(all, outDir);
        tTests(all, outDir);
        optimal(all, outDir);
        clusterTables(cells, outDir);
        shift(cells, outDir);
        return t1.toString();
    }

    /**
     * The mean-predictor table, per architecture and held-out cluster (one part in distribution);
     * nothing without such cells.
     */
    private static void shift(List<CellResult> cells, Path outDir) throws IOException {
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
        StringBuilder csv =
                new StringBuilder(
                        "architecture,held_out_cluster,method,ratio,mean_train_target,mean_predictor_test_mae,cells\n");
        TreeSet<Integer> folds = new TreeSet<>();
        known.forEach(c -> folds.add(c.fold()));
        for (int fold : folds) {
            List<CellResult> part = known.stream().filter(c -> c.fold() == fold).toList();
            var trainMeans = byArchitecture(part, CellResult::trainTargetMean);
            for (var arch : byArchitecture(part, CellResult::meanPredictorTestMae).entrySet()) {
                md.append("### ")
                        .append(arch.getKey())
                        .append(fold >= 0 ? ", held-out cluster " + fold : "")
                        .append("\n\n")
                        .append(table1(arch.getValue()));
                for (var m : arch.getValue().entrySet()) {
                    for (var r : m.getValue().entrySet()) {
                        csv.append(
                                String.format(
                                        Locale.ROOT,
                                        "%s,%d,%s,%.4f,%.6f,%.6f,%d%n",
                                        arch.getKey(),
                                        fold,
                                        m.getKey(),
                                        r.getKey(),
                                        mean(
                                                trainMeans
                                                        .get(arch.getKey())
                                                        .get(m.getKey())
                                                        .get(r.getKey())),
                                        mean(r.getValue()),
                                        r.getValue().size()));
                    }
                }
            }
        }
        AtomicFiles.writeString(outDir.resolve("shift.md"), md.toString());
        AtomicFiles.writeString(outDir.resolve("shift.csv"), csv.toString());
    }

    /** architecture -> method -> ratio -> pair key (seed/fold) -> test MAE. */
    private static Map<String, Map<String, Map<Double, Map<String, Double>>>> byArchitecture(
            List<CellResult> cells) {
        return byArchitecture(cells, CellResult::testMae);
    }

    /** architecture -> method -> ratio -> pair key (seed/fold) -> {@code value} of the cell. */
    private static Map<String, Map<String, Map<Double, Map<String, Double>>>> byArchitecture(
            List<CellResult> cells, java.util.function.ToDoubleFunction<CellResult> value) {
        Map<String, Map<String, Map<Double, Map<String, Double>>>> all = new TreeMap<>();
        for (CellResult c : cells) {
            all.computeIfAbsent(c.architecture(), k -> new TreeMap<>())
                    .computeIfAbsent(c.method(), k -> new TreeMap<>())
                    .computeIfAbsent(c.ratio(), k -> new TreeMap<>())
                    .put(c.pairKey(), value.applyAsDouble(c));
        }
        return all;
    }

    /** Table 1 per held-out cluster (OOD loops; nothing in distribution). */
    private static void clusterTables(List<CellResult> cells, Path outDir) throws IOException {
        TreeSet<Integer> folds = new TreeSet<>();
        cells.forEach(
                c -> {
                    if (c.fold() >= 0) {
                        folds.add(c.fold());
                    }
                });
        if (folds.isEmpty()) {
            return;
        }
        StringBuilder md = new StringBuilder("Test MAE per held-out cluster (mean over seeds)\n\n");
        StringBuilder csv =
                new StringBuilder(
                        "architecture,held_out_cluster,method,ratio,mean_test_mae,cells\n");
        for (int fold : folds) {
            var all = byArchitecture(cells.stream().filter(c -> c.fold() == fold).toList());
            for (var arch : all.entrySet()) {
                md.append("### ")
                        .append(arch.getKey())
                        .append(", held-out cluster ")
                        .append(fold)
                        .append("\n\n")
                        .append(table1(arch.getValue()));
                for (var m : arch.getValue().entrySet()) {
                    for (var r : m.getValue().entrySet()) {
                        csv.append(
                                String.format(
                                        Locale.ROOT,
                                        "%s,%d,%s,%.4f,%.6f,%d%n",
                                        arch.getKey(),
                                        fold,
                                        m.getKey(),
                                        r.getKey(),
                                        mean(r.getValue()),
                                        r.getValue().size()));
                    }
                }
            }
        }
        AtomicFiles.writeString(outDir.resolve("table1_clusters.md"), md.toString());
        AtomicFiles.writeString(outDir.resolve("table1_clusters.csv"), csv.toString());
    }

    private static String table1(Map<String, Map<Double, Map<String, Double>>> byMethod) {
        TreeSet<Double> ratios = new TreeSet<>();
        byMethod.values().forEach(m -> ratios.addAll(m.keySet()));
        StringBuilder md = new StringBuilder("| method |");
        for (double r : ratios) {
            md.append(
                    r == 0 ? " w/o pruning |" : String.format(Locale.ROOT, " %s%% |", percent(r)));
        }
        md.append("\n| --- |").append(" --- |".repeat(ratios.size())).append('\n');
        Map<Double, List<Double>> columns = new TreeMap<>(); // sorted method means per ratio
        for (double r : ratios) {
            List<Double> column = new ArrayList<>();
            byMethod.values()
                    .forEach(
                            m -> {
                                if (m.containsKey(r)) {
                                    column.add(mean(m.get(r)));
                                }
                            });
            column.sort(null);
            columns.put(r, column);
        }
        for (var e : byMethod.entrySet()) {
            md.append("| ").append(e.getKey()).append(" |");
            for (double r : ratios) {
                Map<String, Double> v = e.getValue().get(r);
                if (v == null) {
                    md.append("  |");
                    continue;
                }
                List<Double> column = columns.get(r);
                double m = mean(v);
                String s = String.format(Locale.ROOT, "%.2f (n=%d)", m, v.size());
                if (column.size() > 1 && m == column.get(0)) {
                    s = "**" + s + "**";
                } else if (column.size() > 2 && m == column.get(1)) {
                    s = "<u>" + s + "</u>";
                }
                md.append(' ').append(s).append(" |");
            }
            md.append('\n');
        }
        return md.append('\n').toString();
    }

    private static void table2(
            Map<String, Map<String, Map<Double, Map<String, Double>>>> all, Path outDir)
            throws IOException {
        TreeSet<Double> ratios = new TreeSet<>();
        Map<String, Map<Double, Double>> rows = new TreeMap<>();
        for (var arch : all.entrySet()) {
            var fusion = arch.getValue().get("fusion");
            var random = arch.getValue().get("random");
            if (fusion == null || random == null) {
                continue;
            }
            for (double r : fusion.keySet()) {
                if (r > 0 && random.containsKey(r)) {
                    double mr = mean(random.get(r));
                    rows.computeIfAbsent(arch.getKey(), k -> new TreeMap<>())
                            .put(r, 100 * (mr - mean(fusion.get(r))) / mr);
                    ratios.add(r);
                }
            }
        }
        StringBuilder md =
                new StringBuilder(
                        "Improvement of FUSION over random pruning, 100 (MAE_random - MAE_fusion) /"
                                + " MAE_random (%)\n\n"
                                + "| architecture |");
        StringBuilder csv = new StringBuilder("architecture");
        for (double r : ratios) {
            md.append(' ').append(percent(r)).append("% |");
            csv.append(',').append(String.format(Locale.ROOT, "%.4f", r));
        }
        md.append(" average |\n| --- |").append(" --- |".repeat(ratios.size() + 1)).append('\n');
        csv.append(",average\n");
        Map<Double, List<Double>> columns = new TreeMap<>();
        List<Double> rowAverages = new ArrayList<>();
        for (var row : rows.entrySet()) {
            md.append("| ").append(row.getKey()).append(" |");
            csv.append(row.getKey());
            for (double r : ratios) {
                Double v = row.getValue().get(r);
                md.append(v == null ? "  |" : String.format(Locale.ROOT, " %.2f%% |", v));
                csv.append(v == null ? "," : String.format(Locale.ROOT, ",%.4f", v));
                if (v != null) {
                    columns.computeIfAbsent(r, k -> new ArrayList<>()).add(v);
                }
            }
            double avg =
                    row.getValue().values().stream()
                            .mapToDouble(Double::doubleValue)
                            .average()
                            .orElse(Double.NaN);
            rowAverages.add(avg);
            md.append(String.format(Locale.ROOT, " %.2f%% |%n", avg));
            csv.append(String.format(Locale.ROOT, ",%.4f%n", avg));
        }
        md.append("| **average** |");
        csv.append("average");
        for (double r : ratios) {
            double v =
                    columns.getOrDefault(r, List.of()).stream()
                            .mapToDouble(Double::doubleValue)
                            .average()
                            .orElse(Double.NaN);
            md.append(String.format(Locale.ROOT, " %.2f%% |", v));
            csv.append(String.format(Locale.ROOT, ",%.4f", v));
        }
        double avg =
                rowAverages.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
        md.append(String.format(Locale.ROOT, " %.2f%% |%n", avg));
        csv.append(String.format(Locale.ROOT, ",%.4f%n", avg));
        AtomicFiles.writeString(outDir.resolve("table2.md"), md.toString());
        AtomicFiles.writeString(outDir.resolve("table2.csv"), csv.toString());
    }

    private static void tTests(
            Map<String, Map<String, Map<Double, Map<String, Double>>>> all, Path outDir)
            throws IOException {
        StringBuilder md =
                new StringBuilder(
                        "Paired t-tests, FUSION against each method (pairs: same seed and held-out"
                            + " cluster; negative mean difference = FUSION lower MAE)\n\n"
                            + "| architecture | ratio | method | pairs | mean difference | t | p"
                            + " |\n"
                            + "| --- | --- | --- | --- | --- | --- | --- |\n");
        StringBuilder csv =
                new StringBuilder("architecture,ratio,method,pairs,mean_difference,t,p\n");
        for (var arch : all.entrySet()) {
            var fusion = arch.getValue().get("fusion");
            if (fusion == null) {
                continue;
            }
            for (var r : fusion.entrySet()) {
                for (var other : arch.getValue().entrySet()) {
                    Map<String, Double> o = other.getValue().get(r.getKey());
                    if (other.getKey().equals("fusion") || o == null) {
                        continue;
                    }
                    List<String> keys =
                            r.getValue().keySet().stream().filter(o::containsKey).toList();
                    if (keys.size() < 2) {
                        continue;
                    }
                    double[] a = keys.stream().mapToDouble(r.getValue()::get).toArray();
                    double[] b = keys.stream().mapToDouble(o::get).toArray();
                    PairedTTest t = PairedTTest.of(a, b);
                    md.append(
                            String.format(
                                    Locale.ROOT,
                                    "| %s | %s%% | %s | %d | %.3f | %.3f | %.4g |%n",
                                    arch.getKey(),
                                    percent(r.getKey()),
                                    other.getKey(),
                                    keys.size(),
                                    t.meanDifference(),
                                    t.t(),
                                    t.p()));
                    csv.append(
                            String.format(
                                    Locale.ROOT,
                                    "%s,%.4f,%s,%d,%.6f,%.6f,%.6g%n",
                                    arch.getKey(),
                                    r.getKey(),
                                    other.getKey(),
                                    keys.size(),
                                    t.meanDifference(),
                                    t.t(),
                                    t.p()));
                }
            }
        }
        AtomicFiles.writeString(outDir.resolve("ttest.md"), md.toString());
        AtomicFiles.writeString(outDir.resolve("ttest.csv"), csv.toString());
    }

    private static void optimal(
            Map<String, Map<String, Map<Double, Map<String, Double>>>> all, Path outDir)
            throws IOException {
        StringBuilder md =
                new StringBuilder(
                        "Optimal pruning point: the FUSION ratio of lowest mean test MAE (ratio 0 ="
                            + " unpruned)\n\n"
                            + "| architecture | optimal ratio | MAE there | unpruned MAE | change"
                            + " vs unpruned |\n"
                            + "| --- | --- | --- | --- | --- |\n");
        StringBuilder csv =
                new StringBuilder("architecture,optimal_ratio,mae,unpruned_mae,change_percent\n");
        List<String> names = new ArrayList<>();
        List<Double> best = new ArrayList<>();
        for (var arch : all.entrySet()) {
            var fusion = arch.getValue().get("fusion");
            var none = arch.getValue().get("none");
            if (fusion == null || none == null || !none.containsKey(0.0)) {
                continue;
            }
            Map<Double, Double> curve = new TreeMap<>();
            curve.put(0.0, mean(none.get(0.0)));
            fusion.forEach((r, v) -> curve.put(r, mean(v)));
            double bestRatio = 0;
            for (var e : curve.entrySet()) {
                if (e.getValue() < curve.get(bestRatio)) {
                    bestRatio = e.getKey();
                }
            }
            double unpruned = curve.get(0.0);
            double change = 100 * (curve.get(bestRatio) - unpruned) / unpruned;
            md.append(
                    String.format(
                            Locale.ROOT,
                            "| %s | %s%% | %.3f | %.3f | %+.2f%% |%n",
                            arch.getKey(),
                            percent(bestRatio),
                            curve.get(bestRatio),
                            unpruned,
                            change));
            csv.append(
                    String.format(
                            Locale.ROOT,
                            "%s,%.4f,%.6f,%.6f,%.4f%n",
                            arch.getKey(),
                            bestRatio,
                            curve.get(bestRatio),
                            unpruned,
                            change));
            names.add(arch.getKey());
            best.add(100 * bestRatio);
        }
        AtomicFiles.writeString(outDir.resolve("optimal.md"), md.toString());
        AtomicFiles.writeString(outDir.resolve("optimal.csv"), csv.toString());
        double[] x = new double[names.size()];
        for (int i = 0; i < x.length; i++) {
            x[i] = i;
        }
        new Chart(
                        "Optimal FUSION pruning ratio per architecture",
                        "architecture",
                        "optimal pruning ratio (%)",
                        List.of(
                                new Chart.Series(
                                        "optimal",
                                        x,
                                        best.stream().mapToDouble(Double::doubleValue).toArray())),
                        names,
                        true)
                .write(outDir, "fig3");
    }

    private static Chart figure2(
            String architecture, Map<String, Map<Double, Map<String, Double>>> byMethod) {
        Double unpruned =
                byMethod.containsKey("none") && byMethod.get("none").containsKey(0.0)
                        ? mean(byMethod.get("none").get(0.0))
                        : null;
        List<Chart.Series> series = new ArrayList<>();
        Map<String, Map<Double, Map<String, Double>>> ordered = new LinkedHashMap<>();
        if (byMethod.containsKey("fusion")) {
            ordered.put("fusion", byMethod.get("fusion"));
        }
        byMethod.forEach(ordered::putIfAbsent);
        for (var e : ordered.entrySet()) {
            if (e.getKey().equals("none")) {
                continue;
            }
            TreeMap<Double, Double> curve = new TreeMap<>();
            if (unpruned != null) {
                curve.put(0.0, unpruned);
            }
            e.getValue().forEach((r, v) -> curve.put(100 * r, mean(v)));
            series.add(
                    new Chart.Series(
                            e.getKey(),
                            curve.keySet().stream().mapToDouble(Double::doubleValue).toArray(),
                            curve.values().stream().mapToDouble(Double::doubleValue).toArray()));
        }
        return new Chart(
                "Test MAE against pruning ratio (" + architecture + ")",
                "pruning ratio (%)",
                "test MAE",
                series,
                List.of(),
                false);
    }

    private static String percent(double r) {
        double p = 100 * r; // 0.07 * 100 = 7.000000000000001: compare at the printed precision
        return Math.abs(p - Math.rint(p)) < 1e-9
                ? String.format(Locale.ROOT, "%.0f", p)
                : String.format(Locale.ROOT, "%.1f", p);
    }

    private static double mean(Map<String, Double> v) {
        return v.values().stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
    }
}
