package org.fusionml.train.trainer;

/** The loss became NaN or infinite; training stops and keeps the last good parameters. */
public final class TrainingDivergedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public TrainingDivergedException(String message) {
        super(message);
    }
}
