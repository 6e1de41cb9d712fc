package org.fusionml.train.trainer;

/** Told after every epoch, once its checkpoint is written. */
@FunctionalInterface
public interface EpochListener {
    /**
     * @param epoch the epoch just finished (1-based)
     * @param validationMae its validation MAE, target unit
     */
    void afterEpoch(int epoch, double validationMae);
}
