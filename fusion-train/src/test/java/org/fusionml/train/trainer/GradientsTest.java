package org.fusionml.train.trainer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.core.Linear;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class GradientsTest {
  private static Gradients.Check lastCheck;

  /** d/dw of mean((x w + b - y)^2) for the fixed data below, then {@code check} on the gradients. */
  private static float[] gradientAfter(Function<NDArray, NDArray> lossOfPrediction, double clip) {
    try (Model model = Model.newInstance("lin")) {
      model.setBlock(Linear.builder().setUnits(1).build());
      try (Trainer trainer = model.newTrainer(new DefaultTrainingConfig(Loss.l2Loss()))) {
        trainer.initialize(new Shape(2, 2));
        var params = model.getBlock().getParameters();
        params.get("weight").getArray().set(new float[] {3, -4});
        params.get("bias").getArray().set(new float[] {0});
        NDArray x = trainer.getManager().create(new float[] {1, 0, 0, 1}, new Shape(2, 2));
        try (GradientCollector gc = trainer.newGradientCollector()) {
          gc.backward(lossOfPrediction.apply(trainer.forward(new NDList(x)).singletonOrThrow()));
        }
        lastCheck = Gradients.clip(params, clip);
        for (int i = 0; i < 5; i++) { // zeros written must be engine memory, not a Java buffer freed by GC
          System.gc();
          byte[][] churn = new byte[64][];
          for (int k = 0; k < churn.length; k++) {
            churn[k] = new byte[1 << 16];
          }
        }
        NDArray gw = params.get("weight").getArray().getGradient();
        NDArray gb = params.get("bias").getArray().getGradient();
        return new float[] {gw.getFloat(0, 0), gw.getFloat(0, 1), gb.getFloat(0)};
      }
    }
  }

  @Test
  void clipsTheGlobalNormAndLeavesSmallGradientsAlone() {
    // loss = sum(prediction): d/dw = column sums of x = (1, 1), d/db = 2; global norm sqrt(6).
    float[] g = gradientAfter(p -> p.sum(), 0);
    assertArrayEquals(new float[] {1, 1, 2}, g, 1e-6f);
    assertArrayEquals(new float[] {1, 1, 2}, gradientAfter(p -> p.sum(), 10), 1e-6f);
    float[] clipped = gradientAfter(p -> p.sum(), 1);
    double norm = Math.sqrt(clipped[0] * clipped[0] + clipped[1] * clipped[1] + clipped[2] * clipped[2]);
    assertEquals(1, norm, 1e-5);
    assertEquals(clipped[2], 2 * clipped[0], 1e-6, "direction kept");
  }

  @Test
  void aNonFiniteGradientZeroesAllGradientsAndNamesItsParameter() {
    // sqrt has an infinite derivative at 0: prediction 3 - 3 = 0 for the first row.
    float[] g = gradientAfter(p -> p.sub(p.getManager().create(new float[] {3, -4}).reshape(2, 1)).sqrt().sum(), 0);
    assertFalse(lastCheck.finite());
    assertTrue(lastCheck.nonFinite().contains("weight"), lastCheck.nonFinite().toString());
    assertArrayEquals(new float[] {0, 0, 0}, g, 0f);
    gradientAfter(p -> p.sum(), 0);
    assertTrue(lastCheck.finite());
    assertEquals(Math.sqrt(6), lastCheck.norm(), 1e-6);
  }
}
