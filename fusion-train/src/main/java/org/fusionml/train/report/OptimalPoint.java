package org.fusionml.train.report;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.fusionml.data.io.CsvTable;

/**
 * The optimal pruning point ({@code optimal.md|csv} and {@code fig3.svg|png}): per architecture the
 * ratio of the lowest mean FUSION MAE, with the unpruned training as ratio 0, and its MAE change
 * against unpruned.
 */
final class OptimalPoint {
    private OptimalPoint() {}

    static void write(Map<String, Map<String, Map<Double, Map<String, Double>>>> all, Path outDir)
            throws IOException {
        StringBuilder md =
                new StringBuilder(
                        "Optimal pruning point: the FUSION ratio of lowest mean test MAE (ratio 0 ="
                            + " unpruned)\n\n"
                            + "| architecture | optimal ratio | MAE there | unpruned MAE | change"
                            + " vs unpruned |\n"
                            + "| --- | --- | --- | --- | --- |\n");
        CsvTable csv =
                new CsvTable(
                        "architecture", "optimal_ratio", "mae", "unpruned_mae", "change_percent");
        List<String> names = new ArrayList<>();
        List<Double> best = new ArrayList<>();
        for (var arch : all.entrySet()) {
            var fusion = arch.getValue().get("fusion");
            var none = arch.getValue().get("none");
            if (fusion == null || none == null || !none.containsKey(0.0)) {
                continue;
            }
            Map<Double, Double> curve = fusionCurve(fusion, none);
            double bestRatio = lowestRatio(curve);
            appendRow(md, csv, arch.getKey(), curve, bestRatio);
            names.add(arch.getKey());
            best.add(100 * bestRatio);
        }
        Tables.write(outDir, "optimal", md, csv);
        figure3(names, best).write(outDir, "fig3");
    }

    /** ratio -> mean FUSION MAE, with the unpruned mean at ratio 0. */
    private static Map<Double, Double> fusionCurve(
            Map<Double, Map<String, Double>> fusion, Map<Double, Map<String, Double>> none) {
        Map<Double, Double> curve = new TreeMap<>();
        curve.put(0.0, Tables.mean(none.get(0.0)));
        fusion.forEach((r, v) -> curve.put(r, Tables.mean(v)));
        return curve;
    }

    /** The lowest ratio of the lowest MAE on the curve (0 unless pruning beats unpruned). */
    private static double lowestRatio(Map<Double, Double> curve) {
        double bestRatio = 0;
        for (var e : curve.entrySet()) {
            if (e.getValue() < curve.get(bestRatio)) {
                bestRatio = e.getKey();
            }
        }
        return bestRatio;
    }

    /** One architecture's optimal ratio, its MAE, the unpruned MAE and the change (%). */
    private static void appendRow(
            StringBuilder md,
            CsvTable csv,
            String architecture,
            Map<Double, Double> curve,
            double bestRatio) {
        double unpruned = curve.get(0.0);
        double change = 100 * (curve.get(bestRatio) - unpruned) / unpruned;
        md.append(
                String.format(
                        Locale.ROOT,
                        "| %s | %s%% | %.3f | %.3f | %+.2f%% |%n",
                        architecture,
                        Tables.percent(bestRatio),
                        curve.get(bestRatio),
                        unpruned,
                        change));
        csv.add(
                architecture,
                Tables.cell("%.4f", bestRatio),
                Tables.cell("%.6f", curve.get(bestRatio)),
                Tables.cell("%.6f", unpruned),
                Tables.cell("%.4f", change));
    }

    /** Figure 3: the optimal pruning ratio (%) per architecture, as bars. */
    private static Chart figure3(List<String> names, List<Double> best) {
        double[] x = new double[names.size()];
        for (int i = 0; i < x.length; i++) {
            x[i] = i;
        }
        return new Chart(
                "Optimal FUSION pruning ratio per architecture",
                "architecture",
                "optimal pruning ratio (%)",
                List.of(
                        new Chart.Series(
                                "optimal",
                                x,
                                best.stream().mapToDouble(Double::doubleValue).toArray())),
                names,
                true,
                "The FUSION ratio of lowest mean test MAE; 0\u00a0%: no ratio beat the"
                        + " unpruned training.");
    }
}
