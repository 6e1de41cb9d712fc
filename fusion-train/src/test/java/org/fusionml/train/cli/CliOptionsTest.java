package org.fusionml.train.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CliOptionsTest {
    @TempDir Path dir;

    @Test
    void helpListsTheCommandsAndEachCommandShowsItsDefaults() {
        CliRunner top = CliRunner.run("--help");
        assertEquals(0, top.code());
        for (String c :
                new String[] {
                    "train",
                    "predict",
                    "score",
                    "prune",
                    "loop",
                    "report",
                    "fingerprint",
                    "--quiet",
                    "--verbose"
                }) {
            assertTrue(top.out().contains(c), c + " in\n" + top.out());
        }
        CliRunner loop = CliRunner.run("loop", "--help");
        assertEquals(0, loop.code());
        assertTrue(
                loop.out().contains("--plan")
                        && loop.out().contains("(default: 04:00:00)")
                        && loop.out().contains("--quiet"),
                loop.out());
    }

    @Test
    void predictHelpNamesUnitsIntervalsAndModelRoots() {
        CliRunner help = CliRunner.run("predict", "--help");
        assertEquals(0, help.code(), help.err());
        for (String s :
                new String[] {"meV_per_atom", "95 % interval", "FUSION_MODELS", "--no-domain"}) {
            assertTrue(help.out().contains(s), s + " in\n" + help.out());
        }
    }

    @Test
    void userErrorsAreOneLineWithExitCode2AndVerboseAddsTheStackTrace() {
        String[] args = {"soap", "--species", "O,H", "--output", dir.resolve("s.json").toString()};
        CliRunner plain = CliRunner.run(args);
        assertEquals(2, plain.code());
        assertEquals(1, plain.err().strip().lines().count(), plain.err());
        CliRunner verbose = CliRunner.run(prepend("--verbose", args));
        assertEquals(2, verbose.code());
        assertTrue(verbose.err().contains("\tat org.fusionml."), verbose.err());
        assertTrue(
                verbose.err().strip().endsWith(plain.err().strip()),
                "the one line still ends the output");
        CliRunner badOption = CliRunner.run("loop", "--no-such-option");
        assertEquals(2, badOption.code());
        assertFalse(badOption.err().contains("\tat "), badOption.err());
    }

    private static String[] prepend(String first, String[] rest) {
        String[] out = new String[rest.length + 1];
        out[0] = first;
        System.arraycopy(rest, 0, out, 1, rest.length);
        return out;
    }
}
