package org.fusionml.train.trainer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.engine.Engine;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.fusionml.data.InvalidInputException;
import org.fusionml.data.dataset.CrystalDataset;
import org.fusionml.data.dataset.DatasetEntry;
import org.fusionml.data.dataset.DatasetLoader;
import org.fusionml.data.dataset.Split;
import org.fusionml.data.dataset.Splits;
import org.fusionml.data.structure.Element;
import org.fusionml.data.structure.Lattice;
import org.fusionml.data.structure.Site;
import org.fusionml.data.structure.Structure;
import org.fusionml.train.config.ConfigLoader;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class GraphTrainerTest {
    @TempDir Path dir;
    private static CrystalDataset data;
    private static Split split;

    @BeforeAll
    static void load() {
        data = DatasetLoader.embeddedDefault().select(IntStream.range(0, 30).toArray());
        split = Splits.trainValTest(data.size(), 0.2, 0.2, 0, 42);
    }

    private static TrainConfig tiny(int epochs, String... more) {
        List<String> sets =
                new ArrayList<>(
                        List.of(
                                "model.alignn_layers=1",
                                "model.gcn_layers=1",
                                "model.hidden=16",
                                "model.embedding=8",
                                "train.batch_size=6",
                                "train.epochs=" + epochs,
                                "train.patience=50"));
        sets.addAll(List.of(more));
        return ConfigLoader.load(null, sets, TrainConfig.class);
    }

    private static GraphTrainer.Result run(TrainConfig cfg, Path runDir, StringWriter log)
            throws Exception {
        return new GraphTrainer(cfg, new PrintWriter(log, true)).train(data, split, runDir);
    }

    @Test
    void runDirectoryHoldsEverythingAndTheSavedModelPredictsTheSame() throws Exception {
        Path run = dir.resolve("run");
        GraphTrainer.Result r = run(tiny(2), run, new StringWriter());
        for (String f :
                List.of(
                        "config.yaml",
                        "metrics.jsonl",
                        "model.json",
                        "model.params",
                        "predictions.csv",
                        "result.json",
                        "best.params",
                        "checkpoint.bin")) {
            assertTrue(Files.exists(run.resolve(f)), f);
        }
        assertEquals(2, Files.readAllLines(run.resolve("metrics.jsonl")).size());
        assertEquals(split.test().length, r.test().count());
        assertTrue(Double.isFinite(r.test().mae()) && Double.isFinite(r.test().within1Sigma()));

        List<String> csv = Files.readAllLines(run.resolve("predictions.csv"));
        assertEquals("id,target,prediction,gamma,nu,alpha,beta,aleatoric,epistemic", csv.get(0));
        try (GraphModel m = GraphModel.load(run)) {
            Predictions p =
                    m.predict(
                            m.samples(
                                    IntStream.of(split.test())
                                            .mapToObj(i -> data.get(i).structure())
                                            .toList()),
                            4);
            for (int k = 0; k < split.test().length; k++) {
                String[] f = csv.get(k + 1).split(",");
                assertEquals(
                        Double.parseDouble(f[2]),
                        p.prediction()[k],
                        0.0,
                        "saved -> loaded predictions are identical");
                assertEquals(Double.parseDouble(f[7]), p.aleatoric()[k], 0.0);
            }
        }
    }

    @Test
    void aStructureWhoseGraphCannotFitTheHeapNamesItsEntry() {
        // 20,000 atoms in a 10 A cube: within the 8 A cutoff about 4e8 pairs per cell copy, far
        // beyond any test heap; refused before anything is allocated
        SplittableRandom rng = new SplittableRandom(7);
        List<Site> sites = new ArrayList<>();
        for (int k = 0; k < 20_000; k++) {
            sites.add(
                    new Site(
                            Element.of("Si"),
                            new double[] {rng.nextDouble(), rng.nextDouble(), rng.nextDouble()}));
        }
        List<DatasetEntry> entries = new ArrayList<>(data.entries());
        entries.add(new DatasetEntry("dense", new Structure(Lattice.cubic(10.0), sites), 0.0));
        CrystalDataset withDense = new CrystalDataset(entries, data.provenance());
        InvalidInputException e =
                assertThrows(
                        InvalidInputException.class,
                        () ->
                                new GraphTrainer(tiny(1), new PrintWriter(new StringWriter()))
                                        .train(withDense, split, dir.resolve("dense")));
        assertTrue(
                e.getMessage()
                        .startsWith(
                                data.provenance().source() + ": entry dense: a neighbour search"),
                e.getMessage());
        assertTrue(e.getMessage().contains("use a smaller cutoff"), e.getMessage());
    }

    @Test
    void aRunFolderBeingTrainedIntoIsRefusedAndReleasedAfterwards() throws Exception {
        Path run = dir.resolve("locked");
        StringWriter log = new StringWriter();
        try (FolderLock other =
                FolderLock.acquire(
                        run.resolve("train.lock"), "fusion train", new PrintWriter(log))) {
            InvalidInputException e =
                    assertThrows(InvalidInputException.class, () -> run(tiny(1), run, log));
            assertTrue(
                    e.getMessage()
                            .startsWith(
                                    run.resolve("train.lock")
                                            + ": this folder is in use by fusion train (pid "
                                            + ProcessHandle.current().pid()),
                    e.getMessage());
            assertTrue(!Files.exists(run.resolve("config.yaml")), "nothing written");
        }
        run(tiny(1), run, log);
        assertTrue(!Files.exists(run.resolve("train.lock")), "released");
    }

    @Test
    void deviceSettingResolvesAndAMissingGpuIsAnError() throws Exception {
        int gpus = Engine.getInstance().getGpuCount();
        assertEquals(Device.cpu(), Devices.resolve("cpu"));
        assertEquals(gpus > 0 ? Device.gpu(0) : Device.cpu(), Devices.resolve("auto"));
        var e =
                assertThrows(
                        InvalidInputException.class,
                        () ->
                                run(
                                        tiny(1, "train.device=gpu:" + gpus),
                                        dir.resolve("nogpu"),
                                        new StringWriter()));
        assertTrue(
                e.getMessage().contains("train.device") && e.getMessage().contains("gpu:" + gpus),
                e.getMessage());
        GraphTrainer.Result cpu =
                run(tiny(1, "train.device=cpu"), dir.resolve("cpu"), new StringWriter());
        if (gpus == 0) {
            assertEquals(
                    cpu,
                    run(tiny(1), dir.resolve("auto"), new StringWriter()),
                    "auto is the CPU here");
        }
    }

    /**
     * Runs where PyTorch sees a GPU (a CUDA libtorch through PYTORCH_LIBRARY_PATH); skipped on CPU
     * machines.
     */
    @Test
    @Tag("gpu")
    @EnabledIf("hasGpu")
    void trainsOnTheGpuToTheCpuResultWithinFloatNoise() throws Exception {
        GraphTrainer.Result gpu =
                run(tiny(1, "train.device=gpu:0"), dir.resolve("gpu"), new StringWriter());
        GraphTrainer.Result cpu =
                run(tiny(1, "train.device=cpu"), dir.resolve("cpu"), new StringWriter());
        assertTrue(Double.isFinite(gpu.test().mae()));
        assertEquals(
                cpu.test().mae(),
                gpu.test().mae(),
                1e-3 * Math.abs(cpu.test().mae()),
                "same seed, one epoch, float32 on both");
    }

    static boolean hasGpu() {
        return Engine.getInstance().getGpuCount() > 0;
    }

    @Test
    void sameSeedGivesIdenticalMetrics() throws Exception {
        GraphTrainer.Result a = run(tiny(1), dir.resolve("a"), new StringWriter());
        GraphTrainer.Result b = run(tiny(1), dir.resolve("b"), new StringWriter());
        assertEquals(a, b);
        GraphTrainer.Result c = run(tiny(1, "train.seed=1"), dir.resolve("c"), new StringWriter());
        assertTrue(a.test().mae() != c.test().mae(), "another seed, another model");
    }

    @Test
    void interruptedRunResumesFromItsCheckpoint() throws Exception {
        Path run = dir.resolve("resume");
        GraphTrainer interrupted =
                new GraphTrainer(tiny(3), new PrintWriter(new StringWriter()))
                        .addEpochListener(
                                (epoch, mae) -> {
                                    if (epoch == 2) {
                                        throw new IllegalStateException(
                                                "interrupted after epoch 2");
                                    }
                                });
        assertThrows(IllegalStateException.class, () -> interrupted.train(data, split, run));
        StringWriter log = new StringWriter();
        GraphTrainer.Result r = run(tiny(3), run, log);
        assertTrue(log.toString().contains("resuming after epoch 2"), log.toString());
        assertEquals(3, r.epochs());
        assertEquals(3, Files.readAllLines(run.resolve("metrics.jsonl")).size());
    }

    /**
     * A run that stopped early, started again in its directory, stays as it stopped: no further
     * epoch.
     */
    @Test
    void earlyStoppedRunStaysStopped() throws Exception {
        Path run = dir.resolve("stopped");
        GraphTrainer.Result first = run(tiny(12, "train.patience=1"), run, new StringWriter());
        assertEquals(
                "early stopping",
                first.stopped(),
                "the case under test: patience 1 stops this run early");
        assertTrue(first.epochs() < 12, String.valueOf(first.epochs()));
        GraphTrainer.Result again = run(tiny(12, "train.patience=1"), run, new StringWriter());
        assertEquals(first, again);
        assertEquals(first.epochs(), Files.readAllLines(run.resolve("metrics.jsonl")).size());
    }

    /**
     * Killed after epoch 2 of 4 and resumed: the same model as an uninterrupted run, Adam state
     * included.
     */
    @Test
    void killedAndResumedRunEqualsAnUninterruptedOne() throws Exception {
        GraphTrainer.Result whole = run(tiny(4), dir.resolve("whole"), new StringWriter());
        Path run = dir.resolve("killed");
        GraphTrainer killed =
                new GraphTrainer(tiny(4), new PrintWriter(new StringWriter()))
                        .addEpochListener(
                                (epoch, mae) -> {
                                    if (epoch == 2) {
                                        throw new IllegalStateException("killed after epoch 2");
                                    }
                                });
        assertThrows(IllegalStateException.class, () -> killed.train(data, split, run));
        assertTrue(
                Checkpoint.read(run.resolve("checkpoint.bin")).optimizer().length > 0,
                "the checkpoint holds the Adam moments");
        GraphTrainer.Result resumed = run(tiny(4), run, new StringWriter());
        assertEquals(whole, resumed);
        assertEquals(
                Files.readAllLines(dir.resolve("whole").resolve("predictions.csv")),
                Files.readAllLines(run.resolve("predictions.csv")));
        // Epochs 3 and 4 themselves (the best parameters may come from an earlier epoch).
        assertEquals(
                withoutTimes(dir.resolve("whole").resolve("metrics.jsonl")),
                withoutTimes(run.resolve("metrics.jsonl")));
    }

    private static List<String> withoutTimes(Path metrics) throws IOException {
        return Files.readAllLines(metrics).stream()
                .map(l -> l.replaceAll(", \"seconds\": [0-9.]+", ""))
                .toList();
    }

    @Test
    void plainRegressionHeadWithMaeLoss() throws Exception {
        GraphTrainer.Result r =
                run(
                        tiny(1, "model.head=regression", "loss.type=mae"),
                        dir.resolve("mae"),
                        new StringWriter());
        assertTrue(Double.isNaN(r.test().meanAleatoric()));
        assertTrue(Double.isFinite(r.test().mae()));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "cgcnn",
                "schnet",
                "megnet",
                "deepergatgnn",
                "matformer",
                "icomformer",
                "ecomformer",
                "potnet",
                "crystalframer",
                "sodnet"
            })
    void otherArchitecturesTrainSaveAndLoad(String type) throws Exception {
        Path run = dir.resolve(type);
        TrainConfig cfg =
                ConfigLoader.load(
                        null,
                        small(
                                type,
                                "model.type=" + type,
                                "model.features=8",
                                "model.head=regression",
                                "loss.type=mae",
                                "train.batch_size=6",
                                "train.epochs=1",
                                "train.patience=50"),
                        TrainConfig.class);
        GraphTrainer.Result r = run(cfg, run, new StringWriter());
        assertTrue(Double.isFinite(r.test().mae()));
        try (GraphModel m = GraphModel.load(run)) {
            assertEquals(type, m.architecture().name());
            Predictions p =
                    m.predict(
                            m.samples(
                                    IntStream.of(split.test())
                                            .mapToObj(i -> data.get(i).structure())
                                            .toList()),
                            cfg.train().batchSize());
            // predictions.csv was written with the training batch size: the same batches give the
            // same float32 sums
            List<String> csv = Files.readAllLines(run.resolve("predictions.csv"));
            for (int k = 0; k < split.test().length; k++) {
                assertEquals(
                        Double.parseDouble(csv.get(k + 1).split(",")[2]),
                        p.prediction()[k],
                        0.0,
                        type + ": saved -> loaded predictions are identical, row " + k);
            }
        }
    }

    /**
     * The evidential head with the DER loss on the architectures added after ALIGNN, CGCNN and
     * SchNet: two epochs train to finite metrics with positive aleatoric and epistemic sigma, and
     * the saved model predicts the written means and uncertainties.
     */
    @ParameterizedTest
    @ValueSource(
            strings = {
                "megnet",
                "deepergatgnn",
                "matformer",
                "icomformer",
                "ecomformer",
                "potnet",
                "crystalframer",
                "sodnet"
            })
    void evidentialHeadTrainsOnTheArchitecturesAddedLater(String type) throws Exception {
        Path run = dir.resolve(type + "-der");
        TrainConfig cfg =
                ConfigLoader.load(
                        null,
                        small(
                                type,
                                "model.type=" + type,
                                "model.features=8",
                                "model.head=evidential",
                                "loss.type=der",
                                "train.batch_size=6",
                                "train.epochs=2",
                                "train.patience=50"),
                        TrainConfig.class);
        GraphTrainer.Result r = run(cfg, run, new StringWriter());
        assertEquals("epochs", r.stopped());
        assertTrue(Double.isFinite(r.test().mae()));
        assertTrue(r.test().meanAleatoric() > 0 && r.test().meanEpistemic() > 0);
        List<String> csv = Files.readAllLines(run.resolve("predictions.csv"));
        assertEquals("id,target,prediction,gamma,nu,alpha,beta,aleatoric,epistemic", csv.get(0));
        try (GraphModel m = GraphModel.load(run)) {
            Predictions p =
                    m.predict(
                            m.samples(
                                    IntStream.of(split.test())
                                            .mapToObj(i -> data.get(i).structure())
                                            .toList()),
                            cfg.train().batchSize());
            for (int k = 0; k < split.test().length; k++) {
                String[] f = csv.get(k + 1).split(",");
                assertEquals(Double.parseDouble(f[2]), p.prediction()[k], 0.0);
                assertEquals(Double.parseDouble(f[7]), p.aleatoric()[k], 0.0);
                assertEquals(Double.parseDouble(f[8]), p.epistemic()[k], 0.0);
            }
        }
    }

    /**
     * {@code overrides}, and for SODNet, whose defaults are the paper's (6 blocks of 128 + 64 + 32
     * channels on the 32-NN graph), two small blocks on the 8-NN graph with open residuals.
     */
    private static List<String> small(String type, String... overrides) {
        List<String> out = new ArrayList<>(List.of(overrides));
        if (type.equals("sodnet")) {
            out.addAll(
                    List.of(
                            "model.layers=2",
                            "model.scalars=8",
                            "model.vectors=4",
                            "model.tensors=4",
                            "model.heads=2",
                            "model.ffn_factor=1",
                            "model.edge_bins=16",
                            "model.radial_features=8",
                            "model.rezero_init=0.5",
                            "model.max_neighbors=8"));
        }
        return out;
    }

    /** Five seeds of evidential training never produce a non-finite loss. */
    @Test
    void derTrainingStaysFiniteOverFiveSeeds() throws Exception {
        for (int seed = 0; seed < 5; seed++) {
            GraphTrainer.Result r =
                    run(
                            tiny(2, "train.seed=" + seed),
                            dir.resolve("seed" + seed),
                            new StringWriter());
            assertEquals("epochs", r.stopped(), "seed " + seed);
            assertTrue(Double.isFinite(r.test().mae()));
        }
    }

    /** A diverging run stops with a clear message and keeps its last good parameters. */
    @Test
    void nonFiniteLossStopsAndKeepsTheBestParameters() throws Exception {
        StringWriter log = new StringWriter();
        GraphTrainer.Result r =
                run(
                        tiny(6, "train.learning_rate=1e12", "train.schedule=constant"),
                        dir.resolve("nan"),
                        log);
        assertTrue(r.stopped().startsWith("non-finite loss"), r.stopped());
        assertTrue(log.toString().contains("training stopped: non-finite loss"), log.toString());
        assertTrue(Double.isFinite(r.validation().mae()), "best parameters restored");
    }

    @Test
    void metricsOnKnownValues() {
        Metrics m =
                Metrics.of(
                        new double[] {1, 2, 3, 4},
                        new double[] {1, 2, 3, 6},
                        new double[] {1, 1, 1, 1},
                        new double[] {0, 0, 0, 3});
        assertEquals(0.5, m.mae(), 1e-12);
        assertEquals(1.0, m.rmse(), 1e-12);
        assertEquals(1 - 4.0 / 5.0, m.r2(), 1e-12);
        assertEquals(1.0, m.within1Sigma(), 1e-12); // |6 - 4| = 2 <= sqrt(1 + 3)
        assertEquals(1.0, m.meanAleatoric(), 1e-12);
        assertEquals(Math.sqrt(3) / 4, m.meanEpistemic(), 1e-12);
        assertArrayEquals(new double[] {1}, new double[] {1});
    }

    /**
     * A folder that holds a run with other settings is refused, naming the keys; the run is kept.
     */
    @Test
    void aRunWithOtherSettingsIsNotResumed() throws Exception {
        Path run = dir.resolve("changed");
        run(tiny(1), run, new StringWriter());
        byte[] params = Files.readAllBytes(run.resolve("checkpoint.bin"));
        InvalidInputException e =
                assertThrows(
                        InvalidInputException.class,
                        () -> run(tiny(2, "train.learning_rate=0.01"), run, new StringWriter()));
        assertTrue(e.getMessage().contains("train.epochs, train.learning_rate"), e.getMessage());
        assertArrayEquals(
                params, Files.readAllBytes(run.resolve("checkpoint.bin")), "nothing overwritten");
        Split other = Splits.trainValTest(data.size(), 0.3, 0.2, 0, 42);
        e =
                assertThrows(
                        InvalidInputException.class,
                        () ->
                                new GraphTrainer(tiny(1), new PrintWriter(new StringWriter()))
                                        .train(data, other, run));
        assertTrue(e.getMessage().contains("the split differs"), e.getMessage());
    }
}
