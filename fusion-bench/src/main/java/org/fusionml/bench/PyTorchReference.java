package org.fusionml.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The plain PyTorch ALIGNN the benchmarks are compared with: the reference script ({@code
 * bench/alignn_pytorch_ref.py} of the shared folder) and the python interpreter that runs it, one
 * with torch and pymatgen. Both come from {@code fusion bench} options; nothing here has a default.
 *
 * @param python the interpreter: a path, or a bare name (such as {@code python3}) looked up on
 *     {@code PATH}
 * @param script the reference, {@code alignn_pytorch_ref.py}; scripts that import it (the
 *     repository's {@code bench/alignn_reference_learn.py}) find it in {@code ALIGNN_REF}
 */
public record PyTorchReference(Path python, Path script) {
    public PyTorchReference {
        Objects.requireNonNull(python, "python");
        Objects.requireNonNull(script, "script");
    }

    /**
     * What a python run gave.
     *
     * @param result the last line of the script's standard output parsed as JSON; null when it
     *     failed
     * @param failure why there is no result, one line (what is missing, or the script's exit status
     *     and the last line of its standard error, with the file that keeps all of it), with single
     *     quotes for double ones so that it fits a bench line's {@code reason="..."}; null on
     *     success
     */
    record PythonRun(JsonNode result, String failure) {
        static PythonRun failed(String why) {
            return new PythonRun(null, why.replace('"', '\''));
        }
    }

    /**
     * The interpreter's file: for a path (a name with a folder part), the path when the file
     * exists; for a bare name, the first executable of that name on {@code PATH}; else empty.
     */
    public Optional<Path> interpreter() {
        if (python.getParent() != null) {
            return Files.isRegularFile(python) ? Optional.of(python) : Optional.empty();
        }
        String path = Objects.requireNonNullElse(System.getenv("PATH"), "");
        for (String dir : path.split(File.pathSeparator)) {
            Path candidate = Path.of(dir.isEmpty() ? "." : dir).resolve(python);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /**
     * The reference's environment: this JVM's glibc allocator settings (runtime.env, which the
     * launcher and the tests set), so that both sides run under the same ones, and OpenMP's passive
     * wait policy, which with the allocator settings made the reference 1.9-2.6x faster (its
     * README).
     */
    static Map<String, String> environment() {
        Map<String, String> env = new TreeMap<>();
        System.getenv()
                .forEach(
                        (k, v) -> {
                            if (k.startsWith("MALLOC_")) {
                                env.put(k, v);
                            }
                        });
        env.put("OMP_WAIT_POLICY", "PASSIVE");
        return env;
    }

    /**
     * Runs {@code script} (the reference or a script importing it) with the interpreter and the
     * reference's environment, after building the reference's graph cache once. The script's
     * standard error goes to {@code <scratch>/<script name>.stderr}, where a failure's cause stays.
     */
    PythonRun run(Path script, List<String> args) throws IOException, InterruptedException {
        Optional<Path> interpreter = interpreter();
        if (interpreter.isEmpty()) {
            return PythonRun.failed(
                    "missing " + python + (python.getParent() == null ? " (not on PATH)" : ""));
        }
        for (Path needed : List.of(this.script, script)) {
            if (!Files.exists(needed)) {
                return PythonRun.failed("missing " + needed);
            }
        }
        Path scratch = Path.of(System.getProperty("java.io.tmpdir"), "fusion-alignn-ref");
        Files.createDirectories(scratch);
        if (!Files.exists(scratch.resolve(".graphs-done"))) {
            PythonRun graphs = run(interpreter.get(), this.script, scratch, List.of("graphs"));
            if (graphs.result() == null) {
                return graphs;
            }
            Files.writeString(scratch.resolve(".graphs-done"), "ok");
        }
        return run(interpreter.get(), script, scratch, args);
    }

    /**
     * Runs {@code script}, a reference that reads its graphs from files the framework wrote ({@code
     * bench/graph_models_pytorch_ref.py}), with the interpreter and the reference's environment;
     * nothing is built first. Its standard error goes to {@code <scratch>/<script name>.stderr} of
     * the folder {@code fusion-models-ref} of the temporary folder.
     */
    PythonRun runAlone(Path script, List<String> args) throws IOException, InterruptedException {
        Optional<Path> interpreter = interpreter();
        if (interpreter.isEmpty()) {
            return PythonRun.failed(
                    "missing " + python + (python.getParent() == null ? " (not on PATH)" : ""));
        }
        if (!Files.exists(script)) {
            return PythonRun.failed("missing " + script);
        }
        Path scratch = Path.of(System.getProperty("java.io.tmpdir"), "fusion-models-ref");
        Files.createDirectories(scratch);
        return run(interpreter.get(), script, scratch, args);
    }

    private PythonRun run(Path interpreter, Path script, Path scratch, List<String> args)
            throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(interpreter.toString(), script.toString()));
        cmd.addAll(args);
        Path stderr = scratch.resolve(script.getFileName() + ".stderr");
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(stderr.toFile());
        pb.environment().putAll(environment());
        pb.environment().put("ALIGNN_BENCH_SCRATCH", scratch.toString());
        pb.environment().put("ALIGNN_REF", this.script.toAbsolutePath().toString());
        Process p = pb.start();
        String stdout =
                new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        int status = p.waitFor();
        if (status != 0 || stdout.isEmpty()) {
            // decoded leniently: a byte that is not UTF-8 (native libraries write what they like)
            // must
            // not hide the cause
            String last =
                    new String(Files.readAllBytes(stderr), StandardCharsets.UTF_8)
                            .lines()
                            .filter(l -> !l.isBlank())
                            .reduce((a, b) -> b)
                            .orElse(status != 0 ? "no standard error" : "no output")
                            .strip();
            return PythonRun.failed(
                    script.getFileName()
                            + " exited "
                            + status
                            + ": "
                            + last
                            + " (all of it in "
                            + stderr
                            + ")");
        }
        String[] lines = stdout.split("\n");
        return new PythonRun(new ObjectMapper().readTree(lines[lines.length - 1]), null);
    }
}
