package org.fusionml.train.trainer;

import ai.djl.training.tracker.ParameterTracker;

/** Learning-rate schedules stepped per batch (numUpdate = optimiser steps so far, from 0). */
public final class Schedules {
    private Schedules() {}

    /**
     * One-cycle (Smith 2018) exactly as PyTorch's {@code OneCycleLR} with its defaults ({@code
     * pct_start=0.3}, {@code div_factor=25}, {@code final_div_factor=1e4}, cosine): the rate rises
     * from max/25 at step 0 to max at step 0.3 T - 1, then falls to max / (25 * 1e4) at the last
     * step T - 1 (T = {@code totalSteps}).
     */
    public static ParameterTracker oneCycle(float max, int totalSteps) {
        float start = max / 25f;
        return oneCycle(start, max, start / 1e4f, totalSteps);
    }

    /**
     * Adam's beta1 over the same cycle (PyTorch's OneCycleLR with {@code cycle_momentum=True}, its
     * default, on Adam): 0.95 falling to 0.85 while the learning rate warms up, back to 0.95 while
     * it anneals; high momentum where the rate is low and the reverse.
     */
    public static ParameterTracker oneCycleBeta1(int totalSteps) {
        return oneCycle(0.95f, 0.85f, 0.95f, totalSteps);
    }

    /**
     * Cosine from {@code start} at step 0 to {@code middle} at step 0.3 T - 1, then to {@code end}
     * at step T - 1, PyTorch's phase boundaries ({@code float(pct_start * total_steps) - 1} and
     * {@code total_steps - 1}); later steps keep {@code end}.
     */
    private static ParameterTracker oneCycle(float start, float middle, float end, int totalSteps) {
        if (totalSteps < 1) {
            throw new IllegalArgumentException(
                    "a one-cycle schedule needs at least one step, got " + totalSteps);
        }
        double peak = 0.3 * totalSteps - 1;
        double last = totalSteps - 1;
        return (id, step) -> {
            double s = Math.min(step, last);
            if (s <= peak) {
                return anneal(start, middle, s / peak);
            }
            return anneal(middle, end, (s - peak) / (last - peak));
        };
    }

    /** Cosine decay from max to 0 over totalSteps. */
    public static ParameterTracker cosine(float max, int totalSteps) {
        return (id, step) ->
                anneal(max, 0f, Math.min(1.0, (double) step / Math.max(1, totalSteps)));
    }

    public static ParameterTracker constant(float value) {
        return (id, step) -> value;
    }

    private static float anneal(float from, float to, double fraction) {
        return (float) (to + (from - to) * (1 + Math.cos(Math.PI * fraction)) / 2);
    }
}
