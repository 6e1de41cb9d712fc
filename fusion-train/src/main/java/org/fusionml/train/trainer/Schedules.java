package org.fusionml.train.trainer;

import ai.djl.training.tracker.ParameterTracker;

/** Learning-rate schedules stepped per batch (numUpdate = optimiser steps so far, from 0). */
public final class Schedules {
  private Schedules() {}

  /**
   * One-cycle (Smith 2018, as PyTorch's OneCycleLR with its defaults): cosine warm-up from max/25 to
   * max over the first 30 % of the steps, then cosine annealing to max / (25 * 1e4).
   */
  public static ParameterTracker oneCycle(float max, int totalSteps) {
    float start = max / 25f;
    return oneCycle(start, max, start / 1e4f, totalSteps);
  }

  /**
   * Adam's beta1 over the same cycle (PyTorch's OneCycleLR with {@code cycle_momentum=True}, its
   * default, on Adam): 0.95 falling to 0.85 while the learning rate warms up, back to 0.95 while it
   * anneals; high momentum where the rate is low and the reverse.
   */
  public static ParameterTracker oneCycleBeta1(int totalSteps) {
    return oneCycle(0.95f, 0.85f, 0.95f, totalSteps);
  }

  /** Cosine from {@code start} to {@code middle} over the first 30 % of the steps, then to {@code end}. */
  private static ParameterTracker oneCycle(float start, float middle, float end, int totalSteps) {
    int warm = Math.max(1, (int) (0.3 * totalSteps));
    return (id, step) -> {
      int s = Math.min(step, totalSteps);
      if (s < warm) {
        return anneal(start, middle, (double) s / warm);
      }
      return anneal(middle, end, (double) (s - warm) / Math.max(1, totalSteps - warm));
    };
  }

  /** Cosine decay from max to 0 over totalSteps. */
  public static ParameterTracker cosine(float max, int totalSteps) {
    return (id, step) -> anneal(max, 0f, Math.min(1.0, (double) step / Math.max(1, totalSteps)));
  }

  public static ParameterTracker constant(float value) {
    return (id, step) -> value;
  }

  private static float anneal(float from, float to, double fraction) {
    return (float) (to + (from - to) * (1 + Math.cos(Math.PI * fraction)) / 2);
  }
}
