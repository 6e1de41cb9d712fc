package org.fusionml.train.trainer;

/** Epochs done and the best validation MAE so far, of one run; what a checkpoint records. */
final class RunState {
    int epoch;
    double bestMae = Double.POSITIVE_INFINITY;
    int bestEpoch;

    /** The state after {@code cp}'s epoch, or before the first epoch when {@code cp} is null. */
    RunState(RunDirectory.Checkpoint cp) {
        if (cp != null) {
            epoch = cp.epoch();
            bestMae = cp.bestValMae();
            bestEpoch = cp.bestEpoch();
        }
    }
}
