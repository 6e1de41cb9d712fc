package org.fusionml.train.score;

import java.util.List;
import org.fusionml.data.descriptor.Fingerprint;
import org.fusionml.data.descriptor.NearestNeighbors;
import org.fusionml.train.trainer.Predictions;

/**
 * Scores the candidates of a FUSION run: U (Eq. 3) from the surrogate's NIG parameters in its own
 * standardised units, W (Eq. 5) from the nearest other candidate's fingerprint distance, I = U / W
 * (Eq. 6). Only candidates (training and validation structures) enter, also as neighbours: the test
 * part is neither scored nor looked at.
 */
public final class FusionScorer {
    private FusionScorer() {}

    /** Distance used in W. */
    public enum Weighting {
        /** 1 - F_i . F_j, as the paper writes Eq. 5. */
        COSINE,
        /** |F_i - F_j|, the reference code's variant. */
        EUCLIDEAN
    }

    /**
     * Scores of n candidates.
     *
     * @param uncertainty [n] U
     * @param weighting [n] W
     * @param influence [n] I
     * @param nearest [n] position of the nearest other candidate
     * @param distance [n] its distance
     */
    public record Table(
            double[] uncertainty,
            double[] weighting,
            double[] influence,
            int[] nearest,
            double[] distance) {}

    /**
     * Scores the candidates.
     *
     * @param predictions surrogate outputs for the candidates (evidential; its standardised beta
     *     enters Eq. 3)
     * @param fingerprints the candidates' fingerprints, in the same order
     * @param settings lambda (Eq. 3), gamma and the distance (Eq. 5)
     * @param threads worker threads of the nearest-neighbour search
     */
    public static Table score(
            Predictions predictions,
            List<Fingerprint> fingerprints,
            ScoreSettings settings,
            int threads) {
        return score(predictions, NearestNeighbors.search(fingerprints, threads), settings);
    }

    /**
     * Scores the candidates from their nearest neighbours, searched once for any number of settings
     * (the search does not depend on them).
     *
     * @param predictions surrogate outputs for the candidates (evidential)
     * @param nn the candidates' nearest neighbours, in the same order
     * @param settings lambda (Eq. 3), gamma and the distance (Eq. 5)
     */
    public static Table score(
            Predictions predictions, NearestNeighbors.Result nn, ScoreSettings settings) {
        double lambda = settings.lambda();
        if (!predictions.evidential()) {
            throw new IllegalArgumentException(
                    "FUSION needs an evidential surrogate (model.head evidential)");
        }
        int n = nn.neighbor().length;
        if (predictions.prediction().length != n) {
            throw new IllegalArgumentException(
                    predictions.prediction().length + " predictions for " + n + " fingerprints");
        }
        double[] u =
                Scores.uncertainty(
                        predictions.nu(),
                        predictions.alpha(),
                        predictions.standardBeta(),
                        lambda,
                        settings.alphaOffset());
        return score(u, nn, settings);
    }

    /**
     * Scores from uncertainties and the nearest neighbours, found however (in the heap, or from a
     * {@link org.fusionml.data.descriptor.FingerprintStore} by {@link
     * org.fusionml.data.descriptor.StoreNearestNeighbors} for datasets beyond the heap).
     *
     * @param uncertainty [n] U (Eq. 3)
     * @param nn the candidates' nearest neighbours, in the same order
     * @param settings gamma and the distance (Eq. 5)
     */
    public static Table score(
            double[] uncertainty, NearestNeighbors.Result nn, ScoreSettings settings) {
        if (uncertainty.length != nn.neighbor().length) {
            throw new IllegalArgumentException(
                    uncertainty.length
                            + " uncertainties for "
                            + nn.neighbor().length
                            + " neighbours");
        }
        double[] d =
                settings.weightingKind() == Weighting.COSINE
                        ? nn.cosineDistance()
                        : nn.euclideanDistance();
        double[] w = Scores.weightingFactor(d, settings.gamma());
        return new Table(uncertainty, w, Scores.influence(uncertainty, w), nn.neighbor(), d);
    }
}
