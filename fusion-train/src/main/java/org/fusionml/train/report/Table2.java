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

/**
 * Table 2 ({@code table2.md|csv}): improvement of FUSION over random pruning, 100 (MAE_random -
 * MAE_fusion) / MAE_random, per architecture and ratio, with row and column averages.
 */
final class Table2 {
    private Table2() {}

    static void write(Map<String, Map<String, Map<Double, Map<String, Double>>>> all, Path outDir)
            throws IOException {
        Map<String, Map<Double, Double>> rows = improvements(all);
        TreeSet<Double> ratios = new TreeSet<>();
        rows.values().forEach(row -> ratios.addAll(row.keySet()));
        StringBuilder md =
                new StringBuilder(
                        "Improvement of FUSION over random pruning, 100 (MAE_random - MAE_fusion) /"
                                + " MAE_random (%)\n\n"
                                + "| architecture |");
        CsvTable csv = appendHeader(md, ratios);
        List<Double> rowAverages = new ArrayList<>();
        for (var row : rows.entrySet()) {
            double average = Tables.average(row.getValue().values());
            appendRow(md, csv, row.getKey(), row.getValue(), ratios, average);
            rowAverages.add(average);
        }
        appendAverageRow(md, csv, ratios, valuesPerRatio(rows), rowAverages);
        Tables.write(outDir, "table2", md, csv);
    }

    /**
     * architecture -> ratio -> improvement (%), at the ratios above 0 where an architecture has
     * both FUSION and random cells.
     */
    private static Map<String, Map<Double, Double>> improvements(
            Map<String, Map<String, Map<Double, Map<String, Double>>>> all) {
        Map<String, Map<Double, Double>> rows = new TreeMap<>();
        for (var arch : all.entrySet()) {
            var fusion = arch.getValue().get("fusion");
            var random = arch.getValue().get("random");
            if (fusion == null || random == null) {
                continue;
            }
            for (double r : fusion.keySet()) {
                if (r > 0 && random.containsKey(r)) {
                    double mr = Tables.mean(random.get(r));
                    rows.computeIfAbsent(arch.getKey(), k -> new TreeMap<>())
                            .put(r, 100 * (mr - Tables.mean(fusion.get(r))) / mr);
                }
            }
        }
        return rows;
    }

    /**
     * The ratio columns and the average column, in Markdown (with separator row); the CSV table
     * with that header.
     */
    private static CsvTable appendHeader(StringBuilder md, TreeSet<Double> ratios) {
        List<String> header = new ArrayList<>(List.of("architecture"));
        for (double r : ratios) {
            md.append(' ').append(Tables.percent(r)).append("% |");
            header.add(Tables.cell("%.4f", r));
        }
        md.append(" average |\n| --- |").append(" --- |".repeat(ratios.size() + 1)).append('\n');
        header.add("average");
        return new CsvTable(header);
    }

    /** One architecture's improvements (blank where missing) and their average. */
    private static void appendRow(
            StringBuilder md,
            CsvTable csv,
            String architecture,
            Map<Double, Double> row,
            TreeSet<Double> ratios,
            double average) {
        md.append("| ").append(architecture).append(" |");
        List<String> cells = new ArrayList<>(List.of(architecture));
        for (double r : ratios) {
            Double v = row.get(r);
            md.append(v == null ? "  |" : String.format(Locale.ROOT, " %.2f%% |", v));
            cells.add(v == null ? "" : Tables.cell("%.4f", v));
        }
        md.append(String.format(Locale.ROOT, " %.2f%% |%n", average));
        cells.add(Tables.cell("%.4f", average));
        csv.add(cells);
    }

    /** ratio -> the improvements at that ratio, in the order of the rows. */
    private static Map<Double, List<Double>> valuesPerRatio(Map<String, Map<Double, Double>> rows) {
        Map<Double, List<Double>> columns = new TreeMap<>();
        for (Map<Double, Double> row : rows.values()) {
            row.forEach((r, v) -> columns.computeIfAbsent(r, k -> new ArrayList<>()).add(v));
        }
        return columns;
    }

    /** The bottom row: each column's average, then the average of the row averages. */
    private static void appendAverageRow(
            StringBuilder md,
            CsvTable csv,
            TreeSet<Double> ratios,
            Map<Double, List<Double>> columns,
            List<Double> rowAverages) {
        md.append("| **average** |");
        List<String> cells = new ArrayList<>(List.of("average"));
        for (double r : ratios) {
            double v = Tables.average(columns.getOrDefault(r, List.of()));
            md.append(String.format(Locale.ROOT, " %.2f%% |", v));
            cells.add(Tables.cell("%.4f", v));
        }
        double avg = Tables.average(rowAverages);
        md.append(String.format(Locale.ROOT, " %.2f%% |%n", avg));
        cells.add(Tables.cell("%.4f", avg));
        csv.add(cells);
    }
}
