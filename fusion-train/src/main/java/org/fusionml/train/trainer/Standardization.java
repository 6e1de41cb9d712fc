package org.fusionml.train.trainer;

/**
 * The target standardisation of a run: the loss is computed on (y - mean) / std, metrics in the
 * target's unit. Both come from the training part only.
 *
 * @param mean mean target of the training part, target unit
 * @param std its population standard deviation, target unit (1 when all targets are equal)
 */
public record Standardization(double mean, double std) {
    /** Mean and standard deviation of {@code targets} at {@code rows}. */
    public static Standardization of(double[] targets, int[] rows) {
        double mean = 0;
        for (int i : rows) {
            mean += targets[i] / rows.length;
        }
        double var = 0;
        for (int i : rows) {
            var += (targets[i] - mean) * (targets[i] - mean) / rows.length;
        }
        return new Standardization(mean, Math.sqrt(var) > 0 ? Math.sqrt(var) : 1.0);
    }

    /** {@code y} in standard units. */
    public double standardize(double y) {
        return (y - mean) / std;
    }

    /** MAE of always predicting the mean on {@code rows} of {@code targets}; NaN for no rows. */
    public double meanPredictorMae(double[] targets, int[] rows) {
        double mae = 0;
        for (int i : rows) {
            mae += Math.abs(targets[i] - mean) / rows.length;
        }
        return rows.length == 0 ? Double.NaN : mae;
    }
}
