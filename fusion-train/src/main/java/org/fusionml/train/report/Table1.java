package org.fusionml.train.report;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.fusionml.data.io.CsvTable;
import org.fusionml.train.loop.CellResult;

/**
 * Table 1: the mean test MAE per method and ratio of one architecture (best in bold, second
 * underlined), its rows of {@code table1.csv}, and the same tables per held-out cluster ({@code
 * table1_clusters.md|csv}).
 */
final class Table1 {
    /** A new {@code table1.csv}: its header. */
    static CsvTable csv() {
        return new CsvTable(
                "architecture", "method", "ratio", "mean_test_mae", "ci95_half_width", "cells");
    }

    /** The line above each Markdown table. */
    static final String CAPTION =
            "Test MAE, mean ± half-width of its 95 % t interval over seeds (and held-out"
                    + " clusters); n cells\n\n";

    private Table1() {}

    /** The Markdown table of one architecture's method -> ratio -> pair key -> value. */
    static String markdown(Map<String, Map<Double, Map<String, Double>>> byMethod) {
        TreeSet<Double> ratios = new TreeSet<>();
        byMethod.values().forEach(m -> ratios.addAll(m.keySet()));
        StringBuilder md = header(ratios);
        Map<Double, List<Double>> columns = sortedMeansPerRatio(byMethod, ratios);
        for (var e : byMethod.entrySet()) {
            md.append("| ").append(e.getKey()).append(" |");
            for (double r : ratios) {
                md.append(cell(e.getValue().get(r), columns.get(r)));
            }
            md.append('\n');
        }
        return md.append('\n').toString();
    }

    /** The header row (ratio 0 as "w/o pruning") and the separator row. */
    private static StringBuilder header(TreeSet<Double> ratios) {
        StringBuilder md = new StringBuilder("| method |");
        for (double r : ratios) {
            md.append(
                    r == 0
                            ? " w/o pruning |"
                            : String.format(Locale.ROOT, " %s%% |", Tables.percent(r)));
        }
        md.append("\n| --- |").append(" --- |".repeat(ratios.size())).append('\n');
        return md;
    }

    /** Per ratio, the means of the methods that have it, ascending. */
    private static Map<Double, List<Double>> sortedMeansPerRatio(
            Map<String, Map<Double, Map<String, Double>>> byMethod, TreeSet<Double> ratios) {
        Map<Double, List<Double>> columns = new TreeMap<>();
        for (double r : ratios) {
            List<Double> column = new ArrayList<>();
            byMethod.values()
                    .forEach(
                            m -> {
                                if (m.containsKey(r)) {
                                    column.add(Tables.mean(m.get(r)));
                                }
                            });
            column.sort(null);
            columns.put(r, column);
        }
        return columns;
    }

    /**
     * One cell with its separator: the mean (four significant digits, two decimals at least) and
     * its count, in bold when the lowest of its column and underlined when the second; blank
     * without cells.
     */
    private static String cell(Map<String, Double> v, List<Double> column) {
        if (v == null) {
            return "  |";
        }
        double m = Tables.mean(v);
        double half = halfWidth(v);
        int d = Tables.decimals(m, 2);
        String s =
                Tables.fixed(m, d)
                        + (Double.isNaN(half) ? "" : " ± " + Tables.fixed(half, d))
                        + " (n="
                        + v.size()
                        + ")";
        if (column.size() > 1 && m == column.get(0)) {
            s = "**" + s + "**";
        } else if (column.size() > 2 && m == column.get(1)) {
            s = "<u>" + s + "</u>";
        }
        return " " + s + " |";
    }

    /** The 95 % half-width over the pair keys' values; NaN for fewer than two. */
    static double halfWidth(Map<String, Double> v) {
        return Statistics.MeanInterval.of(
                        v.values().stream().mapToDouble(Double::doubleValue).toArray())
                .halfWidth();
    }

    /** The half-width as a CSV field: empty when not defined. */
    static String csvHalfWidth(Map<String, Double> v) {
        double half = halfWidth(v);
        return Double.isNaN(half) ? "" : String.format(Locale.ROOT, "%.6f", half);
    }

    /** Appends the rows of {@code table1.csv} for one architecture. */
    static void appendCsvRows(
            CsvTable csv,
            String architecture,
            Map<String, Map<Double, Map<String, Double>>> byMethod) {
        for (var m : byMethod.entrySet()) {
            for (var r : m.getValue().entrySet()) {
                csv.add(
                        architecture,
                        m.getKey(),
                        Tables.cell("%.4f", r.getKey()),
                        Tables.cell("%.6f", Tables.mean(r.getValue())),
                        csvHalfWidth(r.getValue()),
                        Integer.toString(r.getValue().size()));
            }
        }
    }

    /** Table 1 per held-out cluster (OOD loops; nothing in distribution). */
    static void writeClusterTables(List<CellResult> cells, Path outDir) throws IOException {
        TreeSet<Integer> folds = heldOutClusters(cells);
        if (folds.isEmpty()) {
            return;
        }
        StringBuilder md =
                new StringBuilder(
                        "Test MAE per held-out cluster, mean ± half-width of its 95 % t interval"
                                + " over seeds; n cells\n\n");
        CsvTable csv =
                new CsvTable(
                        "architecture",
                        "held_out_cluster",
                        "method",
                        "ratio",
                        "mean_test_mae",
                        "ci95_half_width",
                        "cells");
        for (int fold : folds) {
            var all = Tables.byArchitecture(cells.stream().filter(c -> c.fold() == fold).toList());
            for (var arch : all.entrySet()) {
                md.append("### ")
                        .append(arch.getKey())
                        .append(", held-out cluster ")
                        .append(fold)
                        .append("\n\n")
                        .append(markdown(arch.getValue()));
                appendClusterCsvRows(csv, arch.getKey(), fold, arch.getValue());
            }
        }
        Tables.write(outDir, "table1_clusters", md, csv);
    }

    /** The held-out clusters of the cells, ascending (none in distribution). */
    private static TreeSet<Integer> heldOutClusters(List<CellResult> cells) {
        TreeSet<Integer> folds = new TreeSet<>();
        cells.forEach(
                c -> {
                    if (c.fold() >= 0) {
                        folds.add(c.fold());
                    }
                });
        return folds;
    }

    /** Appends the rows of {@code table1_clusters.csv} for one architecture and cluster. */
    private static void appendClusterCsvRows(
            CsvTable csv,
            String architecture,
            int fold,
            Map<String, Map<Double, Map<String, Double>>> byMethod) {
        for (var m : byMethod.entrySet()) {
            for (var r : m.getValue().entrySet()) {
                csv.add(
                        architecture,
                        Integer.toString(fold),
                        m.getKey(),
                        Tables.cell("%.4f", r.getKey()),
                        Tables.cell("%.6f", Tables.mean(r.getValue())),
                        csvHalfWidth(r.getValue()),
                        Integer.toString(r.getValue().size()));
            }
        }
    }
}
