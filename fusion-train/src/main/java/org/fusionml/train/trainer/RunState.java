package org.fusionml.train.trainer;

/** Epochs done and the best validation MAE so far, of one run; what a checkpoint records. */
final class RunState {
    int epoch;
    double bestMae = Double.POSITIVE_INFINITY;
    int bestEpoch;

    /** SHA-256 of {@code best.params} as it is after {@link #bestEpoch}; null before. */
    String bestParamsSha256;

    /** The state after {@code cp}'s epoch, or before the first epoch when {@code cp} is null. */
    RunState(Checkpoint.State cp) {
        if (cp != null) {
            epoch = cp.epoch();
            bestMae = cp.bestValMae();
            bestEpoch = cp.bestEpoch();
            bestParamsSha256 = cp.bestParamsSha256();
        }
    }
}
