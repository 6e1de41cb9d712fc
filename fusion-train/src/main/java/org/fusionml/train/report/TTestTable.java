package org.fusionml.train.report;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.MathContext;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.fusionml.data.io.CsvTable;

/**
 * The paired t-tests ({@code ttest.md|csv}): two-sided paired t-tests of FUSION against every other
 * method per architecture and ratio, pairs matched by (seed, held-out cluster).
 */
final class TTestTable {
    private TTestTable() {}

    static void write(Map<String, Map<String, Map<Double, Map<String, Double>>>> all, Path outDir)
            throws IOException {
        StringBuilder md =
                new StringBuilder(
                        "Paired t-tests, FUSION against each method (pairs: same seed and held-out"
                            + " cluster; negative mean difference = FUSION lower MAE)\n\n"
                            + "| architecture | ratio | method | pairs | mean difference | t | p"
                            + " |\n"
                            + "| --- | --- | --- | --- | --- | --- | --- |\n");
        CsvTable csv =
                new CsvTable(
                        "architecture", "ratio", "method", "pairs", "mean_difference", "t", "p");
        int tests = 0;
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
                    appendRow(md, csv, arch.getKey(), r.getKey(), other.getKey(), keys.size(), t);
                    tests++;
                }
            }
        }
        md.append(comparisons(tests));
        Tables.write(outDir, "ttest", md, csv);
    }

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

    /** One test of FUSION against {@code method} at {@code ratio}, in Markdown and CSV. */
    private static void appendRow(
            StringBuilder md,
            CsvTable csv,
            String architecture,
            double ratio,
            String method,
            int pairs,
            PairedTTest t) {
        md.append(
                String.format(
                        Locale.ROOT,
                        "| %s | %s%% | %s | %d | %.3f | %.3f | %.4g |%n",
                        architecture,
                        Tables.percent(ratio),
                        method,
                        pairs,
                        t.meanDifference(),
                        t.t(),
                        t.p()));
        csv.add(
                architecture,
                Tables.cell("%.4f", ratio),
                method,
                Integer.toString(pairs),
                Tables.cell("%.6f", t.meanDifference()),
                Tables.cell("%.6f", t.t()),
                Tables.cell("%.6g", t.p()));
    }
}
