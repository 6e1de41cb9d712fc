package org.fusionml.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.fusionml.data.InvalidInputException;
import org.fusionml.data.dataset.DatasetLoader;
import org.fusionml.models.Architectures;
import org.fusionml.models.cgcnn.CgcnnConfig;
import org.fusionml.models.schnet.SchnetConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelBenchmarkTest {
    private static final Path CONFIGS = Path.of("../configs");

    @TempDir Path dir;

    @Test
    void batchesAreFullSlicesOfSeededPermutations() {
        int[][] plan = ModelBenchmark.batchPlan(10, 4, 5, 42);
        assertEquals(5, plan.length);
        for (int[] b : plan) {
            assertEquals(4, b.length);
            assertEquals(4, Arrays.stream(b).distinct().count(), Arrays.toString(b));
            assertTrue(Arrays.stream(b).allMatch(i -> i >= 0 && i < 10));
        }
        // two batches per permutation of 10 (its last 2 skipped): no structure twice within one
        for (int p = 0; p < 2; p++) {
            Set<Integer> seen = new HashSet<>();
            for (int b = 2 * p; b < 2 * p + 2; b++) {
                Arrays.stream(plan[b]).forEach(seen::add);
            }
            assertEquals(8, seen.size());
        }
        int[][] again = ModelBenchmark.batchPlan(10, 4, 5, 42);
        for (int b = 0; b < plan.length; b++) {
            assertArrayEquals(plan[b], again[b]);
        }
        assertTrue(
                Arrays.stream(ModelBenchmark.batchPlan(10, 4, 5, 43))
                        .anyMatch(b -> !Arrays.equals(b, plan[0])));
        assertArrayEquals(
                new int[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9},
                Arrays.stream(ModelBenchmark.batchPlan(10, 10, 1, 1)[0]).sorted().toArray());
        assertThrows(IllegalArgumentException.class, () -> ModelBenchmark.batchPlan(10, 11, 1, 42));
    }

    @Test
    void theConfigurationIsTheTypesJdft2dFileElseItsSmallFileElseItsDefaults() throws Exception {
        ModelBenchmark.Subject cgcnn = ModelBenchmark.subject("cgcnn", CONFIGS);
        assertEquals(CONFIGS.resolve("jdft2d-cgcnn.yaml").toString(), cgcnn.source());
        assertEquals(
                CgcnnConfig.of(3, 64, 128, null, 8.0, null, "regression", null), cgcnn.config());
        assertEquals(
                CONFIGS.resolve("jdft2d-alignn-small.yaml").toString(),
                ModelBenchmark.subject("alignn", CONFIGS).source());
        for (String type : Architectures.TYPES.keySet()) {
            assertEquals(type, ModelBenchmark.subject(type, CONFIGS).config().name());
        }
        ModelBenchmark.Subject defaults = ModelBenchmark.subject("schnet", dir);
        assertEquals("defaults", defaults.source());
        assertEquals(SchnetConfig.defaults(), defaults.config());
        Files.writeString(dir.resolve("jdft2d-schnet.yaml"), "model:\n  type: cgcnn\n");
        InvalidInputException wrong =
                assertThrows(
                        InvalidInputException.class, () -> ModelBenchmark.subject("schnet", dir));
        assertTrue(wrong.getMessage().contains("configures cgcnn, not schnet"), wrong.getMessage());
    }

    @Test
    void aLineCarriesTheSettingsTheFiguresAndTheirRatio() {
        ModelBenchmark.Subject s = ModelBenchmark.subject("cgcnn", CONFIGS);
        ModelBenchmark.Settings settings = new ModelBenchmark.Settings(32, 3, 20);
        BenchLine withRef =
                ModelBenchmark.line(
                        "train",
                        s,
                        "matbench_jdft2d",
                        List.of(),
                        settings,
                        2,
                        "PASSIVE",
                        80833,
                        10,
                        40,
                        "openblas");
        assertEquals(
                "bench model_train type=cgcnn config="
                        + CONFIGS.resolve("jdft2d-cgcnn.yaml")
                        + " dataset=matbench_jdft2d graph=knn12_cutoff8.0 mean_edges=0.0 batch=32"
                        + " warmup_batches=3 batches=20 threads=2 omp_wait_policy=PASSIVE"
                        + " parameters=80833"
                        + " structures_per_s=10.00 pytorch_ref_structures_per_s=40.00"
                        + " ratio=0.250 pytorch_ref_blas=openblas",
                withRef.toString());
        BenchLine without =
                ModelBenchmark.line(
                        "infer",
                        ModelBenchmark.subject("schnet", CONFIGS),
                        "matbench_jdft2d",
                        List.of(),
                        settings,
                        2,
                        "default",
                        1,
                        55.555,
                        Double.NaN,
                        "na");
        assertEquals("model_infer", without.what());
        assertEquals("radius_cutoff5.0", without.get("graph"));
        assertEquals("55.56", without.get("structures_per_s"));
        assertEquals("na", without.get("pytorch_ref_structures_per_s"));
        assertEquals("na", without.get("ratio"));
        assertEquals(
                "bench model_reference type=cgcnn status=unavailable reason=\"missing x y\"",
                ModelBenchmark.unavailable("cgcnn", "missing x\ny").toString());
    }

    @Test
    void settingsOutsideTheirRangesAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> new ModelBenchmark.Settings(0, 1, 1));
        assertThrows(IllegalArgumentException.class, () -> new ModelBenchmark.Settings(1, -1, 1));
        assertThrows(IllegalArgumentException.class, () -> new ModelBenchmark.Settings(1, 0, 0));
    }

    /** The npy header numpy reads: magic, version 1.0, a 64-byte aligned dictionary, the data. */
    @Test
    void npyFilesHaveNumpysHeaderAndLittleEndianData() throws Exception {
        Path f = dir.resolve("a.npy");
        Npy.write(f, new long[] {1, -2, 3, 4, 5, 6}, 2, 3);
        byte[] bytes = Files.readAllBytes(f);
        assertEquals((byte) 0x93, bytes[0]);
        assertEquals("NUMPY", new String(bytes, 1, 5, StandardCharsets.US_ASCII));
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        int headerLength = b.getShort(8);
        assertEquals(0, (10 + headerLength) % 64);
        String header = new String(bytes, 10, headerLength, StandardCharsets.US_ASCII);
        assertEquals("{'descr': '<i8', 'fortran_order': False, 'shape': (2, 3), }", header.strip());
        assertTrue(header.endsWith("\n"));
        assertEquals(10 + headerLength + 48, bytes.length);
        assertEquals(-2, b.getLong(10 + headerLength + 8));
        Npy.write(f, new float[] {0.5f}, 1);
        byte[] one = Files.readAllBytes(f);
        int oneHeader = ByteBuffer.wrap(one).order(ByteOrder.LITTLE_ENDIAN).getShort(8);
        assertEquals(
                "{'descr': '<f4', 'fortran_order': False, 'shape': (1,), }",
                new String(one, 10, oneHeader, StandardCharsets.US_ASCII).strip());
        assertEquals(
                0.5f, ByteBuffer.wrap(one).order(ByteOrder.LITTLE_ENDIAN).getFloat(10 + oneHeader));
        assertThrows(IllegalArgumentException.class, () -> Npy.write(f, new float[3], 2, 2));
    }

    /**
     * The shared folder's ALIGNN reference, run on the framework's graphs: it has as many
     * parameters as the framework's ALIGNN of the small configuration (no line of a mismatch) and
     * gives both figures.
     */
    @Test
    void theAlignnReferenceRunsOnTheFrameworksGraphs() throws Exception {
        Path python = Path.of("/usr/bin/python3");
        Path alignn =
                Path.of(System.getProperty("fusion.shared", "../shared"))
                        .resolve("bench/alignn_pytorch_ref.py");
        assumeTrue(Files.isRegularFile(alignn), "needs " + alignn);
        assumeTrue(
                new ProcessBuilder(python.toString(), "-c", "import torch, numpy").start().waitFor()
                        == 0,
                "needs " + python + " with torch");
        StringWriter out = new StringWriter();
        ModelBenchmark.run(
                DatasetLoader.embeddedDefault(),
                List.of(ModelBenchmark.subject("alignn", CONFIGS)),
                new ModelBenchmark.Settings(4, 1, 1),
                new PyTorchReference(python, Path.of("../" + GraphModelReference.SCRIPT)),
                alignn,
                new PrintWriter(out, true));
        List<BenchLine> lines = out.toString().lines().map(BenchLine::parse).toList();
        assertEquals(2, lines.size(), out.toString());
        for (BenchLine l : lines) {
            assertEquals("alignn", l.get("type"));
            assertEquals("knn12_cutoff8.0+line", l.get("graph"));
            assertTrue(l.number("pytorch_ref_structures_per_s") > 0, l.toString());
        }
    }

    /**
     * A short run of SchNet with its reference and CGCNN without: the lines, with the parameter
     * counts of both sides equal (the run prints no line of a mismatch).
     */
    @Test
    void aShortRunPrintsTwoLinesPerTypeWithTheReferencesFigures() throws Exception {
        Path python = Path.of("/usr/bin/python3");
        assumeTrue(
                new ProcessBuilder(python.toString(), "-c", "import torch, numpy").start().waitFor()
                        == 0,
                "needs " + python + " with torch");
        StringWriter out = new StringWriter();
        ModelBenchmark.run(
                DatasetLoader.embeddedDefault(),
                List.of(ModelBenchmark.subject("schnet", CONFIGS)),
                new ModelBenchmark.Settings(8, 1, 2),
                new PyTorchReference(python, Path.of("../" + GraphModelReference.SCRIPT)),
                dir.resolve("no-alignn-reference.py"),
                new PrintWriter(out, true));
        ModelBenchmark.run(
                DatasetLoader.embeddedDefault(),
                List.of(ModelBenchmark.subject("cgcnn", CONFIGS)),
                new ModelBenchmark.Settings(8, 0, 1),
                null,
                null,
                new PrintWriter(out, true));
        List<BenchLine> lines = out.toString().lines().map(BenchLine::parse).toList();
        assertEquals(4, lines.size(), out.toString());
        assertEquals(
                List.of("model_train", "model_infer", "model_train", "model_infer"),
                lines.stream().map(BenchLine::what).toList());
        for (BenchLine l : lines.subList(0, 2)) {
            assertEquals("schnet", l.get("type"));
            assertEquals("8", l.get("batch"));
            double mine = l.number("structures_per_s");
            double ref = l.number("pytorch_ref_structures_per_s");
            assertTrue(mine > 0 && ref > 0, l.toString());
            assertEquals(mine / ref, l.number("ratio"), 1e-3 * mine / ref + 1e-3);
            assertTrue(
                    List.of("openblas", "netlib", "mkl", "blis", "atlas", "unknown")
                            .contains(l.get("pytorch_ref_blas")),
                    l.toString());
        }
        for (BenchLine l : lines.subList(2, 4)) {
            assertEquals("cgcnn", l.get("type"));
            assertEquals("na", l.get("ratio"));
            assertTrue(l.number("structures_per_s") > 0, l.toString());
        }
    }
}
