package org.fusionml.train.report;

/**
 * Two-sided paired t-test: for differences d_i = a_i - b_i (i = 1..n, n >= 2), t = mean(d) / (sd(d)
 * / sqrt(n)) with the n - 1 sample standard deviation, and p = P(|T| >= |t|) for Student's t with n
 * - 1 degrees of freedom, i.e. the regularised incomplete beta I_x(df / 2, 1 / 2) at x = df / (df +
 * t^2).
 *
 * @param t the statistic (infinite when all differences are equal and non-zero)
 * @param degreesOfFreedom n - 1
 * @param p two-sided p-value (1 when all differences are 0)
 * @param meanDifference mean of a - b
 */
public record PairedTTest(double t, int degreesOfFreedom, double p, double meanDifference) {
    /** Tests whether paired samples {@code a} and {@code b} have the same mean. */
    public static PairedTTest of(double[] a, double[] b) {
        if (a.length != b.length || a.length < 2) {
            throw new IllegalArgumentException(
                    "a paired t-test needs two samples of the same size >= 2, got "
                            + a.length
                            + " and "
                            + b.length);
        }
        int n = a.length;
        double mean = 0;
        for (int i = 0; i < n; i++) {
            mean += (a[i] - b[i]) / n;
        }
        double ss = 0;
        for (int i = 0; i < n; i++) {
            double d = a[i] - b[i] - mean;
            ss += d * d;
        }
        int df = n - 1;
        double se = Math.sqrt(ss / df / n);
        if (se == 0) {
            return new PairedTTest(
                    mean == 0 ? 0 : Math.copySign(Double.POSITIVE_INFINITY, mean),
                    df,
                    mean == 0 ? 1 : 0,
                    mean);
        }
        double t = mean / se;
        return new PairedTTest(t, df, regularizedBeta(df / (df + t * t), df / 2.0, 0.5), mean);
    }

    /**
     * I_x(a, b) by its continued fraction (Lentz's method), using the symmetry for x >
     * (a+1)/(a+b+2).
     */
    static double regularizedBeta(double x, double a, double b) {
        if (x <= 0) {
            return 0;
        }
        if (x >= 1) {
            return 1;
        }
        if (x > (a + 1) / (a + b + 2)) {
            return 1 - regularizedBeta(1 - x, b, a);
        }
        double lnFront = a * Math.log(x) + b * Math.log1p(-x) - Math.log(a) - logBeta(a, b);
        // Continued fraction 1 / (1 + d1 / (1 + d2 / ...)), d_{2m+1} = -(a+m)(a+b+m)x /
        // ((a+2m)(a+2m+1)),
        // d_{2m} = m(b-m)x / ((a+2m-1)(a+2m)).
        double tiny = 1e-300;
        double f = 1;
        double c = 1;
        double d = 0;
        for (int i = 0; i <= 400; i++) {
            int m = i / 2;
            double num;
            if (i == 0) {
                num = 1;
            } else if (i % 2 == 0) {
                num = m * (b - m) * x / ((a + 2 * m - 1) * (a + 2 * m));
            } else {
                num = -(a + m) * (a + b + m) * x / ((a + 2 * m) * (a + 2 * m + 1));
            }
            d = 1 + num * d;
            d = Math.abs(d) < tiny ? tiny : d;
            d = 1 / d;
            c = 1 + num / c;
            c = Math.abs(c) < tiny ? tiny : c;
            double cd = c * d;
            f *= cd;
            if (Math.abs(1 - cd) < 1e-15) {
                return Math.exp(lnFront) * (f - 1);
            }
        }
        throw new ArithmeticException(
                "incomplete beta did not converge for x=" + x + ", a=" + a + ", b=" + b);
    }

    private static double logBeta(double a, double b) {
        return logGamma(a) + logGamma(b) - logGamma(a + b);
    }

    /** ln Gamma(x) for x > 0 (Lanczos, g = 7, n = 9; relative error below 1e-14). */
    static double logGamma(double x) {
        if (x < 0.5) {
            return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - logGamma(1 - x);
        }
        double[] c = {
            0.99999999999980993,
            676.5203681218851,
            -1259.1392167224028,
            771.32342877765313,
            -176.61502916214059,
            12.507343278686905,
            -0.13857109526572012,
            9.9843695780195716e-6,
            1.5056327351493116e-7
        };
        x -= 1;
        double s = c[0];
        for (int i = 1; i < 9; i++) {
            s += c[i] / (x + i);
        }
        double t = x + 7.5;
        return 0.5 * Math.log(2 * Math.PI) + (x + 0.5) * Math.log(t) - t + Math.log(s);
    }
}
