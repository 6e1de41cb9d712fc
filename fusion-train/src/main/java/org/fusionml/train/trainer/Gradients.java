package org.fusionml.train.trainer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Checks of the accumulated gradients before an optimiser step. */
final class Gradients {
  private Gradients() {}

  /**
   * Stops training if any gradient is not finite (a finite loss can still have one, and a single
   * update with it turns every parameter to NaN); otherwise, when {@code maxNorm > 0}, scales all
   * gradients by min(1, maxNorm / ||g||), ||g|| the L2 norm over all parameters together.
   *
   * @throws TrainingDivergedException naming the parameters with non-finite gradients
   */
  static void clipOrFail(PairList<String, Parameter> parameters, double maxNorm, int epoch, int batch) {
    double sumSq = 0;
    List<String> bad = new ArrayList<>();
    List<NDArray> grads = new ArrayList<>();
    for (Pair<String, Parameter> p : parameters) {
      NDArray w = p.getValue().getArray();
      if (!w.hasGradient()) {
        continue;
      }
      NDArray g = w.getGradient();
      grads.add(g);
      // Squares in float64: in float32 they overflow from |g| ~ 2e19, a size Adam copes with.
      try (NDArray d = g.toType(DataType.FLOAT64, false); NDArray sq = d.square(); NDArray sum = sq.sum()) {
        double s = sum.getDouble();
        if (!Double.isFinite(s)) {
          bad.add(p.getKey());
        }
        sumSq += s;
      }
    }
    try {
      if (!bad.isEmpty()) {
        throw new TrainingDivergedException(String.format(Locale.ROOT,
            "non-finite gradient at epoch %d, batch %d in %d parameter(s), first %s", epoch, batch, bad.size(), bad.get(0)));
      }
      double norm = Math.sqrt(sumSq);
      if (maxNorm > 0 && norm > maxNorm) {
        float scale = (float) (maxNorm / (norm + 1e-6));
        for (NDArray g : grads) {
          g.muli(scale);
        }
      }
    } finally {
      grads.forEach(NDArray::close);
    }
  }
}
