package org.fusionml.train.trainer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.List;

/** Checks of the accumulated gradients before an optimiser step. */
final class Gradients {
  private Gradients() {}

  /**
   * Prepares the accumulated gradients for an optimiser step. If any gradient is not finite (a
   * finite loss can still have one, and a single Adam update with it turns every parameter to NaN),
   * all gradients are set to zero and false is returned: the caller skips the update, as PyTorch's
   * AMP gradient scaler does. Otherwise, when {@code maxNorm > 0}, all gradients are scaled by
   * min(1, maxNorm / ||g||), ||g|| the L2 norm over all parameters together (PyTorch's
   * clip_grad_norm_), and true is returned.
   *
   * @return whether the gradients are finite and the step may be taken
   */
  static Check clip(PairList<String, Parameter> parameters, double maxNorm) {
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
        for (NDArray g : grads) {
          // g - g and 0 g stay NaN where g is not finite: overwrite in place with an engine-made
          // zero (NDArray.set(Buffer) aliases the Java buffer, which is freed later: a crash).
          g.set(new NDIndex("..."), 0f);
        }
        return new Check(false, Double.NaN, bad);
      }
      double norm = Math.sqrt(sumSq);
      if (maxNorm > 0 && norm > maxNorm) {
        float scale = (float) (maxNorm / (norm + 1e-6));
        for (NDArray g : grads) {
          g.muli(scale);
        }
      }
      return new Check(true, norm, List.of());
    } finally {
      grads.forEach(NDArray::close);
    }
  }

  /**
   * The outcome of {@link #clip}.
   *
   * @param finite whether every gradient was finite (the step may be taken)
   * @param norm the global L2 norm before clipping (NaN when not finite)
   * @param nonFinite names of the parameters with a non-finite gradient
   */
  record Check(boolean finite, double norm, List<String> nonFinite) {}
}
