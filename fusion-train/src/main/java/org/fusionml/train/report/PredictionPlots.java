package org.fusionml.train.report;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.fusionml.data.InvalidInputException;
import org.fusionml.data.io.CsvTable;

/**
 * The figures of one trained model's test predictions, from its run folder's {@code
 * predictions.csv} (columns {@code id,target,prediction} and, for the evidential head, {@code
 * gamma,nu,alpha,beta,aleatoric,epistemic}, variances in unit^2):
 *
 * <ul>
 *   <li>{@code parity.svg|png}: predicted against true target, with the line y = x;
 *   <li>evidential models only, {@code calibration.svg|png|csv}: the fraction of test structures
 *       whose error |y - gamma| is within k sigma, for k from 0 to {@link #K_MAX}, where sigma =
 *       sqrt(aleatoric + epistemic) is the standard deviation of the predictive Student t (as
 *       {@code fusion predict} reports it), against two references: the fraction a normal error of
 *       that sigma would give, erf(k / sqrt 2), and the fraction the model's own predictive
 *       distribution promises, the mean over rows of P(|T_{2 alpha}| <= k sqrt(alpha / (alpha -
 *       1))) (Student's t with 2 alpha degrees of freedom and scale s, sigma / s = sqrt(alpha /
 *       (alpha - 1))). Observed below the references: sigma too small (over-confident).
 * </ul>
 */
public final class PredictionPlots {
    /** The largest k of the calibration curve, in sigmas. */
    public static final double K_MAX = 3;

    /** Steps of k from 0 to {@link #K_MAX}. */
    static final int K_STEPS = 60;

    private PredictionPlots() {}

    /**
     * The calibration curve of evidential test predictions, one entry per k.
     *
     * @param k [K] multiples of sigma, 0 to {@link #K_MAX}
     * @param observed [K] fraction of rows with |target - prediction| <= k sigma
     * @param normal [K] erf(k / sqrt 2)
     * @param studentT [K] the fraction the predictive Student t distributions promise
     * @param n rows
     */
    public record Calibration(
            double[] k, double[] observed, double[] normal, double[] studentT, int n) {}

    /**
     * Writes the parity plot, and for evidential predictions the calibration plot and table, into
     * {@code runDir} from its {@code predictions.csv}; returns the base names written ({@code
     * parity}, {@code calibration}).
     *
     * @param targetName the target's name, e.g. {@code exfoliation_en}
     * @param unit the target's unit ({@link Units#label})
     * @throws InvalidInputException when predictions.csv is missing, lacks a column or holds a
     *     value that is not a number
     */
    public static List<String> write(Path runDir, String targetName, String unit)
            throws IOException {
        Path file = runDir.resolve("predictions.csv");
        CsvTable csv = CsvTable.read(file);
        double[] target = column(csv, "target", file);
        double[] prediction = column(csv, "prediction", file);
        List<String> written = new ArrayList<>();
        parity(target, prediction, targetName, unit).write(runDir, "parity");
        written.add("parity");
        if (csv.header().contains("alpha")) {
            Calibration c =
                    calibration(
                            target,
                            prediction,
                            column(csv, "aleatoric", file),
                            column(csv, "epistemic", file),
                            column(csv, "alpha", file));
            calibrationTable(c).write(runDir.resolve("calibration.csv"));
            calibrationChart(c).write(runDir, "calibration");
            written.add("calibration");
        }
        return written;
    }

    /**
     * Predicted against true target, one marker per structure, and the line y = x from 5 % below to
     * 5 % above the values.
     */
    static Chart parity(double[] target, double[] prediction, String targetName, String unit) {
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        double mae = 0;
        for (int i = 0; i < target.length; i++) {
            lo = Math.min(lo, Math.min(target[i], prediction[i]));
            hi = Math.max(hi, Math.max(target[i], prediction[i]));
            mae += Math.abs(target[i] - prediction[i]) / target.length;
        }
        // the line y = x reaches 5 % beyond the data, so that no point sits on an axis
        double margin = hi > lo ? 0.05 * (hi - lo) : Math.max(1e-9, 0.05 * Math.abs(lo));
        lo -= margin;
        hi += margin;
        String name = targetName == null || targetName.isEmpty() ? "target" : targetName;
        return new Chart(
                String.format(
                        Locale.ROOT, "Test predictions (n = %d, MAE %.4g)", target.length, mae),
                Units.label("true " + name, unit),
                Units.label("predicted " + name, unit),
                List.of(
                        new Chart.Series(
                                "test structure", target, prediction, null, Chart.Style.MARKERS),
                        new Chart.Series(
                                "y = x",
                                new double[] {lo, hi},
                                new double[] {lo, hi},
                                null,
                                Chart.Style.DASHED)),
                List.of(),
                false,
                "");
    }

    /**
     * The calibration curve of rows with the evidential head's variances (unit^2) and alpha; see
     * the class comment.
     */
    public static Calibration calibration(
            double[] target,
            double[] prediction,
            double[] aleatoric,
            double[] epistemic,
            double[] alpha) {
        int n = target.length;
        double[] k = new double[K_STEPS + 1];
        double[] observed = new double[K_STEPS + 1];
        double[] normal = new double[K_STEPS + 1];
        double[] studentT = new double[K_STEPS + 1];
        for (int j = 0; j <= K_STEPS; j++) {
            k[j] = K_MAX * j / K_STEPS;
            normal[j] = Statistics.normalWithin(k[j]);
            int within = 0;
            double promised = 0;
            for (int i = 0; i < n; i++) {
                double sigma = Math.sqrt(aleatoric[i] + epistemic[i]);
                within += Math.abs(target[i] - prediction[i]) <= k[j] * sigma ? 1 : 0;
                promised +=
                        Statistics.studentTWithin(
                                        k[j] * Math.sqrt(alpha[i] / (alpha[i] - 1)), 2 * alpha[i])
                                / n;
            }
            observed[j] = (double) within / n;
            studentT[j] = promised;
        }
        return new Calibration(k, observed, normal, studentT, n);
    }

    /** {@code calibration.csv}: k, observed, normal, student_t. */
    static CsvTable calibrationTable(Calibration c) {
        CsvTable csv = new CsvTable("k", "observed", "normal", "student_t");
        for (int j = 0; j < c.k().length; j++) {
            csv.add(
                    Tables.cell("%.2f", c.k()[j]),
                    Tables.cell("%.6f", c.observed()[j]),
                    Tables.cell("%.6f", c.normal()[j]),
                    Tables.cell("%.6f", c.studentT()[j]));
        }
        return csv;
    }

    private static Chart calibrationChart(Calibration c) {
        return new Chart(
                "Calibration of the predicted sigma (n = " + c.n() + " test structures)",
                "k (multiples of the predicted sigma)",
                "fraction of test errors within k sigma",
                List.of(
                        new Chart.Series("observed", c.k(), c.observed(), null, Chart.Style.LINE),
                        new Chart.Series(
                                "ideal, normal", c.k(), c.normal(), null, Chart.Style.DASHED),
                        new Chart.Series(
                                "ideal, Student t", c.k(), c.studentT(), null, Chart.Style.DASHED)),
                List.of(),
                false,
                "sigma = sqrt(aleatoric + epistemic variance). Ideal: the fraction if errors"
                        + " followed a normal distribution of that sigma, or the model's predictive"
                        + " Student t. Below ideal: over-confident.");
    }

    private static double[] column(CsvTable csv, String name, Path file) {
        int col = csv.header().indexOf(name);
        if (col < 0) {
            throw new InvalidInputException(
                    file.toString(), null, "no column '" + name + "' in " + csv.header());
        }
        double[] out = new double[csv.rows().size()];
        for (int r = 0; r < out.length; r++) {
            String cell = csv.rows().get(r).get(col);
            try {
                out[r] = Double.parseDouble(cell);
            } catch (NumberFormatException e) {
                throw new InvalidInputException(
                        file.toString(),
                        "row " + (r + 1),
                        name + " '" + cell + "' is not a number");
            }
        }
        return out;
    }
}
