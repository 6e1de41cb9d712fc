package org.fusionml.train.config;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.fusionml.data.InvalidInputException;
import org.fusionml.train.trainer.TrainConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Seeded mutation fuzzing of the YAML configuration loader: every mutant of a shipped loop and
 * training configuration either loads or fails with a one-line {@link InvalidInputException} that
 * names the file, within seconds. Mutants take 1 to 4 edits (a span deleted, duplicated or moved, a
 * line dropped or repeated, a YAML token or an edge-case value inserted or put in place of a
 * number); {@code fusion.fuzz.seconds} seconds (default 2) per file, seeds 0, 1, 2, ...
 */
class ConfigFuzzTest {
    private static final double SECONDS =
            Double.parseDouble(System.getProperty("fusion.fuzz.seconds", "2"));

    private static final String[] TOKENS = {
        "0",
        "-1",
        "3.5",
        "1e300",
        "-1e300",
        ".nan",
        ".inf",
        "-.inf",
        "2147483648",
        "9223372036854775808",
        "null",
        "~",
        "true",
        "[]",
        "{}",
        "[1, 2]",
        "{a: 1}",
        ":",
        ",",
        "-",
        " ",
        "\n",
        "  ",
        "\t",
        "'",
        "\"",
        "#",
        "&a",
        "*a",
        "!!str",
        "<<: *a",
        "?",
        "|",
        ">",
        "type: ",
        "alignn",
        "cgcnn",
        "schnet",
        "fusion",
        "epochs",
        "hidden",
        "seeds",
        "ratios"
    };

    @TempDir Path dir;

    @Test
    void loopConfigurationMutantsLoadOrFailInOneLine() throws Exception {
        fuzz(Files.readString(Path.of("../configs/quickstart.yaml")), LoopConfig.class);
    }

    @Test
    void trainingConfigurationMutantsLoadOrFailInOneLine() throws Exception {
        fuzz(Files.readString(Path.of("../configs/jdft2d-alignn-small.yaml")), TrainConfig.class);
    }

    private void fuzz(String valid, Class<?> type) throws Exception {
        Path file = dir.resolve("c.yaml");
        Files.writeString(file, valid);
        ConfigLoader.load(file, List.of(), type); // the seed loads
        ExecutorService executor = Executors.newSingleThreadExecutor();
        try {
            long end = System.nanoTime() + (long) (SECONDS * 1e9);
            int cases = 0;
            for (long seed = 0; System.nanoTime() < end; seed++) {
                String mutant = mutate(valid, new SplittableRandom(seed));
                Files.writeString(file, mutant);
                Future<Object> load =
                        executor.submit(() -> ConfigLoader.load(file, List.of(), type));
                try {
                    load.get(10, TimeUnit.SECONDS);
                } catch (TimeoutException e) {
                    load.cancel(true);
                    throw new AssertionError("seed " + seed + ": no answer in 10 s for\n" + mutant);
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof InvalidInputException bad)) {
                        throw new AssertionError(
                                "seed " + seed + ": " + e.getCause() + " for\n" + mutant,
                                e.getCause());
                    }
                    assertFalse(
                            bad.getMessage().contains("\n"),
                            "seed " + seed + ": several lines: " + bad.getMessage());
                    assertTrue(bad.getMessage().startsWith(file.toString()), bad.getMessage());
                }
                cases++;
            }
            assertTrue(cases > 10, "only " + cases + " mutants");
        } finally {
            executor.shutdownNow();
        }
    }

    private static String mutate(String text, SplittableRandom rng) {
        StringBuilder s = new StringBuilder(text);
        int edits = 1 + rng.nextInt(4);
        for (int e = 0; e < edits; e++) {
            int n = s.length();
            int a = rng.nextInt(n + 1);
            int b = Math.min(n, a + rng.nextInt(1 + Math.min(30, n)));
            switch (rng.nextInt(6)) {
                case 0 -> s.delete(a, b);
                case 1 -> s.insert(a, s.substring(a, b));
                case 2 -> s.insert(a, TOKENS[rng.nextInt(TOKENS.length)]);
                case 3 -> {
                    java.util.regex.Matcher m =
                            java.util.regex.Pattern.compile("-?[0-9]+(\\.[0-9]+)?").matcher(s);
                    List<int[]> spans = new java.util.ArrayList<>();
                    while (m.find()) {
                        spans.add(new int[] {m.start(), m.end()});
                    }
                    if (!spans.isEmpty()) {
                        int[] span = spans.get(rng.nextInt(spans.size()));
                        s.replace(span[0], span[1], TOKENS[rng.nextInt(12)]);
                    }
                }
                case 4 -> {
                    String moved = s.substring(a, b);
                    s.delete(a, b);
                    s.insert(rng.nextInt(s.length() + 1), moved);
                }
                default -> {
                    String[] lines = s.toString().split("\n", -1);
                    int l = rng.nextInt(lines.length);
                    boolean drop = rng.nextBoolean();
                    StringBuilder out = new StringBuilder();
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
}
