package org.fusionml.train.report;

import java.util.Arrays;
import java.util.stream.IntStream;

/**
 * Summary statistics of the report: confidence intervals, multiple-testing adjustment, quantiles
 * and rank correlation.
 */
public final class Statistics {
    private Statistics() {}

    /**
     * A sample mean with the half-width of its two-sided 95 % confidence interval, mean +- t(0.975,
     * n - 1) s / sqrt(n) (Student's t, s the n - 1 sample standard deviation); the half-width is
     * NaN for fewer than two values.
     *
     * @param mean the sample mean
     * @param halfWidth t(0.975, n - 1) s / sqrt(n), in the unit of the values
     * @param n the number of values
     */
    public record MeanInterval(double mean, double halfWidth, int n) {
        /** The 95 % interval of {@code values}. */
        public static MeanInterval of(double[] values) {
            int n = values.length;
            if (n == 0) {
                throw new IllegalArgumentException("a mean needs at least one value");
            }
            double mean = 0;
            for (double v : values) {
                mean += v / n;
            }
            if (n < 2) {
                return new MeanInterval(mean, Double.NaN, n);
            }
            double ss = 0;
            for (double v : values) {
                ss += (v - mean) * (v - mean);
            }
            double se = Math.sqrt(ss / (n - 1) / n);
            return new MeanInterval(mean, studentTQuantile(0.975, n - 1) * se, n);
        }
    }

    /**
     * The p-quantile of Student's t with {@code df} degrees of freedom (0 < p < 1), found by
     * bisection on its distribution function P(T <= t) = 1 - I_x(df / 2, 1 / 2) / 2 for t >= 0, x =
     * df / (df + t^2), to 1e-12 relative.
     */
    public static double studentTQuantile(double p, int df) {
        return studentTQuantile(p, (double) df);
    }

    /**
     * The p-quantile of Student's t with real {@code df} > 0 degrees of freedom (the predictive of
     * a Normal-Inverse-Gamma has 2 alpha), as {@link #studentTQuantile(double, int)}.
     */
    public static double studentTQuantile(double p, double df) {
        if (!(p > 0 && p < 1) || !(df > 0) || Double.isInfinite(df)) {
            throw new IllegalArgumentException(
                    "p must lie in (0, 1) and df >= 1: " + p + ", " + df);
        }
        if (p < 0.5) {
            return -studentTQuantile(1 - p, df);
        }
        double lo = 0;
        double hi = 1;
        while (cdf(hi, df) < p) {
            hi *= 2;
        }
        for (int i = 0; i < 200 && hi - lo > 1e-12 * hi; i++) {
            double mid = 0.5 * (lo + hi);
            if (cdf(mid, df) < p) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        return 0.5 * (lo + hi);
    }

    /**
     * P(|T| <= t) for Student's t with real {@code df} > 0 degrees of freedom and t >= 0: 1 -
     * I_x(df / 2, 1 / 2) at x = df / (df + t^2).
     */
    public static double studentTWithin(double t, double df) {
        if (!(t >= 0) || !(df > 0)) {
            throw new IllegalArgumentException("t must be >= 0 and df > 0: " + t + ", " + df);
        }
        return 1 - PairedTTest.regularizedBeta(df / (df + t * t), df / 2.0, 0.5);
    }

    /**
     * P(|Z| <= k) for a standard normal Z and k >= 0: erf(k / sqrt 2), the regularised lower
     * incomplete gamma P(1/2, x) at x = k^2 / 2 by its series e^-x x^(1/2) sum_n x^n / Gamma(n +
     * 3/2), whose terms are all positive (no cancellation), to 1e-15.
     */
    public static double normalWithin(double k) {
        if (!(k >= 0) || Double.isInfinite(k)) {
            throw new IllegalArgumentException("k must be finite and >= 0: " + k);
        }
        double x = k * k / 2;
        if (x > 40) {
            return 1; // 1 - erfc below 1e-18
        }
        double term = 2 / Math.sqrt(Math.PI); // 1 / Gamma(3/2)
        double sum = term;
        for (int n = 0; n < 500 && term > 1e-17 * sum; n++) {
            term *= x / (n + 1.5);
            sum += term;
        }
        return Math.min(1, Math.exp(-x) * Math.sqrt(x) * sum);
    }

    private static double cdf(double t, double df) {
        return 1 - 0.5 * PairedTTest.regularizedBeta(df / (df + t * t), df / 2.0, 0.5);
    }

    /**
     * Holm's step-down adjustment of {@code p} for testing them all at once (Holm, Scand. J.
     * Statist. 6, 65, 1979): with the m p-values in ascending order p_(1) <= ... <= p_(m), the
     * adjusted p_(i) is max over j <= i of min(1, (m - j + 1) p_(j)); rejecting where the adjusted
     * value is below alpha keeps the family-wise error rate at most alpha. Returned in the order of
     * {@code p} (as R's {@code p.adjust(p, "holm")}); NaN stays NaN and is not counted in m.
     */
    public static double[] holm(double[] p) {
        Integer[] order =
                IntStream.range(0, p.length)
                        .filter(i -> !Double.isNaN(p[i]))
                        .boxed()
                        .toArray(Integer[]::new);
        Arrays.sort(order, (a, b) -> Double.compare(p[a], p[b]));
        double[] adjusted = new double[p.length];
        Arrays.fill(adjusted, Double.NaN);
        int m = order.length;
        double running = 0;
        for (int j = 0; j < m; j++) {
            double p0 = p[order[j]];
            if (!(p0 >= 0 && p0 <= 1)) {
                throw new IllegalArgumentException("p-values lie in [0, 1], got " + p0);
            }
            running = Math.max(running, Math.min(1, (m - j) * p0));
            adjusted[order[j]] = running;
        }
        return adjusted;
    }

    /**
     * The q-quantile of {@code values} (0 <= q <= 1) by linear interpolation between order
     * statistics, at position q (n - 1) of the sorted values (numpy's default, Hyndman-Fan type 7).
     */
    public static double quantile(double[] values, double q) {
        if (values.length == 0 || !(q >= 0 && q <= 1)) {
            throw new IllegalArgumentException("a quantile needs values and 0 <= q <= 1, q = " + q);
        }
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        double pos = q * (sorted.length - 1);
        int below = (int) Math.floor(pos);
        int above = Math.min(below + 1, sorted.length - 1);
        return sorted[below] + (pos - below) * (sorted[above] - sorted[below]);
    }

    /**
     * Spearman's rank correlation: Pearson's correlation of the ranks, tied values sharing their
     * average rank (as scipy.stats.spearmanr); NaN when either side is constant.
     */
    public static double spearman(double[] x, double[] y) {
        if (x.length != y.length || x.length < 2) {
            throw new IllegalArgumentException(
                    "Spearman's correlation needs two samples of the same size >= 2, got "
                            + x.length
                            + " and "
                            + y.length);
        }
        return pearson(ranks(x), ranks(y));
    }

    /** Ranks 1..n of {@code values}, ties sharing the mean of the ranks they span. */
    static double[] ranks(double[] values) {
        int n = values.length;
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Double.compare(values[a], values[b]));
        double[] ranks = new double[n];
        for (int start = 0; start < n; ) {
            int end = start;
            while (end + 1 < n && values[order[end + 1]] == values[order[start]]) {
                end++;
            }
            double rank = (start + end) / 2.0 + 1;
            for (int k = start; k <= end; k++) {
                ranks[order[k]] = rank;
            }
            start = end + 1;
        }
        return ranks;
    }

    private static double pearson(double[] x, double[] y) {
        int n = x.length;
        double mx = 0;
        double my = 0;
        for (int i = 0; i < n; i++) {
            mx += x[i] / n;
            my += y[i] / n;
        }
        double sxy = 0;
        double sxx = 0;
        double syy = 0;
        for (int i = 0; i < n; i++) {
            sxy += (x[i] - mx) * (y[i] - my);
            sxx += (x[i] - mx) * (x[i] - mx);
            syy += (y[i] - my) * (y[i] - my);
        }
        return sxx == 0 || syy == 0 ? Double.NaN : sxy / Math.sqrt(sxx * syy);
    }
}
