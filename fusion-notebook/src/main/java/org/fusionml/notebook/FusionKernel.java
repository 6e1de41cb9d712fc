package org.fusionml.notebook;

import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import jdk.jshell.DeclarationSnippet;
import jdk.jshell.Diag;
import jdk.jshell.EvalException;
import jdk.jshell.JShell;
import jdk.jshell.JShellException;
import jdk.jshell.Snippet;
import jdk.jshell.SnippetEvent;
import jdk.jshell.SourceCodeAnalysis;
import jdk.jshell.UnresolvedReferenceException;
import jdk.jshell.execution.DirectExecutionControl;
import jdk.jshell.spi.ExecutionControl;
import jdk.jshell.spi.ExecutionControlProvider;
import jdk.jshell.spi.ExecutionEnv;
import org.dflib.jjava.jupyter.channels.JupyterConnection;
import org.dflib.jjava.jupyter.kernel.BaseKernel;
import org.dflib.jjava.jupyter.kernel.KernelConnectionProperties;
import org.dflib.jjava.jupyter.kernel.LanguageInfo;
import org.dflib.jjava.jupyter.kernel.display.DisplayData;
import org.dflib.jjava.jupyter.kernel.magic.MagicParser;

/**
 * A Jupyter kernel for Java notebooks: cells are JShell snippets run in this JVM. It follows the
 * IJava / JJava conventions the notebooks are written for:
 *
 * <ul>
 *   <li>{@code %jars PATH...} adds jars (globs allowed, relative to the notebook's folder) to the
 *       compiler's and the snippets' class path;
 *   <li>the value of a cell's last expression is its result: a {@link DisplayData} (from the
 *       helpers of {@link Display}, statically imported) is shown as it is, images inline; null
 *       shows nothing; any other value is shown as its {@code toString()};
 *   <li>{@code display(...)} shows rich output in the middle of a cell; {@code System.out} and
 *       {@code System.err} go to the cell's streams.
 * </ul>
 *
 * <p>A compile error, an unresolved reference or an exception fails the cell with the message and
 * the Java stack trace, so {@code jupyter nbconvert --execute} fails on it. Any other magic is an
 * error naming the supported ones. Start: {@code java -cp fusion-notebook.jar:lib/*
 * org.fusionml.notebook.FusionKernel CONNECTION_FILE} (what the kernel.json that {@code
 * notebooks/kernel-spec} installs runs).
 */
public final class FusionKernel extends BaseKernel {
    private static final String SUPPORTED_MAGICS = "%jars";

    /** Held so that the level sticks: the base kernel logs every channel start and stop at INFO. */
    private static final Logger BASE_LOG = Logger.getLogger("org.dflib.jjava");

    private final SnippetLoader loader = new SnippetLoader();
    private final JShell shell;
    private final MagicParser magics = new MagicParser();
    private final Path workingDirectory;
    private Object lastValue;

    /** A kernel whose {@code %jars} paths are relative to {@code workingDirectory}. */
    public FusionKernel(Path workingDirectory) {
        this.workingDirectory = workingDirectory.toAbsolutePath();
        ExecutionControlProvider engine =
                new ExecutionControlProvider() {
                    @Override
                    public String name() {
                        return "fusion-notebook";
                    }

                    @Override
                    public ExecutionControl generate(
                            ExecutionEnv env, Map<String, String> parameters) {
                        return new ValueKeepingControl();
                    }
                };
        shell =
                JShell.builder()
                        .executionEngine(engine, Map.of())
                        .compilerOptions("-Xlint:none")
                        .build();
        for (Class<?> c : List.of(Display.class, DisplayData.class)) {
            shell.addToClasspath(Path.of(location(c)).toString());
        }
        Display.bind(this);
        try {
            run("import static org.fusionml.notebook.Display.*;");
        } catch (Exception e) {
            throw new IllegalStateException("the kernel could not import its display helpers", e);
        }
    }

    /** Runs the kernel on a Jupyter connection file until the client shuts it down. */
    public static void main(String[] args) throws Exception {
        if (args.length != 1) {
            System.err.println("usage: FusionKernel CONNECTION_FILE");
            System.exit(2);
        }
        BASE_LOG.setLevel(Level.WARNING);
        KernelConnectionProperties props =
                KernelConnectionProperties.parse(
                        Files.readString(Path.of(args[0]), StandardCharsets.UTF_8));
        JupyterConnection connection = new JupyterConnection(props);
        FusionKernel kernel = new FusionKernel(Path.of(""));
        kernel.becomeHandlerForConnection(connection);
        connection.connect();
        connection.waitUntilClose();
    }

    @Override
    public LanguageInfo getLanguageInfo() {
        return new LanguageInfo(
                "java",
                Runtime.version().toString(),
                "text/x-java-source",
                ".jshell",
                "java",
                "java",
                "java");
    }

    @Override
    public String getBanner() {
        return "Java "
                + Runtime.version()
                + " (JShell), FUSION notebook kernel; magics: "
                + SUPPORTED_MAGICS;
    }

    @Override
    public void onShutdown(boolean isRestarting) {
        shell.close();
    }

    /**
     * Runs one cell: its line magics, then its snippets in order. Returns the last expression's
     * value for display, or null when the cell ends with a statement or declaration.
     */
    @Override
    public DisplayData eval(String code) throws Exception {
        String java =
                magics.transformLineMagics(
                        code,
                        ctx -> {
                            magic(ctx.getMagicCall().getName(), ctx.getMagicCall().getArgs());
                            return "";
                        });
        if (magics.parseCellMagic(java) != null) {
            throw new IllegalArgumentException(
                    "cell magics are not supported; this kernel has " + SUPPORTED_MAGICS);
        }
        Object value = run(java);
        if (value == NO_VALUE || value == null) {
            return null; // as Python's None: a null result shows nothing
        }
        return value instanceof DisplayData d ? d : new DisplayData(String.valueOf(value));
    }

    private static final Object NO_VALUE = new Object();

    /**
     * Evaluates the snippets of {@code java}; returns the last one's value or {@link #NO_VALUE}.
     */
    private Object run(String java) throws Exception {
        SourceCodeAnalysis analysis = shell.sourceCodeAnalysis();
        Object value = NO_VALUE;
        String rest = java;
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(loader.classLoader());
        try {
            while (!rest.isBlank()) {
                SourceCodeAnalysis.CompletionInfo info = analysis.analyzeCompletion(rest);
                if (!info.completeness().isComplete()) {
                    throw new CellException(
                            "incomplete Java code ("
                                    + info.completeness()
                                            .name()
                                            .toLowerCase(Locale.ROOT)
                                            .replace('_', ' ')
                                    + "):\n"
                                    + rest.strip());
                }
                value = runSnippet(info.source());
                rest = info.remaining();
            }
        } finally {
            thread.setContextClassLoader(previous);
        }
        return value;
    }

    private Object runSnippet(String source) throws Exception {
        lastValue = NO_VALUE;
        Object value = NO_VALUE;
        for (SnippetEvent e : shell.eval(source)) {
            if (e.causeSnippet() != null) {
                continue; // a consequence (an earlier declaration replaced or updated), not this
                // snippet
            }
            Snippet s = e.snippet();
            if (e.status() == Snippet.Status.REJECTED) {
                throw new CellException(diagnostics(s));
            }
            JShellException thrown = e.exception();
            if (thrown instanceof UnresolvedReferenceException u) {
                throw unresolved(u.getSnippet(), source);
            }
            if (thrown instanceof EvalException ex) {
                throw new CellException(
                        ex.getExceptionClassName()
                                + (ex.getMessage() == null ? "" : ": " + ex.getMessage()),
                        ex);
            }
            if (thrown != null) {
                throw new CellException(thrown.toString(), thrown);
            }
            if ((e.status() == Snippet.Status.RECOVERABLE_NOT_DEFINED
                            || e.status() == Snippet.Status.RECOVERABLE_DEFINED)
                    && shell.unresolvedDependencies((DeclarationSnippet) s).findAny().isPresent()) {
                throw unresolved((DeclarationSnippet) s, source);
            }
            if (s.kind() == Snippet.Kind.EXPRESSION
                    || s.subKind() == Snippet.SubKind.TEMP_VAR_EXPRESSION_SUBKIND) {
                value = lastValue;
            }
        }
        return value;
    }

    /**
     * A declaration that names what does not exist (yet): one message however JShell reports it.
     */
    private CellException unresolved(DeclarationSnippet s, String source) {
        return new CellException(
                "cannot find "
                        + shell.unresolvedDependencies(s).collect(Collectors.joining(", "))
                        + " in:\n"
                        + source.strip());
    }

    private String diagnostics(Snippet s) {
        List<String> lines = new ArrayList<>();
        shell.diagnostics(s)
                .forEach(
                        (Diag d) -> {
                            String src = s.source();
                            int start =
                                    (int) Math.max(0, Math.min(src.length(), d.getStartPosition()));
                            int lineStart = src.lastIndexOf('\n', Math.max(0, start - 1)) + 1;
                            int lineEnd = src.indexOf('\n', start);
                            String line =
                                    src.substring(lineStart, lineEnd < 0 ? src.length() : lineEnd);
                            lines.add("error: " + d.getMessage(Locale.ROOT));
                            lines.add("  " + line);
                            lines.add("  " + " ".repeat(Math.max(0, start - lineStart)) + "^");
                        });
        return lines.isEmpty()
                ? "the snippet was rejected:\n" + s.source()
                : String.join("\n", lines);
    }

    private void magic(String name, List<String> args) {
        if (!name.equals("jars")) {
            throw new IllegalArgumentException(
                    "unknown magic %" + name + "; this kernel has " + SUPPORTED_MAGICS);
        }
        for (String arg : args) {
            List<Path> jars = glob(arg);
            if (jars.isEmpty()) {
                throw new IllegalArgumentException(
                        "%jars " + arg + ": no such file (relative to " + workingDirectory + ")");
            }
            for (Path jar : jars) {
                shell.addToClasspath(jar.toString());
            }
        }
    }

    /** The files {@code pattern} names: a path, or a glob in its last part ({@code lib/*.jar}). */
    private List<Path> glob(String pattern) {
        Path p = workingDirectory.resolve(pattern).normalize();
        String last = p.getFileName() == null ? "" : p.getFileName().toString();
        if (!last.contains("*") && !last.contains("?")) {
            return Files.exists(p) ? List.of(p) : List.of();
        }
        PathMatcher matcher = FileSystems.getDefault().getPathMatcher("glob:" + last);
        try (Stream<Path> files = Files.list(p.getParent())) {
            return files.filter(f -> matcher.matches(f.getFileName())).sorted().toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    private static String location(Class<?> c) {
        try {
            return c.getProtectionDomain().getCodeSource().getLocation().toURI().getPath();
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * A failed cell: the message is what the notebook shows; a cause from JShell keeps its trace.
     */
    static final class CellException extends Exception {
        CellException(String message) {
            super(message);
            setStackTrace(
                    new StackTraceElement[0]); // the kernel's own frames say nothing about the cell
        }

        CellException(String message, Throwable cause) {
            super(message, cause);
            setStackTrace(cause.getStackTrace());
        }
    }

    /** Runs snippets in this thread, in {@link #loader}, and keeps the last value as an object. */
    private final class ValueKeepingControl extends DirectExecutionControl {
        ValueKeepingControl() {
            super(loader);
        }

        @Override
        protected String invoke(Method doitMethod) throws Exception {
            Object value = doitMethod.invoke(null);
            lastValue = value;
            return valueString(value);
        }
    }
}
