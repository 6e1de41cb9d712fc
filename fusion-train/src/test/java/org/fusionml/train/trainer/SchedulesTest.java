package org.fusionml.train.trainer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.training.tracker.ParameterTracker;
import org.junit.jupiter.api.Test;

/** The learning-rate and beta1 schedules against PyTorch's. */
class SchedulesTest {
    /**
     * Learning rate and beta1 of every step of PyTorch's {@code OneCycleLR} (torch 1.13, max_lr
     * 1e-3, defaults otherwise, on AdamW), for 14 steps (one epoch of the small configuration) and
     * for 3 (the warm-up shorter than one step): the rate peaks at step 0.3 T - 1 and reaches max /
     * 2.5e5 at the last step T - 1.
     */
    @Test
    void oneCycleIsPyTorchsOneCycleLrStepByStep() {
        double[] lr14 = {
            4.000000000e-05,
            2.533262882e-04,
            7.036880475e-04,
            9.907769346e-04,
            9.836474969e-04,
            9.190443763e-04,
            8.117456539e-04,
            6.726838365e-04,
            5.160277247e-04,
            3.577387757e-04,
            2.139448142e-04,
            9.929679189e-05,
            2.547602461e-05,
            4.000000000e-09
        };
        double[] beta14 = {
            0.950000000,
            0.927778512,
            0.880865828,
            0.850960736,
            0.851635257,
            0.858095595,
            0.868825510,
            0.882731747,
            0.898397421,
            0.914226379,
            0.928605833,
            0.940070681,
            0.947452787,
            0.950000000
        };
        double[] lr3 = {9.944154355e-04, 4.626371027e-04, 4.000000000e-09};
        double[] beta3 = {0.850558459, 0.903736505, 0.950000000};
        assertSchedule(lr14, Schedules.oneCycle(1e-3f, 14), 2e-6);
        assertSchedule(beta14, Schedules.oneCycleBeta1(14), 1e-6);
        assertSchedule(lr3, Schedules.oneCycle(1e-3f, 3), 2e-6);
        assertSchedule(beta3, Schedules.oneCycleBeta1(3), 1e-6);
        assertEquals(
                4e-9f,
                Schedules.oneCycle(1e-3f, 14).getNewValue("w", 20),
                1e-15f,
                "past the last step it stays at the end value");
        assertEquals(0f, Schedules.cosine(1f, 10).getNewValue("w", 10), 1e-7f);
    }

    private static void assertSchedule(
            double[] pytorch, ParameterTracker schedule, double relative) {
        for (int step = 0; step < pytorch.length; step++) {
            assertEquals(
                    pytorch[step],
                    schedule.getNewValue("w", step),
                    relative * pytorch[step],
                    "step " + step);
        }
    }
}
