package org.fusionml.train.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.fusionml.train.loop.CellResult;
import org.fusionml.train.score.ScoresTable;

/**
 * What drove each pruning ({@code diagnostics.md|csv}): per fold, the quantiles of U, W and I over
 * the candidates ({@code scores.csv} the loop keeps) and how I ranks against U and 1 / W; per
 * method and ratio, the mean fraction of removed structures whose nearest candidate was removed too
 * (cells that record it). Not written when the loop folder has neither.
 */
final class DiagnosticsTable {
    private DiagnosticsTable() {}

    static void write(List<CellResult> cells, Path loopDir, Path outDir) throws IOException {
        Map<String, Path> scoreFiles = scoreFiles(loopDir);
        var losses =
                Tables.byArchitecture(
                        cells.stream()
                                .filter(
                                        c ->
                                                c.neighbourLoss() != null
                                                        && !c.neighbourLoss().isNaN())
                                .toList(),
                        CellResult::neighbourLoss);
        if (scoreFiles.isEmpty() && losses.isEmpty()) {
            return;
        }
        StringBuilder md = new StringBuilder();
        StringBuilder csv = new StringBuilder("table,fold,key,value\n");
        appendScores(md, csv, scoreFiles);
        appendLosses(md, csv, losses);
        Tables.write(outDir, "diagnostics", md, csv);
    }

    /** fold label -> scores file: {@code scores.csv} (in distribution) or {@code fold_c/}. */
    private static Map<String, Path> scoreFiles(Path loopDir) throws IOException {
        Map<String, Path> files = new TreeMap<>();
        if (Files.isRegularFile(loopDir.resolve("scores.csv"))) {
            files.put("all", loopDir.resolve("scores.csv"));
        }
        if (Files.isDirectory(loopDir)) {
            try (Stream<Path> dirs = Files.list(loopDir)) {
                for (Path d : dirs.sorted().toList()) {
                    String name = d.getFileName().toString();
                    if (name.startsWith("fold_") && Files.isRegularFile(d.resolve("scores.csv"))) {
                        files.put(name.substring(5), d.resolve("scores.csv"));
                    }
                }
            }
        }
        return files;
    }

    private static void appendScores(StringBuilder md, StringBuilder csv, Map<String, Path> files)
            throws IOException {
        if (files.isEmpty()) {
            return;
        }
        md.append(
                "Scores of the candidates (quantiles 5 / 25 / 50 / 75 / 95 %) and Spearman's rho"
                        + " of I with U and with 1 / W: the term with |rho| near 1 ranked the"
                        + " pruning\n\n"
                        + "| held-out cluster | candidates | U | W | I | rho(I, U) | rho(I, 1/W)"
                        + " |\n"
                        + "| --- | --- | --- | --- | --- | --- | --- |\n");
        for (var f : files.entrySet()) {
            PruningDiagnostics.ScoreSummary s =
                    PruningDiagnostics.summarise(ScoresTable.read(f.getValue()));
            md.append(
                    String.format(
                            Locale.ROOT,
                            "| %s | %d | %s | %s | %s | %.3f | %.3f |%n",
                            f.getKey(),
                            s.candidates(),
                            quantiles(s.uncertainty()),
                            quantiles(s.weighting()),
                            quantiles(s.influence()),
                            s.spearmanWithU(),
                            s.spearmanWithInverseW()));
            String fold = f.getKey();
            csv.append(row("scores", fold, "candidates", s.candidates()));
            for (int k = 0; k < PruningDiagnostics.LEVELS.length; k++) {
                String q =
                        String.format(Locale.ROOT, "q%02.0f", 100 * PruningDiagnostics.LEVELS[k]);
                csv.append(row("scores", fold, "U_" + q, s.uncertainty()[k]));
                csv.append(row("scores", fold, "W_" + q, s.weighting()[k]));
                csv.append(row("scores", fold, "I_" + q, s.influence()[k]));
            }
            csv.append(row("scores", fold, "spearman_I_U", s.spearmanWithU()));
            csv.append(row("scores", fold, "spearman_I_inverse_W", s.spearmanWithInverseW()));
        }
        md.append('\n');
    }

    private static void appendLosses(
            StringBuilder md,
            StringBuilder csv,
            Map<String, Map<String, Map<Double, Map<String, Double>>>> losses) {
        if (losses.isEmpty()) {
            return;
        }
        md.append(
                "Removed structures whose nearest candidate in fingerprint space was removed too"
                        + " (mean over cells; near 1: whole neighbourhoods gone, near 0: one of"
                        + " each close pair)\n\n"
                        + "| architecture | method | ratio | neighbour loss | cells |\n"
                        + "| --- | --- | --- | --- | --- |\n");
        for (var arch : losses.entrySet()) {
            for (var method : arch.getValue().entrySet()) {
                for (var r : method.getValue().entrySet()) {
                    double mean = Tables.mean(r.getValue());
                    md.append(
                            String.format(
                                    Locale.ROOT,
                                    "| %s | %s | %s%% | %.3f | %d |%n",
                                    arch.getKey(),
                                    method.getKey(),
                                    Tables.percent(r.getKey()),
                                    mean,
                                    r.getValue().size()));
                    csv.append(
                            row(
                                    "neighbour_loss",
                                    "",
                                    String.format(
                                            Locale.ROOT,
                                            "%s/%s/%.4f",
                                            arch.getKey(),
                                            method.getKey(),
                                            r.getKey()),
                                    mean));
                }
            }
        }
    }

    private static String quantiles(double[] q) {
        return String.format(
                Locale.ROOT, "%.3g / %.3g / %.3g / %.3g / %.3g", q[0], q[1], q[2], q[3], q[4]);
    }

    private static String row(String table, String fold, String key, double value) {
        return String.format(Locale.ROOT, "%s,%s,%s,%.6g%n", table, fold, key, value);
    }
}
