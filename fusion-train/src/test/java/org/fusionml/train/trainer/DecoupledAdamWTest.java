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
