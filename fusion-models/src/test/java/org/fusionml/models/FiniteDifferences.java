package org.fusionml.models;

import java.util.function.ToDoubleFunction;

/**
 * Central finite differences, the reference the autograd gradients of the tests are checked
 * against.
 */
public final class FiniteDifferences {
    private FiniteDifferences() {}

    /** (f(x + step e_k) - f(x - step e_k)) / (2 step) for every k; {@code at} is not changed. */
    public static double[] gradient(double[] at, ToDoubleFunction<double[]> f, double step) {
        double[] g = new double[at.length];
        for (int k = 0; k < at.length; k++) {
            double[] plus = at.clone();
            double[] minus = at.clone();
            plus[k] += step;
            minus[k] -= step;
            g[k] = (f.applyAsDouble(plus) - f.applyAsDouble(minus)) / (2 * step);
        }
        return g;
    }
}
