package org.fusionml.train.score;

import com.fasterxml.jackson.annotation.JsonProperty;
import org.fusionml.data.descriptor.SoapConfig;
import org.fusionml.data.symmetry.SpaceGroupFinder;

/**
 * FUSION score settings.
 *
 * @param lambda epistemic weight in Eq. 3 (default 0, as the paper across models)
 * @param gamma weighting-factor scale in Eq. 5 (default 1)
 * @param weighting {@code cosine} (Eq. 5) or {@code euclidean} (the reference code)
 * @param rCut SOAP cutoff in (1, 20] Angstrom (5)
 * @param nMax SOAP radial functions, 1..20 (8)
 * @param lMax SOAP degree, 0..19 (6)
 * @param sigma SOAP Gaussian width, > 0 Angstrom (0.5)
 * @param symprec symmetry tolerance in (0, 1] Angstrom (0.01)
 * @param predictions where the surrogate's alpha, beta, nu come from: {@code in_sample} (one
 *     surrogate trained on the training part scores every candidate, as the paper) or {@code
 *     out_of_fold} ({@code folds} surrogates, each trained without one part of the candidates and
 *     scoring that part only)
 * @param folds parts of the candidates for {@code out_of_fold}, >= 2 (5)
 * @param aleatoric the NIG's variance terms in Eq. 3: {@code expected_variance} (the paper's
 *     E[sigma^2] = beta / (alpha - 1) and Var[mu] = beta / (nu (alpha - 1))) or {@code
 *     beta_over_alpha} (the reference code's beta / alpha, and beta / (nu alpha) for the epistemic
 *     term)
 */
public record ScoreSettings(
        @JsonProperty("lambda") Double lambda,
        @JsonProperty("gamma") Double gamma,
        @JsonProperty("weighting") String weighting,
        @JsonProperty("r_cut") Double rCut,
        @JsonProperty("n_max") Integer nMax,
        @JsonProperty("l_max") Integer lMax,
        @JsonProperty("sigma") Double sigma,
        @JsonProperty("symprec") Double symprec,
        @JsonProperty("predictions") String predictions,
        @JsonProperty("folds") Integer folds,
        @JsonProperty("aleatoric") String aleatoric) {
    public ScoreSettings {
        lambda = lambda == null ? 0.0 : lambda;
        gamma = gamma == null ? 1.0 : gamma;
        weighting = weighting == null ? "cosine" : weighting;
        SoapConfig d = SoapConfig.fusionDefault();
        rCut = rCut == null ? d.rCut() : rCut;
        nMax = nMax == null ? d.nMax() : nMax;
        lMax = lMax == null ? d.lMax() : lMax;
        sigma = sigma == null ? d.sigma() : sigma;
        symprec = symprec == null ? SpaceGroupFinder.DEFAULT_SYMPREC : symprec;
        SpaceGroupFinder.checkSymprec("scores.symprec", symprec);
        try {
            new SoapConfig(rCut, nMax, lMax, sigma, true);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("scores." + e.getMessage(), e);
        }
        if (!(gamma >= 0 && Double.isFinite(gamma))) {
            throw new IllegalArgumentException(
                    "scores.gamma (" + gamma + ") must be a finite number >= 0");
        }
        if (!(lambda >= 0 && Double.isFinite(lambda))) {
            throw new IllegalArgumentException(
                    "scores.lambda (" + lambda + ") must be a finite number >= 0");
        }
        predictions = predictions == null ? "in_sample" : predictions;
        folds = folds == null ? 5 : folds;
        if (!predictions.equals("in_sample") && !predictions.equals("out_of_fold")) {
            throw new IllegalArgumentException(
                    "scores.predictions '"
                            + predictions
                            + "' is not known; valid: in_sample, out_of_fold");
        }
        if (folds < 2) {
            throw new IllegalArgumentException("scores.folds must be at least 2, got " + folds);
        }
        aleatoric = aleatoric == null ? "expected_variance" : aleatoric;
        if (!aleatoric.equals("expected_variance") && !aleatoric.equals("beta_over_alpha")) {
            throw new IllegalArgumentException(
                    "scores.aleatoric '"
                            + aleatoric
                            + "' is not known; valid: expected_variance, beta_over_alpha");
        }
        if (!weighting.equals("cosine") && !weighting.equals("euclidean")) {
            throw new IllegalArgumentException(
                    "scores.weighting '" + weighting + "' is not known; valid: cosine, euclidean");
        }
    }

    /** The SOAP settings of the fingerprints (periodic). */
    public SoapConfig soap() {
        return new SoapConfig(rCut, nMax, lMax, sigma, true);
    }

    /**
     * What Eq. 3 divides beta by, less nu: 1 for {@code expected_variance} (alpha - 1), 0 for
     * {@code beta_over_alpha} (alpha).
     */
    public double alphaOffset() {
        return aleatoric.equals("expected_variance") ? 1 : 0;
    }

    /** The distance used in W. */
    public FusionScorer.Weighting weightingKind() {
        return weighting.equals("cosine")
                ? FusionScorer.Weighting.COSINE
                : FusionScorer.Weighting.EUCLIDEAN;
    }

    public static ScoreSettings defaults() {
        return new ScoreSettings(null, null, null, null, null, null, null, null, null, null, null);
    }
}
