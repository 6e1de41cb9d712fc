package org.fusionml.train.score;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.stream.IntStream;
import org.fusionml.data.dataset.DatasetLoader;
import org.fusionml.data.descriptor.Fingerprint;
import org.fusionml.data.descriptor.FingerprintBuilder;
import org.fusionml.data.descriptor.SoapConfig;
import org.fusionml.train.trainer.Predictions;
import org.junit.jupiter.api.Test;

class FusionScorerTest {
    @Test
    void scoresFollowEquationsThreeFiveSixInTheSurrogatesUnits() {
        var data = DatasetLoader.embeddedDefault();
        FingerprintBuilder b = new FingerprintBuilder(new SoapConfig(4.0, 4, 3, 0.5, true), 0.01);
        List<Fingerprint> fps =
                IntStream.of(3, 8, 21, 40).mapToObj(i -> b.build(data.get(i).structure())).toList();
        double std = 2.0;
        double[] nu = {0.5, 1, 2, 4};
        double[] alpha = {1.5, 2, 3, 5};
        double[] betaStd = {0.2, 1, 3, 0.7};
        double[] beta = new double[4];
        for (int i = 0; i < 4; i++) {
            beta[i] = betaStd[i] * std * std; // physical units^2
        }
        Predictions p =
                new Predictions(
                        new double[4], nu, alpha, beta, new double[4], new double[4], betaStd);
        FusionScorer.Table t = FusionScorer.score(p, fps, scores(0.3, 2.0), 1);
        for (int i = 0; i < 4; i++) {
            double u =
                    1
                            / (1
                                    + Math.exp(
                                            betaStd[i] / (alpha[i] - 1)
                                                    - 0.3 * betaStd[i] / ((alpha[i] - 1) * nu[i])));
            double d = Double.POSITIVE_INFINITY;
            for (int j = 0; j < 4; j++) {
                if (j != i) {
                    d = Math.min(d, 1 - fps.get(i).dot(fps.get(j)));
                }
            }
            assertEquals(u, t.uncertainty()[i], 1e-12);
            assertEquals(Math.exp(-2.0 * d), t.weighting()[i], 1e-12);
            assertEquals(u / Math.exp(-2.0 * d), t.influence()[i], 1e-12);
        }
        Predictions plain = new Predictions(new double[4], null, null, null, null, null, null);
        assertThrows(
                IllegalArgumentException.class,
                () -> FusionScorer.score(plain, fps, scores(0, 1), 1));
    }

    private static ScoreSettings scores(double lambda, double gamma) {
        return new ScoreSettings(
                lambda, gamma, "cosine", null, null, null, null, null, null, null, null);
    }
}
