package org.fusionml.train.cli;

/** A user error that is not tied to one input entry (a bad option value, a missing file). */
public final class UserException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public UserException(String message) {
        super(message);
    }
}
