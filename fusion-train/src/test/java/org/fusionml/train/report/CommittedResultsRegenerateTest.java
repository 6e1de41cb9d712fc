package org.fusionml.train.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.fusionml.train.config.ConfigLoader;
import org.fusionml.train.config.LoopConfig;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every result folder committed under {@code docs/results} that holds a loop ({@code loop.yaml} and
 * {@code cells/}) regenerates its tables and figures byte for byte from its cells: the published
 * figures are what the report code makes of the published cells.
 */
class CommittedResultsRegenerateTest {
    private static final Path RESULTS = Path.of("../docs/results");

    @TempDir Path tmp;

    static Stream<String> loops() throws IOException {
        try (Stream<Path> dirs = Files.list(RESULTS)) {
            return dirs
                    .filter(d -> Files.isRegularFile(d.resolve("loop.yaml")))
                    .filter(d -> Files.isDirectory(d.resolve("cells")))
                    .map(d -> d.getFileName().toString())
                    .sorted()
                    .toList()
                    .stream();
        }
    }

    @ParameterizedTest
    @MethodSource("loops")
    void tablesAndFiguresRegenerateByteForByte(String name) throws IOException {
        Path committed = RESULTS.resolve(name);
        Path out = tmp.resolve(name);
        Files.createDirectories(out);
        LoopConfig cfg =
                ConfigLoader.load(committed.resolve("loop.yaml"), List.of(), LoopConfig.class);
        LoopReport.write(
                LoopReport.read(committed),
                committed,
                out,
                cfg.maxUnprunedRatio(),
                cfg.data().targetUnit());

        List<Path> outputs;
        try (Stream<Path> files = Files.list(out)) {
            outputs = files.sorted().toList();
        }
        assertFalse(outputs.isEmpty(), name + ": the report wrote nothing");
        List<String> compared = new ArrayList<>();
        for (Path made : outputs) {
            Path published = committed.resolve(made.getFileName());
            assertTrue(
                    Files.exists(published),
                    name + ": " + made.getFileName() + " is not committed");
            assertArrayEquals(
                    Files.readAllBytes(published),
                    Files.readAllBytes(made),
                    name + "/" + made.getFileName() + " differs from the committed file");
            compared.add(made.getFileName().toString());
        }
        assertTrue(compared.contains("table1.md"), name + ": " + compared);
        try (Stream<Path> files = Files.list(committed)) {
            for (Path f : files.toList()) {
                String file = f.getFileName().toString();
                // scores.csv and scores@VARIANT.csv are the loop's record of its surrogate and
                // its scorings, read by the report
                boolean reportOutput =
                        file.matches("(?!scores(@[a-z0-9_]+)?\\.csv).*\\.(csv|svg|png)")
                                || file.matches("(?!README).*\\.md");
                assertTrue(
                        !reportOutput || compared.contains(file),
                        name + ": committed " + file + " is not made by the report (stale?)");
            }
        }
    }
}
