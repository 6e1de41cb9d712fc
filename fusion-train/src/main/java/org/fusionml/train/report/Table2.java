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
 * Table 2 ({@code table2.md|csv}): improvement of FUSION over random pruning per architecture and
 * ratio, with row and column averages, each with the half-width of its 95 % interval.
 *
 * <p>At one architecture and ratio, over the pair keys (seeds or folds) K where both methods have a
 * cell, the improvement is 100 (mean_K MAE_random - mean_K MAE_fusion) / mean_K MAE_random (%),
 * which is the mean over K of the paired differences d_k = 100 (MAE_random,k - MAE_fusion,k) /
 * mean_K MAE_random; its interval is Student's t on the d_k ({@link Statistics.MeanInterval}), the
 * denominator held fixed. An average (over ratios, architectures or both) is the mean of its
 * improvements; its interval is Student's t on the per-key means of the d_k it averages, over the
 * keys that every averaged improvement has (NaN when fewer than two).
 */
final class Table2 {
    private Table2() {}

    static void write(Map<String, Map<String, Map<Double, Map<String, Double>>>> all, Path outDir)
            throws IOException {
        Map<String, Map<Double, Improvement>> rows = improvements(all);
        TreeSet<Double> ratios = new TreeSet<>();
        rows.values().forEach(row -> ratios.addAll(row.keySet()));
        StringBuilder md =
                new StringBuilder(
                        "Improvement of FUSION over random pruning, 100 (MAE_random - MAE_fusion) /"
                                + " MAE_random (%), means over the seeds (folds) both methods"
                                + " ran, +- the half-width of the 95 % Student-t interval of the"
                                + " paired differences\n\n"
                                + "| architecture |");
        CsvTable csv = appendHeader(md, ratios);
        for (var row : rows.entrySet()) {
            List<Improvement> cells = new ArrayList<>();
            ratios.forEach(r -> cells.add(row.getValue().get(r)));
            appendRow(
                    md,
                    csv,
                    row.getKey(),
                    cells,
                    Improvement.average(List.copyOf(row.getValue().values())));
        }
        List<Improvement> columns = new ArrayList<>();
        List<Improvement> everything = new ArrayList<>();
        for (double r : ratios) {
            List<Improvement> column = new ArrayList<>();
            rows.values().stream()
                    .filter(row -> row.containsKey(r))
                    .forEach(row -> column.add(row.get(r)));
            columns.add(Improvement.average(column));
            everything.addAll(column);
        }
        appendRow(md, csv, "**average**", columns, Improvement.average(everything));
        Tables.write(outDir, "table2", md, csv);
    }

    /**
     * architecture -> ratio -> improvement with its d_k, at the ratios above 0 where an
     * architecture has FUSION and random cells of at least one common key.
     */
    private static Map<String, Map<Double, Improvement>> improvements(
            Map<String, Map<String, Map<Double, Map<String, Double>>>> all) {
        Map<String, Map<Double, Improvement>> rows = new TreeMap<>();
        for (var arch : all.entrySet()) {
            var fusion = arch.getValue().get("fusion");
            var random = arch.getValue().get("random");
            if (fusion == null || random == null) {
                continue;
            }
            for (double r : fusion.keySet()) {
                if (r <= 0 || !random.containsKey(r)) {
                    continue;
                }
                Map<String, Double> f = fusion.get(r);
                Map<String, Double> rnd = random.get(r);
                List<String> keys = rnd.keySet().stream().filter(f::containsKey).toList();
                if (keys.isEmpty()) {
                    continue;
                }
                double meanRandom = keys.stream().mapToDouble(rnd::get).average().orElseThrow();
                Map<String, Double> d = new TreeMap<>();
                for (String k : keys) {
                    d.put(k, 100 * (rnd.get(k) - f.get(k)) / meanRandom);
                }
                rows.computeIfAbsent(arch.getKey(), a -> new TreeMap<>()).put(r, Improvement.of(d));
            }
        }
        return rows;
    }

    /**
     * An improvement or an average of improvements (%), with the values per pair key that its
     * interval is computed on.
     *
     * @param mean the improvement, or the mean of the averaged improvements
     * @param perKey pair key -> d_k, or the mean of the averaged d_k at each key they all have
     */
    private record Improvement(double mean, Map<String, Double> perKey) {
        static Improvement of(Map<String, Double> d) {
            return new Improvement(Tables.mean(d), d);
        }

        /** The average of {@code parts}; null when there are none. */
        static Improvement average(List<Improvement> parts) {
            if (parts.isEmpty()) {
                return null;
            }
            TreeSet<String> common = new TreeSet<>(parts.get(0).perKey().keySet());
            parts.forEach(p -> common.retainAll(p.perKey().keySet()));
            Map<String, Double> perKey = new TreeMap<>();
            for (String k : common) {
                perKey.put(
                        k,
                        parts.stream().mapToDouble(p -> p.perKey().get(k)).average().orElseThrow());
            }
            return new Improvement(
                    parts.stream().mapToDouble(Improvement::mean).average().orElseThrow(), perKey);
        }

        /** The half-width of the 95 % interval over the keys; NaN below two keys. */
        double halfWidth() {
            double[] v = perKey.values().stream().mapToDouble(Double::doubleValue).toArray();
            return v.length < 2 ? Double.NaN : Statistics.MeanInterval.of(v).halfWidth();
        }
    }

    /**
     * The ratio columns and the average column, in Markdown (with separator row); the CSV table
     * with that header (each value followed by its half-width).
     */
    private static CsvTable appendHeader(StringBuilder md, TreeSet<Double> ratios) {
        List<String> header = new ArrayList<>(List.of("architecture"));
        for (double r : ratios) {
            md.append(' ').append(Tables.percent(r)).append("% |");
            header.add(Tables.cell("%.4f", r));
            header.add(Tables.cell("%.4f_ci95", r));
        }
        md.append(" average |\n| --- |").append(" --- |".repeat(ratios.size() + 1)).append('\n');
        header.add("average");
        header.add("average_ci95");
        return new CsvTable(header);
    }

    /** One row: an improvement per ratio (blank where missing), then the row's average. */
    private static void appendRow(
            StringBuilder md,
            CsvTable csv,
            String label,
            List<Improvement> perRatio,
            Improvement average) {
        md.append("| ").append(label).append(" |");
        List<String> cells = new ArrayList<>(List.of(label.replace("*", "")));
        List<Improvement> all = new ArrayList<>(perRatio);
        all.add(average);
        for (Improvement i : all) {
            if (i == null) {
                md.append("  |");
                cells.add("");
                cells.add("");
                continue;
            }
            double h = i.halfWidth();
            md.append(String.format(Locale.ROOT, " %.2f%%", i.mean()));
            md.append(Double.isNaN(h) ? " |" : String.format(Locale.ROOT, " +- %.2f |", h));
            cells.add(Tables.cell("%.4f", i.mean()));
            cells.add(Double.isNaN(h) ? "" : Tables.cell("%.4f", h));
        }
        md.append('\n');
        csv.add(cells);
    }
}
