package org.fusionml.train.predict;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.fusionml.train.trainer.Predictions;
import org.junit.jupiter.api.Test;

class PredictiveIntervalTest {
    /** One NIG row (beta in unit^2) with its variances as GraphModel computes them. */
    private static Predictions nig(double gamma, double nu, double alpha, double beta) {
        return new Predictions(
                new double[] {gamma},
                new double[] {nu},
                new double[] {alpha},
                new double[] {beta},
                new double[] {beta / (alpha - 1)},
                new double[] {beta / (nu * (alpha - 1))},
                new double[] {beta});
    }

    @Test
    void sigmasAndTheStudentTIntervalOfAClosedFormCase() {
        // nu 1, alpha 2, beta 3: aleatoric 3 / 1, epistemic 3 / (1 * 1); Student-t with 4 degrees
        // of freedom and scale^2 = 3 (1 + 1) / (1 * 2) = 3; t_0.975(4) = 2.7764451051977987
        Predictions p = nig(10, 1, 2, 3);
        assertEquals(Math.sqrt(3), PredictiveInterval.sigmaAleatoric(p, 0), 1e-15);
        assertEquals(Math.sqrt(3), PredictiveInterval.sigmaEpistemic(p, 0), 1e-15);
        assertEquals(Math.sqrt(6), PredictiveInterval.sigmaTotal(p, 0), 1e-15);
        assertEquals(2.7764451051977987 * Math.sqrt(3), PredictiveInterval.halfWidth(p, 0), 1e-9);
    }

    @Test
    void theTotalVarianceIsTheVarianceOfTheStudentTPredictive() {
        // Var of t(2 alpha) scaled by s: s^2 2 alpha / (2 alpha - 2) = beta (1 + nu) / (nu (alpha -
        // 1))
        double nu = 0.7;
        double alpha = 3.4;
        double beta = 2.5;
        Predictions p = nig(0, nu, alpha, beta);
        double s2 = beta * (1 + nu) / (nu * alpha);
        double df = 2 * alpha;
        assertEquals(s2 * df / (df - 2), Math.pow(PredictiveInterval.sigmaTotal(p, 0), 2), 1e-12);
        // many degrees of freedom: the interval tends to the Gaussian 1.959964 sigma_total
        Predictions wide = nig(0, 1, 5e5, 5e5);
        assertEquals(
                1.959963984540054 * PredictiveInterval.sigmaTotal(wide, 0),
                PredictiveInterval.halfWidth(wide, 0),
                1e-5);
    }

    @Test
    void unitNamesForColumns() {
        assertEquals("meV_per_atom", PredictionTable.unitName("meV/atom"));
        assertEquals("eV_per_cell", PredictionTable.unitName("eV/cell"));
        assertEquals("dimensionless", PredictionTable.unitName("dimensionless"));
        assertEquals("unit_unknown", PredictionTable.unitName("unknown"));
        assertEquals("unit_unknown", PredictionTable.unitName(null));
        assertEquals("g_per_cm_3", PredictionTable.unitName("g/cm^3"));
    }
}
