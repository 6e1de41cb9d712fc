package org.fusionml.train.trainer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.ParameterTracker;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * AdamW (Loshchilov and Hutter, ICLR 2019) as PyTorch implements it: w <- w - lr (wd w + m^ /
 * (sqrt(v^) + eps)) with bias-corrected moments; weight decay is skipped for the parameters in
 * {@code noDecay} (biases and normalisation scales and shifts). Clears each gradient after using it.
 */
public final class DecoupledAdamW extends Optimizer {
  private final ParameterTracker learningRate;
  private final float beta1;
  private final float beta2;
  private final float epsilon;
  private final float weightDecay;
  private final Set<String> noDecay;
  private final Map<String, NDArray> mean = new HashMap<>();
  private final Map<String, NDArray> variance = new HashMap<>();
  private final Map<String, Integer> steps = new HashMap<>();
  private int stepOffset;

  private DecoupledAdamW(Builder b) {
    super(b);
    learningRate = b.learningRate;
    beta1 = b.beta1;
    beta2 = b.beta2;
    epsilon = b.epsilon;
    weightDecay = b.weightDecay;
    noDecay = Set.copyOf(b.noDecay);
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Continues the schedule after {@code steps} steps (resumed runs). */
  public void setStepOffset(int steps) {
    this.stepOffset = steps;
  }

  @Override
  public void update(String parameterId, NDArray weight, NDArray grad) {
    int t = steps.merge(parameterId, 1, Integer::sum);
    float lr = learningRate.getNewValue(parameterId, stepOffset + t - 1);
    NDArray m = mean.computeIfAbsent(parameterId, k -> weight.zerosLike());
    NDArray v = variance.computeIfAbsent(parameterId, k -> weight.zerosLike());
    float c1 = (float) (1 - Math.pow(beta1, t));
    float c2Root = (float) Math.sqrt(1 - Math.pow(beta2, t));
    // The operation order of PyTorch's AdamW (single-tensor path): decay w <- w (1 - lr wd); moments;
    // denominator sqrt(v) / sqrt(1 - beta2^t) + eps; w <- w - (lr / (1 - beta1^t)) m / denominator.
    // Every temporary is closed here: they live in the parameter's (the model's) manager, which
    // is never closed during training, so one left open leaks its size at every step (measured:
    // ~150 MB per epoch for the small ALIGNN, an OOM after ~190 epochs on 24 GB).
    if (weightDecay > 0 && !noDecay.contains(parameterId)) {
      weight.muli(1 - lr * weightDecay);
    }
    // (a null resource is skipped on close: no copy of the gradient when its scale is 1)
    try (NDArray scaled = rescaleGrad == 1f ? null : grad.mul(rescaleGrad)) {
      NDArray g = scaled == null ? grad : scaled;
      try (NDArray gScaled = g.mul(1 - beta1); NDArray g2 = g.square()) {
        m.muli(beta1).addi(gScaled);
        v.muli(beta2).addi(g2.muli(1 - beta2));
      }
    }
    try (NDArray denominator = v.sqrt(); NDArray step = m.div(denominator.divi(c2Root).addi(epsilon))) {
      weight.subi(step.muli(lr / c1));
    }
    // PyTorch accumulates gradients and DJL hands the optimiser a copy: its built-in optimisers
    // clear the parameter's own gradient in their native update, so this one must too.
    JniUtils.zeroGrad((PtNDArray) weight);
  }

  /**
   * Writes the moments and step counts of every parameter seen so far, keyed by parameter name
   * (DJL's parameter ids are random per model instance), so that a resumed run continues with the
   * same Adam state.
   *
   * @param ids stable parameter name -> parameter id of this model instance
   */
  public void saveState(Path file, Map<String, String> ids) throws IOException {
    byte[] bytes;
    try (NDList list = new NDList()) {
      for (Map.Entry<String, String> e : ids.entrySet()) {
        NDArray m = mean.get(e.getValue());
        if (m == null) {
          continue; // never updated (no gradient yet)
        }
        list.add(named(m.duplicate(), "m:" + e.getKey()));
        list.add(named(variance.get(e.getValue()).duplicate(), "v:" + e.getKey()));
        list.add(named(m.getManager().create(new int[] {steps.get(e.getValue())}), "t:" + e.getKey()));
      }
      bytes = list.encode();
    }
    org.fusionml.data.io.AtomicFiles.write(file, out -> out.write(bytes));
  }

  private static NDArray named(NDArray a, String name) {
    a.setName(name);
    return a;
  }

  /**
   * Restores what {@link #saveState} wrote.
   *
   * @param ids stable parameter name -> parameter id of this model instance
   */
  public void loadState(Path file, Map<String, String> ids, NDManager manager) throws IOException {
    NDList list = NDList.decode(manager, java.nio.file.Files.readAllBytes(file));
    for (NDArray a : list) {
      String kind = a.getName().substring(0, 2);
      String id = ids.get(a.getName().substring(2));
      if (id == null) {
        throw new IOException(file + ": optimiser state for unknown parameter " + a.getName().substring(2));
      }
      switch (kind) {
        case "m:" -> mean.put(id, a);
        case "v:" -> variance.put(id, a);
        default -> steps.put(id, a.toIntArray()[0]);
      }
    }
  }

  /** Builds a {@link DecoupledAdamW}. */
  public static final class Builder extends OptimizerBuilder<Builder> {
    private ParameterTracker learningRate = ai.djl.training.tracker.Tracker.fixed(1e-3f);
    private float beta1 = 0.9f;
    private float beta2 = 0.999f;
    private float epsilon = 1e-8f;
    private float weightDecay = 1e-2f;
    private Set<String> noDecay = Set.of();

    public Builder optLearningRateTracker(ParameterTracker t) {
      this.learningRate = t;
      return this;
    }

    public Builder optWeightDecay(float wd) {
      this.weightDecay = wd;
      return this;
    }

    /** Parameter ids exempt from weight decay. */
    public Builder optNoDecay(Set<String> ids) {
      this.noDecay = ids;
      return this;
    }

    @Override
    protected Builder self() {
      return this;
    }

    public DecoupledAdamW build() {
      if (weightDecay < 0) {
        throw new IllegalArgumentException("weight decay (" + weightDecay + ") must be >= 0");
      }
      return new DecoupledAdamW(this);
    }
  }
}
