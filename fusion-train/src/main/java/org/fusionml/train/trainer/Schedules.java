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
    int warm = Math.max(1, (int) (0.3 * totalSteps));
    float start = max / 25f;
    float end = start / 1e4f;
    return (id, step) -> {
      int s = Math.min(step, totalSteps);
      if (s < warm) {
        return anneal(start, max, (double) s / warm);
      }
      return anneal(max, end, (double) (s - warm) / Math.max(1, totalSteps - warm));
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
