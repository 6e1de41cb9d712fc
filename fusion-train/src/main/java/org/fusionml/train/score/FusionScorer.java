package org.fusionml.train.score;

import java.util.List;
import org.fusionml.data.descriptor.Fingerprint;
import org.fusionml.data.descriptor.NearestNeighbors;
import org.fusionml.train.trainer.Predictions;

/**
 * Scores the candidates of a FUSION run: U (Eq. 3) from the surrogate's NIG parameters in its own
 * standardised units, W (Eq. 5) from the nearest other candidate's fingerprint distance, I = U / W
 * (Eq. 6). Only candidates (training and validation structures) enter, also as neighbours: the
 * test part is neither scored nor looked at.
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
  public record Table(double[] uncertainty, double[] weighting, double[] influence, int[] nearest, double[] distance) {}

  /**
   * @param predictions surrogate outputs for the candidates (evidential, physical units)
   * @param targetStd the surrogate's target standard deviation (to return beta to its own units)
   * @param fingerprints the candidates' fingerprints, in the same order
   * @param lambda weight of the epistemic term in Eq. 3 (the paper uses 0 across models)
   * @param gamma the weighting factor's scale in Eq. 5
   */
  public static Table score(Predictions predictions, double targetStd, List<Fingerprint> fingerprints,
      double lambda, double gamma, Weighting weighting, int threads) {
    double[] std = new double[fingerprints.size()];
    java.util.Arrays.fill(std, targetStd);
    return score(predictions, std, fingerprints, lambda, gamma, weighting, threads);
  }

  /**
   * As {@link #score(Predictions, double, List, double, double, Weighting, int)} with one target
   * standard deviation per structure: that of the surrogate which predicted it (out-of-fold
   * scores come from several surrogates, each standardised on its own training part).
   */
  public static Table score(Predictions predictions, double[] targetStd, List<Fingerprint> fingerprints,
      double lambda, double gamma, Weighting weighting, int threads) {
    if (!predictions.evidential()) {
      throw new IllegalArgumentException("FUSION needs an evidential surrogate (model.head evidential)");
    }
    int n = fingerprints.size();
    if (predictions.prediction().length != n) {
      throw new IllegalArgumentException(predictions.prediction().length + " predictions for " + n + " fingerprints");
    }
    double[] betaStd = new double[n];
    for (int i = 0; i < n; i++) {
      betaStd[i] = predictions.beta()[i] / (targetStd[i] * targetStd[i]);
    }
    double[] u = Scores.uncertainty(predictions.nu(), predictions.alpha(), betaStd, lambda);
    NearestNeighbors.Result nn = NearestNeighbors.search(fingerprints, threads);
    double[] d = weighting == Weighting.COSINE ? nn.cosineDistance() : nn.euclideanDistance();
    double[] w = Scores.weightingFactor(d, gamma);
    return new Table(u, w, Scores.influence(u, w), nn.neighbor(), d);
  }
}
