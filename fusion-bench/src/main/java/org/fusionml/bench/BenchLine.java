package org.fusionml.bench;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * One machine-readable benchmark line, {@code bench <what> key=value ...}: names are lower-case
 * words ({@code [a-z0-9_.]+}), values are written bare when they hold no space and no double quote,
 * else in double quotes with double quotes inside turned into single ones ({@code reason="..."}).
 * Missing figures are {@code na}.
 *
 * @param what the figure's kind, such as {@code model_train}
 * @param fields the keys and values in the order written (copied, unmodifiable)
 */
public record BenchLine(String what, Map<String, String> fields) {
    private static final Pattern NAME = Pattern.compile("[a-z0-9_.]+");

    /** The value of a figure that is missing. */
    public static final String NA = "na";

    public BenchLine {
        checkName("what", what);
        fields = Collections.unmodifiableMap(new LinkedHashMap<>(fields));
        fields.keySet().forEach(k -> checkName("key", k));
        fields.values()
                .forEach(
                        v -> {
                            if (v == null || v.isEmpty() || v.contains("\n")) {
                                throw new IllegalArgumentException(
                                        "a bench value must be one non-empty line, got " + v);
                            }
                        });
    }

    private static void checkName(String role, String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException(
                    "bench line " + role + " '" + name + "' must match " + NAME.pattern());
        }
    }

    /** The line as printed. */
    @Override
    public String toString() {
        StringBuilder s = new StringBuilder("bench ").append(what);
        fields.forEach(
                (k, v) -> {
                    s.append(' ').append(k).append('=');
                    if (v.contains(" ") || v.contains("\"")) {
                        s.append('"').append(v.replace('"', '\'')).append('"');
                    } else {
                        s.append(v);
                    }
                });
        return s.toString();
    }

    /**
     * Reads a line written by {@link #toString()}.
     *
     * @throws IllegalArgumentException naming what is wrong: no {@code bench} prefix, a token
     *     without {@code =}, an unterminated quote, a key given twice
     */
    public static BenchLine parse(String line) {
        String rest = line.strip();
        if (!rest.startsWith("bench ")) {
            throw new IllegalArgumentException("not a bench line: " + line);
        }
        rest = rest.substring("bench ".length()).stripLeading();
        int space = rest.indexOf(' ');
        String what = space < 0 ? rest : rest.substring(0, space);
        Map<String, String> fields = new LinkedHashMap<>();
        int i = space < 0 ? rest.length() : space;
        while (i < rest.length()) {
            if (rest.charAt(i) == ' ') {
                i++;
                continue;
            }
            int eq = rest.indexOf('=', i);
            int nextSpace = rest.indexOf(' ', i);
            if (eq < 0 || (nextSpace >= 0 && nextSpace < eq)) {
                throw new IllegalArgumentException(
                        "bench line token without '=' at column " + i + ": " + line);
            }
            String key = rest.substring(i, eq);
            String value;
            if (eq + 1 < rest.length() && rest.charAt(eq + 1) == '"') {
                int close = rest.indexOf('"', eq + 2);
                if (close < 0) {
                    throw new IllegalArgumentException(
                            "bench line value of " + key + " has no closing quote: " + line);
                }
                value = rest.substring(eq + 2, close);
                i = close + 1;
            } else {
                int end = rest.indexOf(' ', eq);
                end = end < 0 ? rest.length() : end;
                value = rest.substring(eq + 1, end);
                i = end;
            }
            if (fields.put(key, value) != null) {
                throw new IllegalArgumentException(
                        "bench line key " + key + " given twice: " + line);
            }
        }
        return new BenchLine(what, fields);
    }

    /** The value of {@code key}; an error naming the key and the line when it is absent. */
    public String get(String key) {
        String v = fields.get(key);
        if (v == null) {
            throw new IllegalArgumentException("bench line has no " + key + ": " + this);
        }
        return v;
    }

    /** The value of {@code key} as a number, NaN for {@link #NA}. */
    public double number(String key) {
        String v = get(key);
        return v.equals(NA) ? Double.NaN : Double.parseDouble(v);
    }

    /** {@code value} with {@code decimals} decimals, or {@link #NA} for NaN. */
    public static String figure(double value, int decimals) {
        return Double.isNaN(value) ? NA : String.format(Locale.ROOT, "%." + decimals + "f", value);
    }
}
