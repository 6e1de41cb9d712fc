package org.fusionml.data;

/**
 * Bad user input: a file, an entry in it and what is wrong with it.
 *
 * <p>The message is one line, {@code FILE: entry ENTRY: PROBLEM}, so that a command-line tool can
 * print it as it is and exit with code 2. {@code entry} is an id or an index, or {@code null} when
 * the problem concerns the whole file.
 */
public final class InvalidInputException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String source;
    private final String entry;
    private final String problem;

    public InvalidInputException(String source, String entry, String problem) {
        this(source, entry, problem, null);
    }

    public InvalidInputException(String source, String entry, String problem, Throwable cause) {
        super(format(source, entry, problem), cause);
        this.source = source;
        this.entry = entry;
        this.problem = problem;
    }

    /**
     * Returns a copy of {@code e} that names {@code source} and {@code entry}, keeping its problem.
     */
    public static InvalidInputException at(
            String source, String entry, IllegalArgumentException e) {
        return new InvalidInputException(source, entry, e.getMessage(), e);
    }

    private static String format(String source, String entry, String problem) {
        StringBuilder sb = new StringBuilder(source == null ? "<input>" : source);
        if (entry != null) {
            sb.append(": entry ").append(entry);
        }
        return sb.append(": ").append(problem).toString();
    }

    public String source() {
        return source;
    }

    public String entry() {
        return entry;
    }

    public String problem() {
        return problem;
    }
}
