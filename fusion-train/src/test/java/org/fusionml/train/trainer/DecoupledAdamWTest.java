package org.fusionml.train.trainer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.core.Linear;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import org.junit.jupiter.api.Test;

class DecoupledAdamWTest {
  private static float[] fit(Optimizer optimizer, int steps) {
    Engine.getInstance().setRandomSeed(1);
    try (Model model = Model.newInstance("lin")) {
      model.setBlock(Linear.builder().setUnits(1).optBias(false).build());
      try (Trainer trainer = model.newTrainer(new DefaultTrainingConfig(Loss.l2Loss()).optOptimizer(optimizer))) {
        trainer.initialize(new Shape(4, 3));
        NDManager m = trainer.getManager();
        NDArray x = m.create(new float[] {1, 2, 0, 0, 1, 1, 3, 0, 1, -1, 2, 1}, new Shape(4, 3));
        NDArray y = m.create(new float[] {1, 2, 3, 0}, new Shape(4, 1));
        for (int s = 0; s < steps; s++) {
          try (GradientCollector gc = trainer.newGradientCollector()) {
            NDArray p = trainer.forward(new NDList(x)).singletonOrThrow();
            gc.backward(p.sub(y).square().mean());
          }
          trainer.step();
        }
        return model.getBlock().getParameters().get(0).getValue().getArray().toFloatArray();
      }
    }
  }

  /**
   * The update leaves no array behind in the parameter's manager (the model's, open for the whole
   * training): before the fix every step leaked its temporaries, ~150 MB per epoch of the small
   * ALIGNN, and a 300-epoch run was killed for memory.
   */
  @Test
  void updatesLeaveNoArraysInTheParametersManager() throws Exception {
    DecoupledAdamW opt = DecoupledAdamW.builder().optLearningRateTracker(Schedules.constant(0.01f)).optWeightDecay(0.1f).build();
    java.lang.reflect.Field resources = ai.djl.ndarray.BaseNDManager.class.getDeclaredField("resources");
    resources.setAccessible(true);
    try (NDManager params = NDManager.newBaseManager()) {
      NDArray w = params.create(new float[] {1, 2, 3, 4});
      w.setRequiresGradient(true);
      int leaked = 0;
      for (int step = 0; step < 30; step++) {
        try (GradientCollector gc = Engine.getInstance().newGradientCollector(); NDArray sq = w.mul(w); NDArray loss = sq.sum()) {
          gc.backward(loss); // (DJL's backward itself leaves its seed gradient in the loss's manager: not counted)
        }
        int before = ((java.util.Map<?, ?>) resources.get(params)).size();
        try (NDArray grad = w.getGradient()) {
          opt.update("w", w, grad);
        }
        int after = ((java.util.Map<?, ?>) resources.get(params)).size();
        leaked += step == 0 ? 0 : after - before; // the first update creates the two moment arrays
      }
      assertEquals(0, leaked, "arrays left in the parameter's manager by 29 updates");
    }
  }

  /**
   * With weight decay, PyTorch's AdamW step for step, computed here in double from its definition
   * (w <- w (1 - lr wd), then the bias-corrected Adam step with eps added to sqrt(v^)), for a fixed
   * sequence of gradients of both signs and a learning rate that changes every step; a parameter
   * exempt from decay gets the plain Adam step.
   */
  @Test
  void withDecayItIsPyTorchsAdamW() {
    float wd = 0.1f;
    DecoupledAdamW opt = DecoupledAdamW.builder().optLearningRateTracker(new ai.djl.training.tracker.ParameterTracker() {
      @Override
      public float getNewValue(String parameterId, int numUpdate) {
        return 0.01f * (1 + numUpdate % 3);
      }
    }).optWeightDecay(wd).optNoDecay(java.util.Set.of("bias")).build();
    double[] w0 = {1, -2, 0.5};
    double[][] grads = {{0.3, -1, 2}, {-0.5, 0.2, 1e-3}, {4, 0, -2}, {0.1, 0.1, 0.1}, {-3, 2, 1}};
    try (NDManager m = NDManager.newBaseManager()) {
      for (String id : new String[] {"weight", "bias"}) {
        NDArray w = m.create(new float[] {1, -2, 0.5f});
        w.setRequiresGradient(true);
        double[] ref = w0.clone();
        double[] mean = new double[3];
        double[] var = new double[3];
        for (int t = 1; t <= grads.length; t++) {
          double lr = 0.01f * (1 + (t - 1) % 3);
          try (NDArray g = m.create(toFloat(grads[t - 1]))) {
            opt.update(id, w, g);
          }
          for (int i = 0; i < 3; i++) {
            double g = grads[t - 1][i];
            if (id.equals("weight")) {
              ref[i] *= 1 - lr * wd;
            }
            mean[i] = 0.9 * mean[i] + 0.1 * g;
            var[i] = 0.999 * var[i] + 0.001 * g * g;
            double mHat = mean[i] / (1 - Math.pow(0.9, t));
            double denominator = Math.sqrt(var[i] / (1 - Math.pow(0.999, t))) + 1e-8;
            ref[i] -= lr * mHat / denominator;
          }
          float[] got = w.toFloatArray();
          for (int i = 0; i < 3; i++) {
            assertEquals(ref[i], got[i], 2e-6 * Math.max(1, Math.abs(ref[i])), id + " step " + t + " element " + i);
          }
        }
      }
    }
  }

  private static float[] toFloat(double[] a) {
    float[] f = new float[a.length];
    for (int i = 0; i < a.length; i++) {
      f[i] = (float) a[i];
    }
    return f;
  }

  /** Without weight decay the update is Adam's; gradients must not pile up across steps. */
  @Test
  void withoutDecayItFollowsAdamStepForStep() {
    float[] mine = fit(DecoupledAdamW.builder().optLearningRateTracker(Schedules.constant(0.05f)).optWeightDecay(0).build(), 60);
    float[] adam = fit(Optimizer.adam().optLearningRateTracker(Tracker.fixed(0.05f)).build(), 60);
    assertArrayEquals(adam, mine, 1e-5f);
  }

  @Test
  void oneCycleStartsLowPeaksAtThirtyPercentAndEndsLower() {
    var t = Schedules.oneCycle(1e-3f, 100);
    assertEquals(1e-3f / 25, t.getNewValue("w", 0), 1e-9f);
    assertEquals(1e-3f, t.getNewValue("w", 30), 1e-9f);
    assertEquals(1e-3f / 25 / 1e4f, t.getNewValue("w", 100), 1e-12f);
    assertEquals(0f, Schedules.cosine(1f, 10).getNewValue("w", 10), 1e-7f);
  }
}
