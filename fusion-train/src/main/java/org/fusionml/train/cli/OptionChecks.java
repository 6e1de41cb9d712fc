package org.fusionml.train.cli;

/**
 * Range checks of option values before a command does any work: a bad value is a {@link
 * UserException} that names the command, the option, the value and the range ({@code fusion
 * predict: --batch-size (0) must be >= 1}).
 */
public final class OptionChecks {
    private OptionChecks() {}

    /** Runs {@code checks} (calls of {@link org.fusionml.data.Ranges} and the like). */
    public static void check(String command, Runnable checks) {
        try {
            checks.run();
        } catch (IllegalArgumentException e) {
            throw new UserException("fusion " + command + ": " + e.getMessage());
        }
    }
}
