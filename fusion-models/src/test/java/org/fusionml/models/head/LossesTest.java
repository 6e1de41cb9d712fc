package org.fusionml.models.head;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.SplittableRandom;
import org.fusionml.models.FiniteDifferences;
import org.junit.jupiter.api.Test;

class LossesTest {
    /** log Gamma(x) for x > 0: shift to z >= 15 by the recurrence, then Stirling's series. */
    static double lgamma(double x) {
        double shift = 0;
        double z = x;
        while (z < 15) {
            shift += Math.log(z);
            z += 1;
        }
        double z2 = z * z;
        double series =
                1 / (12 * z)
                        - 1 / (360 * z * z2)
                        + 1 / (1260 * z * z2 * z2)
                        - 1 / (1680 * z * z2 * z2 * z2);
        return (z - 0.5) * Math.log(z) - z + 0.5 * Math.log(2 * Math.PI) + series - shift;
    }

    /** -log Student-t(y; loc, scale^2, dof). */
    static double studentTNll(double y, double loc, double scale2, double dof) {
        double z2 = (y - loc) * (y - loc) / scale2;
        return -(lgamma((dof + 1) / 2)
                - lgamma(dof / 2)
                - 0.5 * Math.log(dof * Math.PI * scale2)
                - (dof + 1) / 2 * Math.log1p(z2 / dof));
    }

    @Test
    void nigNllIsTheStudentTNegativeLogDensity() {
        SplittableRandom rng = new SplittableRandom(5);
        int n = 20;
        double[] y = new double[n];
        double[] g = new double[n];
        double[] nu = new double[n];
        double[] al = new double[n];
        double[] be = new double[n];
        for (int i = 0; i < n; i++) {
            y[i] = rng.nextDouble(-3, 3);
            g[i] = rng.nextDouble(-3, 3);
            nu[i] = rng.nextDouble(0.05, 5);
            al[i] = rng.nextDouble(1.05, 6);
            be[i] = rng.nextDouble(0.05, 4);
        }
        try (NDManager m = NDManager.newBaseManager()) {
            EvidentialOutput o =
                    new EvidentialOutput(m.create(g), m.create(nu), m.create(al), m.create(be));
            double[] nll = Losses.nigNll(o, m.create(y)).toDoubleArray();
            double[] reg = Losses.nigRegulariser(o, m.create(y)).toDoubleArray();
            for (int i = 0; i < n; i++) {
                double expected =
                        studentTNll(y[i], g[i], be[i] * (1 + nu[i]) / (nu[i] * al[i]), 2 * al[i]);
                assertEquals(expected, nll[i], 1e-10, "sample " + i);
                assertEquals(Math.abs(y[i] - g[i]) * (2 * nu[i] + al[i]), reg[i], 1e-12);
            }
        }
    }

    @Test
    void rawOutputsAreCappedSoTheLossStaysFinite() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray raw = m.create(new float[] {0.5f, 1e8f, 1e8f, 1e8f}, new Shape(1, 4));
            EvidentialOutput o = EvidentialOutput.fromRaw(raw);
            assertEquals(1 + 30 + 1e-6, o.alpha().getFloat(0), 1e-4);
            assertEquals(
                    true,
                    Float.isFinite(Losses.der(o, m.create(new float[] {3f}), 0.01f).getFloat()));
        }
    }

    @Test
    void closedFormValueAtASimplePoint() {
        // gamma 0, nu 1, alpha 2, beta 1, y 0: Omega = 4; NLL = 0.5 ln(pi) - 2 ln 4 + 2.5 ln 4
        // + ln Gamma(2) - ln Gamma(2.5) = 0.5 ln(pi) + 0.5 ln 4 - ln(3 sqrt(pi) / 4).
        try (NDManager m = NDManager.newBaseManager()) {
            EvidentialOutput o =
                    new EvidentialOutput(
                            m.create(new double[] {0}),
                            m.create(new double[] {1}),
                            m.create(new double[] {2}),
                            m.create(new double[] {1}));
            double expected =
                    0.5 * Math.log(Math.PI)
                            + 0.5 * Math.log(4)
                            - Math.log(3 * Math.sqrt(Math.PI) / 4);
            assertEquals(
                    expected, Losses.nigNll(o, m.create(new double[] {0})).getDouble(0), 1e-12);
        }
    }

    @Test
    void derLossGradientMatchesFiniteDifferences() {
        SplittableRandom rng = new SplittableRandom(9);
        int b = 5;
        double[] raw = new double[b * 4];
        double[] y = new double[b];
        for (int k = 0; k < raw.length; k++) {
            raw[k] = rng.nextDouble(-1.5, 1.5);
        }
        for (int k = 0; k < b; k++) {
            y[k] = rng.nextDouble(-2, 2);
        }
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray target = m.create(y);
            NDArray x = m.create(raw, new Shape(b, 4));
            x.setRequiresGradient(true);
            double[] grad;
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray loss = Losses.der(EvidentialOutput.fromRaw(x), target, 0.01f);
                gc.backward(loss);
                grad = x.getGradient().toDoubleArray();
            }
            double[] fd =
                    FiniteDifferences.gradient(
                            raw,
                            r ->
                                    Losses.der(
                                                    EvidentialOutput.fromRaw(
                                                            m.create(r, new Shape(b, 4))),
                                                    target,
                                                    0.01f)
                                            .getDouble(),
                            1e-6);
            for (int k = 0; k < raw.length; k++) {
                assertEquals(fd[k], grad[k], 1e-6, "entry " + k);
            }
        }
    }
}
