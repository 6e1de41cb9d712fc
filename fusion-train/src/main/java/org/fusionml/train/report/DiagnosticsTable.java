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
import java.util.function.ToDoubleFunction;
import java.util.stream.Stream;
import org.fusionml.data.io.CsvTable;
import org.fusionml.train.loop.CellResult;
import org.fusionml.train.loop.LoopDirectory;
import org.fusionml.train.prune.PruningMethods;
import org.fusionml.train.score.ScoresTable;

/**
 * What drove each pruning ({@code diagnostics.md|csv}): per fold, the quantiles of U, W and I over
 * the candidates ({@code scores.csv} the loop keeps) and how I ranks against U and 1 / W; per
 * method and ratio, the mean fraction of removed structures whose nearest candidate was removed too
 * (cells that record it); {@code hist_u|w|i.svg|png}, the distribution of each score over the
 * candidates; per scoring variant ({@code scores@NAME.csv}), how its I ranks against the loop's and
 * how much of what FUSION removes it shares. Not written when the loop folder has neither.
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
        CsvTable csv = new CsvTable("table", "fold", "key", "value");
        Map<String, List<ScoresTable.Row>> scores = new TreeMap<>();
        for (var f : scoreFiles.entrySet()) {
            scores.put(f.getKey(), ScoresTable.read(f.getValue()));
        }
        appendScores(md, csv, scores);
        appendVariants(md, csv, scoreFiles, scores, fusionRatios(cells));
        appendLosses(md, csv, losses);
        Tables.write(outDir, "diagnostics", md, csv);
        if (scores.isEmpty()) {
            return;
        }
        histogram(scores, "U", "uncertainty U (Eq. 3, dimensionless)", ScoresTable.Row::uncertainty)
                .write(outDir, "hist_u");
        histogram(
                        scores,
                        "W",
                        "weighting factor W (Eq. 5, dimensionless)",
                        ScoresTable.Row::weighting)
                .write(outDir, "hist_w");
        histogram(
                        scores,
                        "I",
                        "influence I = U / W (Eq. 6, dimensionless)",
                        ScoresTable.Row::influence)
                .write(outDir, "hist_i");
    }

    /** Bins of the score histograms, between the pooled 0.5 % and 99.5 % quantiles. */
    static final int BINS = 30;

    /**
     * The distribution of one score over the candidates, one line per fold: the fraction of
     * candidates per bin at the bin centres; the bins span the 0.5-99.5 % quantiles of all folds
     * pooled, the values beyond them counted in the end bins.
     */
    private static Chart histogram(
            Map<String, List<ScoresTable.Row>> scores,
            String symbol,
            String label,
            ToDoubleFunction<ScoresTable.Row> term) {
        double[] pooled =
                scores.values().stream().flatMap(List::stream).mapToDouble(term).toArray();
        double lo = Statistics.quantile(pooled, 0.005);
        double hi = Statistics.quantile(pooled, 0.995);
        if (!(hi > lo)) {
            double pad = Math.max(Math.abs(lo) * 0.01, 1e-12);
            lo -= pad;
            hi += pad;
        }
        double[] centres = new double[BINS];
        for (int b = 0; b < BINS; b++) {
            centres[b] = lo + (b + 0.5) * (hi - lo) / BINS;
        }
        List<Chart.Series> series = new ArrayList<>();
        for (var fold : scores.entrySet()) {
            double[] values = fold.getValue().stream().mapToDouble(term).toArray();
            series.add(
                    new Chart.Series(
                            fold.getKey().equals("all") ? "candidates" : "cluster " + fold.getKey(),
                            centres,
                            PruningDiagnostics.histogram(values, BINS, lo, hi)));
        }
        return new Chart(
                "Distribution of " + symbol + " over the candidates",
                label + "; end bins hold the outer 0.5 %",
                "fraction of candidates per bin",
                series,
                List.of(),
                false);
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

    private static void appendScores(
            StringBuilder md, CsvTable csv, Map<String, List<ScoresTable.Row>> files) {
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
            PruningDiagnostics.ScoreSummary s = PruningDiagnostics.summarise(f.getValue());
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
            row(csv, "scores", fold, "candidates", s.candidates());
            for (int k = 0; k < PruningDiagnostics.LEVELS.length; k++) {
                String q =
                        String.format(Locale.ROOT, "q%02.0f", 100 * PruningDiagnostics.LEVELS[k]);
                row(csv, "scores", fold, "U_" + q, s.uncertainty()[k]);
                row(csv, "scores", fold, "W_" + q, s.weighting()[k]);
                row(csv, "scores", fold, "I_" + q, s.influence()[k]);
            }
            row(csv, "scores", fold, "spearman_I_U", s.spearmanWithU());
            row(csv, "scores", fold, "spearman_I_inverse_W", s.spearmanWithInverseW());
        }
        md.append('\n');
    }

    /** The ratios of FUSION's cells under any scoring, above 0. */
    private static List<Double> fusionRatios(List<CellResult> cells) {
        return cells.stream()
                .filter(c -> PruningMethods.base(c.method()).equals("fusion") && c.ratio() > 0)
                .map(CellResult::ratio)
                .distinct()
                .sorted()
                .toList();
    }

    /**
     * What is compared with a fold's scores, by label: each scoring variant ({@code
     * scores@NAME.csv} beside {@code scores.csv}, label NAME) and each other seed's surrogate
     * ({@code seed_S/scores.csv} of {@code surrogate_per_seed}, label "seed S surrogate").
     */
    private static Map<String, Path> comparedScores(Path dir) throws IOException {
        Map<String, Path> out = new LinkedHashMap<>();
        try (Stream<Path> siblings = Files.list(dir)) {
            for (Path v : siblings.sorted().toList()) {
                String name = v.getFileName().toString();
                if (name.startsWith("scores@") && name.endsWith(".csv")) {
                    out.put(name.substring(7, name.length() - 4), v);
                } else if (LoopDirectory.seedOf(v).isPresent()
                        && Files.isRegularFile(v.resolve("scores.csv"))) {
                    out.put(
                            "seed " + LoopDirectory.seedOf(v).getAsLong() + " surrogate",
                            v.resolve("scores.csv"));
                }
            }
        }
        return out;
    }

    /**
     * Scoring variants and other seeds' surrogates ({@link #comparedScores}) against each fold's
     * scores.
     */
    private static void appendVariants(
            StringBuilder md,
            CsvTable csv,
            Map<String, Path> files,
            Map<String, List<ScoresTable.Row>> scores,
            List<Double> ratios)
            throws IOException {
        StringBuilder rows = new StringBuilder();
        boolean otherSeeds = false;
        for (var f : files.entrySet()) {
            for (var v : comparedScores(f.getValue().getParent()).entrySet()) {
                String variant = v.getKey();
                otherSeeds |= variant.startsWith("seed ");
                PruningDiagnostics.VariantOverlap o =
                        PruningDiagnostics.compare(
                                scores.get(f.getKey()), ScoresTable.read(v.getValue()), ratios);
                StringBuilder overlaps = new StringBuilder();
                for (var j : o.jaccard().entrySet()) {
                    overlaps.append(
                            String.format(
                                    Locale.ROOT,
                                    "%s%s%%: %.3f",
                                    overlaps.length() == 0 ? "" : ", ",
                                    Tables.percent(j.getKey()),
                                    j.getValue()));
                    row(
                            csv,
                            "variant_jaccard",
                            f.getKey(),
                            String.format(Locale.ROOT, "%s/%.4f", variant, j.getKey()),
                            j.getValue());
                }
                rows.append(
                        String.format(
                                Locale.ROOT,
                                "| %s | %s | %.3f | %.3f | %.3f | %s |%n",
                                f.getKey(),
                                variant,
                                o.spearmanOfInfluence(),
                                o.summary().spearmanWithU(),
                                o.summary().spearmanWithInverseW(),
                                overlaps.length() == 0 ? "-" : overlaps));
                row(csv, "variant_spearman_I", f.getKey(), variant, o.spearmanOfInfluence());
                row(csv, "variant_spearman_I_U", f.getKey(), variant, o.summary().spearmanWithU());
                row(
                        csv,
                        "variant_spearman_I_inverse_W",
                        f.getKey(),
                        variant,
                        o.summary().spearmanWithInverseW());
            }
        }
        if (rows.length() == 0) {
            return;
        }
        md.append(
                        "Scoring variants (`score_variants`, methods `fusion@NAME`)"
                                + (otherSeeds
                                        ? " and the surrogates of other seeds"
                                                + " (`surrogate_per_seed`)"
                                        : "")
                                + " against the"
                                + " loop's scores: Spearman's rho of the variant's I with the"
                                + " loop's I, of the variant's I with its U and with its 1 / W, and"
                                + " the Jaccard overlap of the sets FUSION removes under the two"
                                + " scorings at each ratio (1: the same structures)\n\n"
                                + "| held-out cluster | variant | rho(I, I_variant) | rho(I, U) |"
                                + " rho(I, 1/W) | overlap of removed sets |\n"
                                + "| --- | --- | --- | --- | --- | --- |\n")
                .append(rows)
                .append('\n');
    }

    private static void appendLosses(
            StringBuilder md,
            CsvTable csv,
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
                    row(
                            csv,
                            "neighbour_loss",
                            "",
                            String.format(
                                    Locale.ROOT,
                                    "%s/%s/%.4f",
                                    arch.getKey(),
                                    method.getKey(),
                                    r.getKey()),
                            mean);
                }
            }
        }
    }

    private static String quantiles(double[] q) {
        return String.format(
                Locale.ROOT, "%.3g / %.3g / %.3g / %.3g / %.3g", q[0], q[1], q[2], q[3], q[4]);
    }

    private static void row(CsvTable csv, String table, String fold, String key, double value) {
        csv.add(table, fold, key, Tables.cell("%.6g", value));
    }
}
