package org.fusionml.train.trainer;

/**
 * Regression metrics in physical units.
 *
 * @param count structures
 * @param mae mean absolute error
 * @param rmse root-mean-square error
 * @param r2 coefficient of determination
 * @param meanAleatoric mean predicted aleatoric standard deviation sqrt(beta / (alpha - 1)) (NaN
 *     without an evidential head)
 * @param meanEpistemic mean epistemic standard deviation sqrt(beta / (nu (alpha - 1)))
 * @param within1Sigma fraction of targets within one total predicted sigma of the prediction
 * @param within2Sigma fraction within two
 */
public record Metrics(
        int count,
        double mae,
        double rmse,
        double r2,
        double meanAleatoric,
        double meanEpistemic,
        double within1Sigma,
        double within2Sigma) {

    /**
     * Metrics of predictions against targets; {@code aleatoric}/{@code epistemic} are variances or
     * null.
     */
    public static Metrics of(
            double[] target, double[] prediction, double[] aleatoric, double[] epistemic) {
        int n = target.length;
        double mean = 0;
        for (double t : target) {
            mean += t / n;
        }
        double abs = 0;
        double sq = 0;
        double tot = 0;
        for (int i = 0; i < n; i++) {
            double d = prediction[i] - target[i];
            abs += Math.abs(d);
            sq += d * d;
            tot += (target[i] - mean) * (target[i] - mean);
        }
        double ale = Double.NaN;
        double epi = Double.NaN;
        double in1 = Double.NaN;
        double in2 = Double.NaN;
        if (aleatoric != null) {
            ale = 0;
            epi = 0;
            int c1 = 0;
            int c2 = 0;
            for (int i = 0; i < n; i++) {
                ale += Math.sqrt(aleatoric[i]) / n;
                epi += Math.sqrt(epistemic[i]) / n;
                double sigma = Math.sqrt(aleatoric[i] + epistemic[i]);
                double d = Math.abs(prediction[i] - target[i]);
                c1 += d <= sigma ? 1 : 0;
                c2 += d <= 2 * sigma ? 1 : 0;
            }
            in1 = (double) c1 / n;
            in2 = (double) c2 / n;
        }
        return new Metrics(
                n,
                abs / n,
                Math.sqrt(sq / n),
                tot > 0 ? 1 - sq / tot : Double.NaN,
                ale,
                epi,
                in1,
                in2);
    }
}
