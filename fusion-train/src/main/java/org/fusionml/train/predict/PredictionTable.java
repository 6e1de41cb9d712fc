package org.fusionml.train.predict;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.fusionml.data.io.CsvTable;
import org.fusionml.train.trainer.Metrics;
import org.fusionml.train.trainer.Predictions;
import org.fusionml.train.trainer.TrainingDomain;

/**
 * The table {@code fusion predict} writes, one row per input structure, and its summary.
 *
 * <p>Columns ({@code U} the target's unit as a name: {@link #unitName}):
 *
 * <ul>
 *   <li>{@code source}, {@code id}: the file and the structure's id in it;
 *   <li>{@code target_U}: only when some input carries targets (a Matbench file), empty for the
 *       structures without one;
 *   <li>{@code prediction_U};
 *   <li>evidential models only: {@code sigma_aleatoric_U}, {@code sigma_epistemic_U}, {@code
 *       sigma_total_U}, {@code interval95_low_U}, {@code interval95_high_U} ({@link
 *       PredictiveInterval}); a plain regression model has none of these columns;
 *   <li>with a training domain: {@code nearest_training_id}, {@code domain_distance} (cosine
 *       distance of the fingerprints) and {@code out_of_domain} ({@code true} when the distance
 *       exceeds the domain's threshold; {@link TrainingDomain}).
 * </ul>
 *
 * Numbers are written as {@link Double#toString} writes them.
 */
public final class PredictionTable {
    private PredictionTable() {}

    /**
     * The distances of the inputs to the training domain.
     *
     * @param domain the model's training domain
     * @param nearest per input, the nearest training structure and the distance to it
     */
    public record DomainCheck(TrainingDomain domain, TrainingDomain.Nearest nearest) {
        public boolean outOfDomain(int k) {
            return nearest.distance()[k] > domain.threshold();
        }
    }

    /**
     * The target unit as a column-name suffix: "/" becomes "_per_", any other run of characters
     * that are not letters or digits "_" ({@code meV/atom} -> {@code meV_per_atom}, {@code eV/cell}
     * -> {@code eV_per_cell}); a dataset of unknown unit gives {@code unit_unknown}.
     */
    public static String unitName(String unit) {
        if (unit == null || unit.isBlank() || unit.equals("unknown")) {
            return "unit_unknown";
        }
        String n = unit.strip().replace("/", "_per_").replaceAll("[^A-Za-z0-9]+", "_");
        return n.replaceAll("^_+|_+$", "");
    }

    /** The table of {@code inputs} with predictions {@code p} (and the domain check, or null). */
    public static CsvTable of(
            List<InputStructure> inputs, Predictions p, String unit, DomainCheck domain) {
        String u = "_" + unitName(unit);
        boolean targets = inputs.stream().anyMatch(i -> i.entry().target().isPresent());
        List<String> header = new ArrayList<>(List.of("source", "id"));
        if (targets) {
            header.add("target" + u);
        }
        header.add("prediction" + u);
        if (p.evidential()) {
            for (String c :
                    List.of(
                            "sigma_aleatoric",
                            "sigma_epistemic",
                            "sigma_total",
                            "interval95_low",
                            "interval95_high")) {
                header.add(c + u);
            }
        }
        if (domain != null) {
            header.addAll(List.of("nearest_training_id", "domain_distance", "out_of_domain"));
        }
        CsvTable csv = new CsvTable(header);
        for (int k = 0; k < inputs.size(); k++) {
            InputStructure in = inputs.get(k);
            List<String> row = new ArrayList<>(List.of(in.source(), in.entry().id()));
            if (targets) {
                row.add(
                        in.entry().target().isPresent()
                                ? Double.toString(in.entry().target().getAsDouble())
                                : "");
            }
            double y = p.prediction()[k];
            row.add(Double.toString(y));
            if (p.evidential()) {
                double half = PredictiveInterval.halfWidth(p, k);
                row.add(Double.toString(PredictiveInterval.sigmaAleatoric(p, k)));
                row.add(Double.toString(PredictiveInterval.sigmaEpistemic(p, k)));
                row.add(Double.toString(PredictiveInterval.sigmaTotal(p, k)));
                row.add(Double.toString(y - half));
                row.add(Double.toString(y + half));
            }
            if (domain != null) {
                row.add(domain.domain().trainIds().get(domain.nearest().index()[k]));
                row.add(Double.toString(domain.nearest().distance()[k]));
                row.add(Boolean.toString(domain.outOfDomain(k)));
            }
            csv.add(row);
        }
        return csv;
    }

    /** The metrics over the inputs that carry a target (physical units), or null when none does. */
    public static Metrics metrics(List<InputStructure> inputs, Predictions p) {
        List<Integer> rows = new ArrayList<>();
        for (int k = 0; k < inputs.size(); k++) {
            if (inputs.get(k).entry().target().isPresent()) {
                rows.add(k);
            }
        }
        if (rows.isEmpty()) {
            return null;
        }
        int n = rows.size();
        double[] target = new double[n];
        double[] pred = new double[n];
        double[] ale = p.evidential() ? new double[n] : null;
        double[] epi = p.evidential() ? new double[n] : null;
        for (int i = 0; i < n; i++) {
            int k = rows.get(i);
            target[i] = inputs.get(k).entry().target().getAsDouble();
            pred[i] = p.prediction()[k];
            if (ale != null) {
                ale[i] = p.aleatoric()[k];
                epi[i] = p.epistemic()[k];
            }
        }
        return Metrics.of(target, pred, ale, epi);
    }

    /** The summary lines: metrics when there are targets, the out-of-domain count when checked. */
    public static List<String> summary(int structures, Metrics m, String unit, DomainCheck domain) {
        List<String> lines = new ArrayList<>();
        if (m != null) {
            String line =
                    String.format(
                            Locale.ROOT,
                            "MAE %.6g RMSE %.6g %s over the %d of %d structures with a target",
                            m.mae(),
                            m.rmse(),
                            unit,
                            m.count(),
                            structures);
            if (!Double.isNaN(m.within1Sigma())) {
                line +=
                        String.format(
                                Locale.ROOT,
                                "; within 1 total sigma %.3f, 2 sigma %.3f",
                                m.within1Sigma(),
                                m.within2Sigma());
            }
            lines.add(line);
        }
        if (domain != null) {
            int out = 0;
            for (int k = 0; k < structures; k++) {
                out += domain.outOfDomain(k) ? 1 : 0;
            }
            lines.add(
                    String.format(
                            Locale.ROOT,
                            "out of domain: %d of %d structures (fingerprint cosine distance to the"
                                    + " nearest training structure > %.6g, the %.0fth percentile of"
                                    + " the training structures' leave-one-out distances)",
                            out,
                            structures,
                            domain.domain().threshold(),
                            domain.domain().percentile()));
        }
        return lines;
    }
}
