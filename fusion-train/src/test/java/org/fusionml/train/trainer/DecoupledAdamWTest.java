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
