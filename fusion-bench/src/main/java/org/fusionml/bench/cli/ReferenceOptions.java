package org.fusionml.bench.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import org.fusionml.bench.PyTorchReference;
import org.fusionml.train.cli.UserException;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code --python} and {@code --reference-script}: the PyTorch reference the ALIGNN benchmarks run.
 * Paths given with the options must exist; the defaults may be absent, and the benchmark lines then
 * say that the reference is unavailable.
 */
final class ReferenceOptions {
    /** The interpreter when the option is not given: Debian's, which has torch and pymatgen. */
    static final String DEFAULT_PYTHON = "/usr/bin/python3";

    /** The reference script in the shared folder. */
    static final String SCRIPT = "bench/alignn_pytorch_ref.py";

    @Spec(Spec.Target.MIXEE)
    CommandSpec mixee;

    @Option(
            names = "--python",
            paramLabel = "FILE",
            description =
                    "Python interpreter with torch and pymatgen, a path or a name looked up on"
                            + " PATH. Default: "
                            + DEFAULT_PYTHON
                            + ".")
    Path python;

    @Option(
            names = "--reference-script",
            paramLabel = "FILE.py",
            description = "The PyTorch reference. Default: " + SCRIPT + " in the shared folder.")
    Path script;

    /** The reference, its script in {@code shared} unless given. */
    PyTorchReference reference(Path shared) {
        PyTorchReference r =
                new PyTorchReference(
                        python != null ? python : Path.of(DEFAULT_PYTHON),
                        script != null ? script : shared.resolve(SCRIPT));
        if (python != null && r.interpreter().isEmpty()) {
            throw new UserException(
                    mixee.qualifiedName()
                            + ": --python "
                            + python
                            + (python.getParent() == null ? ": not on PATH" : ": no such file"));
        }
        if (script != null && !Files.isRegularFile(script)) {
            throw new UserException(
                    mixee.qualifiedName() + ": --reference-script " + script + ": no such file");
        }
        return r;
    }
}
