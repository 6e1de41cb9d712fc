package org.fusionml.data;

/**
 * Range checks of numeric settings with messages that name the key, the value, the range and the
 * unit, e.g. {@code "train.learning_rate (-1.0) must be a finite number > 0"} or {@code
 * "scores.symprec (2.0) must be in (0, 1] Angstrom"}. Every check throws {@link
 * IllegalArgumentException}, which configuration loaders and commands turn into a one-line user
 * error.
 */
public final class Ranges {
    private Ranges() {}

    /** {@code value} when it is at least {@code min}. */
    public static int atLeast(String key, int value, int min) {
        if (value < min) {
            throw new IllegalArgumentException(key + " (" + value + ") must be >= " + min);
        }
        return value;
    }

    /** {@code value} when it is in [{@code min}, {@code max}]. */
    public static int between(String key, int value, int min, int max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(
                    key + " (" + value + ") must be in " + min + ".." + max);
        }
        return value;
    }

    /** {@code value} when it is finite and > 0; {@code unit} (may be empty) ends the message. */
    public static double positive(String key, double value, String unit) {
        if (!(value > 0) || !Double.isFinite(value)) {
            throw new IllegalArgumentException(
                    key + " (" + value + ") must be a finite number > 0" + suffix(unit));
        }
        return value;
    }

    /** {@code value} when it is finite and >= 0. */
    public static double nonNegative(String key, double value, String unit) {
        if (!(value >= 0) || !Double.isFinite(value)) {
            throw new IllegalArgumentException(
                    key + " (" + value + ") must be a finite number >= 0" + suffix(unit));
        }
        return value;
    }

    /** {@code value} when it is in the half-open interval (low, high]. */
    public static double inLeftOpen(
            String key, double value, double low, double high, String unit) {
        if (!(value > low && value <= high)) {
            throw new IllegalArgumentException(
                    key
                            + " ("
                            + value
                            + ") must be in ("
                            + format(low)
                            + ", "
                            + format(high)
                            + "]"
                            + suffix(unit));
        }
        return value;
    }

    /** {@code value} when it is in the half-open interval [low, high). */
    public static double inRightOpen(
            String key, double value, double low, double high, String unit) {
        if (!(value >= low && value < high)) {
            throw new IllegalArgumentException(
                    key
                            + " ("
                            + value
                            + ") must be in ["
                            + format(low)
                            + ", "
                            + format(high)
                            + ")"
                            + suffix(unit));
        }
        return value;
    }

    private static String suffix(String unit) {
        return unit == null || unit.isEmpty() ? "" : " " + unit;
    }

    private static String format(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15
                ? String.valueOf((long) v)
                : String.valueOf(v);
    }
}
