package org.fusionml.train.report;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.fusionml.data.io.CsvTable;

/**
 * The ranking of the architectures ({@code ranking.md|csv}, written when a loop trains two or
 * more): for each method and ratio (unpruned at 0), the architectures that have cells there,
 * ordered by their mean test MAE (ties by name), each with that mean and its number of cells. The
 * first column tells whether the best architecture changes with the pruning ratio.
 */
final class Ranking {
    private Ranking() {}

    static void write(
            Map<String, Map<String, Map<Double, Map<String, Double>>>> all,
            String unit,
            Path outDir)
            throws IOException {
        if (all.size() < 2) {
            return;
        }
        StringBuilder md =
                new StringBuilder(
                        "Architectures ranked by mean test MAE"
                                + (unit == null || unit.isEmpty() ? "" : " (" + unit + ")")
                                + " at each method and pruning ratio; n cells in brackets\n\n"
                                + "| method | ratio |");
        for (int i = 1; i <= all.size(); i++) {
            md.append(' ').append(i).append(" |");
        }
        md.append("\n| --- | --- |").append(" --- |".repeat(all.size())).append('\n');
        CsvTable csv =
                new CsvTable("method", "ratio", "rank", "architecture", "mean_test_mae", "cells");
        for (String method : methods(all)) {
            TreeSet<Double> ratios = new TreeSet<>();
            all.values().stream()
                    .filter(m -> m.containsKey(method))
                    .forEach(m -> ratios.addAll(m.get(method).keySet()));
            for (double r : ratios) {
                List<Entry> ranked = ranked(all, method, r);
                md.append("| ")
                        .append(method)
                        .append(" | ")
                        .append(Tables.percent(r))
                        .append("% |");
                for (int i = 0; i < all.size(); i++) {
                    if (i >= ranked.size()) {
                        md.append("  |");
                        continue;
                    }
                    Entry e = ranked.get(i);
                    md.append(
                            String.format(
                                    Locale.ROOT,
                                    " %s %s (%d) |",
                                    e.architecture(),
                                    Tables.significant(e.mean(), 2),
                                    e.cells()));
                    csv.add(
                            method,
                            Tables.cell("%.4f", r),
                            Integer.toString(i + 1),
                            e.architecture(),
                            Tables.cell("%.6f", e.mean()),
                            Integer.toString(e.cells()));
                }
                md.append('\n');
            }
        }
        Tables.write(outDir, "ranking", md, csv);
    }

    /** One architecture's mean test MAE over its cells at a method and ratio. */
    private record Entry(String architecture, double mean, int cells) {}

    private static List<Entry> ranked(
            Map<String, Map<String, Map<Double, Map<String, Double>>>> all,
            String method,
            double ratio) {
        List<Entry> out = new ArrayList<>();
        for (var arch : all.entrySet()) {
            var cells = arch.getValue().getOrDefault(method, Map.of()).get(ratio);
            if (cells != null && !cells.isEmpty()) {
                out.add(new Entry(arch.getKey(), Tables.mean(cells), cells.size()));
            }
        }
        out.sort(Comparator.comparingDouble(Entry::mean).thenComparing(Entry::architecture));
        return out;
    }

    /** Unpruned, FUSION and random first, then the other methods by name. */
    private static Set<String> methods(
            Map<String, Map<String, Map<Double, Map<String, Double>>>> all) {
        Set<String> out = new LinkedHashSet<>();
        TreeSet<String> present = new TreeSet<>();
        all.values().forEach(m -> present.addAll(m.keySet()));
        for (String first : List.of("none", "fusion", "random")) {
            if (present.remove(first)) {
                out.add(first);
            }
        }
        out.addAll(present);
        return out;
    }
}
