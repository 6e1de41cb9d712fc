package org.fusionml.train.report;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.MathContext;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.fusionml.data.io.CsvTable;

/**
 * The paired t-tests ({@code ttest.md|csv}): two-sided paired t-tests of FUSION against every other
 * method per architecture and ratio, pairs matched by (seed, held-out cluster), each p beside its
 * Holm-adjusted value over all tests of the table ({@link Statistics#holm}).
 */
final class TTestTable {
    private TTestTable() {}

    /** One test of FUSION against {@code method} at {@code ratio}. */
    private record Row(
            String architecture, double ratio, String method, int pairs, PairedTTest t) {}

    static void write(Map<String, Map<String, Map<Double, Map<String, Double>>>> all, Path outDir)
            throws IOException {
        StringBuilder md =
                new StringBuilder(
                        "Paired t-tests, FUSION against each method (pairs: same seed and held-out"
                            + " cluster; negative mean difference = FUSION lower MAE); p_holm: p"
                            + " adjusted by Holm's method over all tests of this table\n\n"
                            + "| architecture | ratio | method | pairs | mean difference | t | p |"
                            + " p_holm |\n"
                            + "| --- | --- | --- | --- | --- | --- | --- | --- |\n");
        CsvTable csv =
                new CsvTable(
                        "architecture",
                        "ratio",
                        "method",
                        "pairs",
                        "mean_difference",
                        "t",
                        "p",
                        "p_holm");
        List<Row> rows = new ArrayList<>();
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
                    rows.add(
                            new Row(
                                    arch.getKey(),
                                    r.getKey(),
                                    other.getKey(),
                                    keys.size(),
                                    PairedTTest.of(a, b)));
                }
            }
        }
        double[] holm = Statistics.holm(rows.stream().mapToDouble(r -> r.t().p()).toArray());
        for (int i = 0; i < rows.size(); i++) {
            appendRow(md, csv, rows.get(i), holm[i]);
        }
        md.append(comparisons(rows.size()));
        if (!rows.isEmpty()) {
            md.append(HOLM_NOTE);
        }
        Tables.write(outDir, "ttest", md, csv);
    }

    /** The line under {@link #comparisons} on the Holm-adjusted column. */
    static final String HOLM_NOTE =
            "p_holm < 0.05 holds the same 5 % over all tests and rejects at least what Bonferroni"
                + " does (Holm's step-down method: the i-th smallest of m p-values times m - i + 1,"
                + " kept non-decreasing, at most 1).\n";

    /**
     * The line under the table that says how many tests it holds and the p-value each must beat for
     * a family-wise error of 5 % over all of them (Bonferroni: 0.05 / tests).
     */
    static String comparisons(int tests) {
        if (tests == 0) {
            return "\nNo test: FUSION and another method share fewer than two seeds at every"
                    + " ratio.\n";
        }
        String threshold =
                new BigDecimal(0.05 / tests)
                        .round(new MathContext(3))
                        .stripTrailingZeros()
                        .toPlainString();
        return String.format(
                Locale.ROOT,
                "%n%d %s in this table. Each p is for its own comparison; over all %d, p < %s"
                        + " (0.05 / %d, Bonferroni) keeps the chance of any false positive below"
                        + " 5 %%.%n",
                tests,
                tests == 1 ? "test" : "tests",
                tests,
                threshold,
                tests);
    }

    /** One test and its Holm-adjusted p, in Markdown and CSV. */
    private static void appendRow(StringBuilder md, CsvTable csv, Row row, double holm) {
        PairedTTest t = row.t();
        md.append(
                String.format(
                        Locale.ROOT,
                        "| %s | %s%% | %s | %d | %s | %.3f | %.4g | %.4g |%n",
                        row.architecture(),
                        Tables.percent(row.ratio()),
                        row.method(),
                        row.pairs(),
                        Tables.significant(t.meanDifference(), 3),
                        t.t(),
                        t.p(),
                        holm));
        csv.add(
                row.architecture(),
                Tables.cell("%.4f", row.ratio()),
                row.method(),
                Integer.toString(row.pairs()),
                Tables.cell("%.6f", t.meanDifference()),
                Tables.cell("%.6f", t.t()),
                Tables.cell("%.6g", t.p()),
                Tables.cell("%.6g", holm));
    }
}
