package org.fusionml.data.structure.io;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.fusionml.data.InvalidInputException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Seeded mutation fuzzing of the structure readers (POSCAR, CIF, pymatgen and Matbench JSON): every
 * mutant of a valid file either reads or fails with a one-line {@link InvalidInputException},
 * within a few seconds; any other exception, a message of several lines or a hang is a failure that
 * names the seed and the input.
 *
 * <p>A mutant is a valid file with 1 to 4 edits: a span deleted, duplicated or moved, a line
 * dropped or repeated, a character or a token of the fuzzing alphabet (numbers at the edges of the
 * doubles and ints, NaN, signs, brackets, quotes, CIF and POSCAR keywords) inserted or put in place
 * of a number. Each parser gets {@code fusion.fuzz.seconds} seconds (default 2) of mutants from
 * seeds 0, 1, 2, ...; the same seeds give the same mutants, so a failure replays.
 */
class StructureParserFuzzTest {
    private static final double SECONDS =
            Double.parseDouble(System.getProperty("fusion.fuzz.seconds", "2"));

    /** Longest a single read may take before it counts as a hang. */
    private static final long HANG_SECONDS = 10;

    private static final String[] TOKENS = {
        "0",
        "-1",
        "1",
        "2",
        "-0",
        "1e300",
        "-1e300",
        "1e-300",
        "NaN",
        "Infinity",
        "-Infinity",
        "2147483648",
        "-2147483649",
        "99999999999",
        "0.5",
        "1/2",
        "?",
        ".",
        "x",
        "-x",
        "+",
        "-",
        "e",
        "{",
        "}",
        "[",
        "]",
        "\"",
        "'",
        ":",
        ",",
        ";",
        "\n",
        " ",
        "\t",
        "_",
        "(",
        ")",
        "#",
        "null",
        "true",
        "loop_",
        "data_",
        "_cell_length_a",
        "_atom_site_fract_x",
        "_space_group_name_H-M_alt",
        "'F m -3 q'",
        "'P 1'",
        "Direct",
        "Cartesian",
        "Selective",
        "Xx",
        "H",
        "Og",
        "Na",
        "\"sites\"",
        "\"lattice\"",
        "\"abc\"",
        "\"species\"",
        "\"data\"",
        "\"index\"",
        "\"columns\"",
        "\u00e9",
        "\0"
    };

    private static ExecutorService executor;

    @TempDir static Path dir;

    @BeforeAll
    static void start() {
        executor =
                Executors.newSingleThreadExecutor(
                        r -> {
                            Thread t = new Thread(r, "fuzz");
                            t.setDaemon(true);
                            return t;
                        });
    }

    @AfterAll
    static void stop() {
        executor.shutdownNow();
    }

    static final String POSCAR =
            "NaCl\n1.0\n5.64 0 0\n0 5.64 0\n0 0 5.64\nNa Cl\n1 1\nDirect\n0 0 0\n0.5 0.5 0.5\n";

    static final String CIF =
            "data_NaCl\n_space_group_name_H-M_alt 'F m -3 m'\n_cell_length_a 5.64\n"
                    + "_cell_length_b 5.64\n_cell_length_c 5.64\n_cell_angle_alpha 90\n"
                    + "_cell_angle_beta 90\n_cell_angle_gamma 90\nloop_\n_atom_site_label\n"
                    + "_atom_site_type_symbol\n_atom_site_fract_x\n_atom_site_fract_y\n"
                    + "_atom_site_fract_z\n_atom_site_occupancy\nNa1 Na 0 0 0 1\n"
                    + "Cl1 Cl 0.5 0.5 0.5 1.0\n"
                    + "data_ops\n_cell_length_a 4\n_cell_length_b 4\n_cell_length_c 4\n"
                    + "_cell_angle_alpha 90\n_cell_angle_beta 90\n_cell_angle_gamma 90\n"
                    + "loop_\n_space_group_symop_operation_xyz\n'x, y, z'\n'-x, -y, -z'\n"
                    + "'x+1/2, y+1/2, z+1/2'\nloop_\n_atom_site_label\n_atom_site_fract_x\n"
                    + "_atom_site_fract_y\n_atom_site_fract_z\nCs1 0 0 0\n";

    private static final String SITE =
            "{\"lattice\": {\"matrix\": [[4, 0, 0], [0, 4, 0], [0, 0, 4]]}, \"sites\": ["
                    + "{\"species\": [{\"element\": \"Cs\", \"occu\": 1}], \"abc\": [0, 0, 0]},"
                    + " {\"species\": [{\"element\": \"Cl\", \"occu\": 1}], \"abc\": [0.5, 0.5,"
                    + " 0.5], \"label\": \"Cl\"}]}";

    static final String PYMATGEN =
            "{\"a\": " + SITE + ", \"b\": " + SITE.replace("0.5, 0.5, 0.5", "0.5, 0.5, 0.25") + "}";

    static final String MATBENCH =
            "{\"index\": [\"m1\", \"m2\"], \"columns\": [\"structure\", \"exfoliation_en\"],"
                    + " \"data\": [["
                    + SITE
                    + ", 12.5], ["
                    + SITE.replace("\"Cs\"", "\"Rb\"")
                    + ", 30.0]]}";

    @Test
    void poscarMutantsReadOrFailInOneLine() throws Exception {
        fuzz("POSCAR", POSCAR);
    }

    @Test
    void cifMutantsReadOrFailInOneLine() throws Exception {
        fuzz("x.cif", CIF);
    }

    @Test
    void pymatgenJsonMutantsReadOrFailInOneLine() throws Exception {
        fuzz("x.json", PYMATGEN);
    }

    @Test
    void matbenchJsonMutantsReadOrFailInOneLine() throws Exception {
        fuzz("matbench_x.json", MATBENCH);
    }

    /** The valid files read, so that the mutants start from something a parser accepts. */
    @Test
    void theSeedFilesRead() throws Exception {
        for (String[] f :
                List.of(
                        new String[] {"POSCAR", POSCAR},
                        new String[] {"x.cif", CIF},
                        new String[] {"x.json", PYMATGEN},
                        new String[] {"matbench_x.json", MATBENCH})) {
            Path p = dir.resolve(f[0]);
            Files.writeString(p, f[1]);
            assertFalse(StructureReaders.read(p).entries().isEmpty(), f[0]);
        }
    }

    private static void fuzz(String name, String valid) throws Exception {
        long end = System.nanoTime() + (long) (SECONDS * 1e9);
        Path file = dir.resolve(name);
        int cases = 0;
        for (long seed = 0; System.nanoTime() < end; seed++) {
            String mutant = mutate(valid, new SplittableRandom(seed));
            Files.write(file, mutant.getBytes(StandardCharsets.UTF_8));
            Future<Object> read = executor.submit(() -> StructureReaders.read(file));
            try {
                read.get(HANG_SECONDS, TimeUnit.SECONDS);
            } catch (TimeoutException e) {
                read.cancel(true);
                fail(
                        name
                                + " seed "
                                + seed
                                + ": no answer in "
                                + HANG_SECONDS
                                + " s for\n"
                                + mutant);
            } catch (java.util.concurrent.ExecutionException e) {
                Throwable cause = e.getCause();
                if (!(cause instanceof InvalidInputException)) {
                    throw new AssertionError(
                            name + " seed " + seed + ": " + cause + " for\n" + mutant, cause);
                }
                String message = cause.getMessage();
                assertFalse(
                        message.contains("\n") || message.contains("\r"),
                        name + " seed " + seed + ": message of several lines: " + message);
                assertTrue(message.startsWith(file.toString()), message);
            }
            cases++;
        }
        assertTrue(cases > 10, name + ": only " + cases + " mutants in " + SECONDS + " s");
    }

    /** {@code text} with 1 to 4 random edits. */
    static String mutate(String text, SplittableRandom rng) {
        StringBuilder s = new StringBuilder(text);
        int edits = 1 + rng.nextInt(4);
        for (int e = 0; e < edits; e++) {
            int n = s.length();
            int a = n == 0 ? 0 : rng.nextInt(n + 1);
            int b = Math.min(n, a + rng.nextInt(1 + Math.min(40, n)));
            switch (rng.nextInt(7)) {
                case 0 -> s.delete(a, b);
                case 1 -> s.insert(a, s.substring(a, b));
                case 2 -> s.insert(a, TOKENS[rng.nextInt(TOKENS.length)]);
                case 3 -> replaceNumber(s, rng);
                case 4 -> {
                    String moved = s.substring(a, b);
                    s.delete(a, b);
                    s.insert(rng.nextInt(s.length() + 1), moved);
                }
                case 5 -> s.insert(a, (char) rng.nextInt(32, 127));
                default -> {
                    String[] lines = s.toString().split("\n", -1);
                    int l = rng.nextInt(lines.length);
                    StringBuilder out = new StringBuilder();
                    boolean drop = rng.nextBoolean();
                    for (int i = 0; i < lines.length; i++) {
                        if (i != l || !drop) {
                            out.append(lines[i]).append('\n');
                        }
                        if (i == l && !drop) {
                            out.append(lines[i]).append('\n');
                        }
                    }
                    s = out;
                }
            }
        }
        return s.toString();
    }

    /** Puts a token of the alphabet in place of a random number of {@code s}. */
    private static void replaceNumber(StringBuilder s, SplittableRandom rng) {
        java.util.regex.Matcher m =
                java.util.regex.Pattern.compile("-?[0-9]+(\\.[0-9]+)?").matcher(s);
        List<int[]> spans = new java.util.ArrayList<>();
        while (m.find()) {
            spans.add(new int[] {m.start(), m.end()});
        }
        if (!spans.isEmpty()) {
            int[] span = spans.get(rng.nextInt(spans.size()));
            s.replace(span[0], span[1], TOKENS[rng.nextInt(16)]);
        }
    }
}
