package org.fusionml.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PyTorchReferenceTest {
    @TempDir Path dir;

    @Test
    void aBareInterpreterNameIsLookedUpOnPathAndAPathIsTakenAsItIs() throws Exception {
        Path script = dir.resolve("ref.py");
        Optional<Path> sh = new PyTorchReference(Path.of("sh"), script).interpreter();
        assertTrue(
                sh.isPresent() && sh.get().isAbsolute() && Files.isExecutable(sh.get()),
                sh.toString());
        assertEquals(
                Optional.empty(),
                new PyTorchReference(Path.of("no-such-python-3.99"), script).interpreter());
        Path file = Files.writeString(dir.resolve("python"), "");
        assertEquals(Optional.of(file), new PyTorchReference(file, script).interpreter());
        assertEquals(
                Optional.empty(),
                new PyTorchReference(dir.resolve("no-such-python"), script).interpreter());
    }

    /** What is missing is named in the failure (a bench line's reason), before anything runs. */
    @Test
    void aMissingInterpreterOrScriptIsTheFailure() throws Exception {
        Path script = Files.writeString(dir.resolve("ref.py"), "");
        PyTorchReference.PythonRun noPython =
                new PyTorchReference(Path.of("no-such-python-3.99"), script).run(script, List.of());
        assertNull(noPython.result());
        assertEquals("missing no-such-python-3.99 (not on PATH)", noPython.failure());
        Path python = Files.writeString(dir.resolve("python"), "");
        PyTorchReference.PythonRun noScript =
                new PyTorchReference(python, dir.resolve("absent.py")).run(script, List.of());
        assertEquals("missing " + dir.resolve("absent.py"), noScript.failure());
    }
}
