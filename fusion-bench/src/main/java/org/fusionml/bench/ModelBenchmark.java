package org.fusionml.bench;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Block;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.fusionml.data.InvalidInputException;
import org.fusionml.data.Ranges;
import org.fusionml.data.dataset.CrystalDataset;
import org.fusionml.data.dataset.Splits;
import org.fusionml.models.ArchitectureConfig;
import org.fusionml.models.batch.GraphBatch;
import org.fusionml.models.batch.GraphBatchShapes;
import org.fusionml.models.batch.GraphSample;
import org.fusionml.models.head.Losses;
import org.fusionml.train.config.ConfigLoader;
import org.fusionml.train.trainer.DecoupledAdamW;
import org.fusionml.train.trainer.FlatParameters;
import org.fusionml.train.trainer.Schedules;
import org.fusionml.train.trainer.TrainConfig;

/**
 * Training and inference structures/s of any architecture of the registry ({@link
 * org.fusionml.models.Architectures}) on jdft2d's embedded structures ({@code fusion bench
 * models}), next to a plain PyTorch implementation of the same model where there is one ({@link
 * GraphModelReference}: CGCNN, SchNet, and ALIGNN from the shared folder).
 *
 * <p>Protocol, the same on both sides: the graphs are built beforehand; the batches are drawn from
 * seeded permutations of the dataset, each exactly {@code batchSize} structures (a permutation's
 * incomplete tail is skipped); the first {@code warmupBatches} batches are untimed, the next {@code
 * timedBatches} timed, each from collation to the end of its step. A training step is forward, MSE
 * on the standardised targets, backward and an AdamW update (lr 1e-3, weight decay 1e-5 on every
 * parameter); inference is collation and a forward pass without gradients. Every model has the
 * plain regression head (one output), whatever head its configuration file names. The reference
 * reads the framework's graphs and batches from files and runs on the framework's thread count.
 */
public final class ModelBenchmark {
    private ModelBenchmark() {}

    /** The seed of the batch order. */
    static final long BATCH_SEED = 42;

    /**
     * How much to time.
     *
     * @param batchSize structures per batch (>= 1, at most the dataset's size)
     * @param warmupBatches untimed batches first (>= 0)
     * @param timedBatches timed batches (>= 1)
     */
    public record Settings(int batchSize, int warmupBatches, int timedBatches) {
        public Settings {
            Ranges.atLeast("batch size", batchSize, 1);
            Ranges.atLeast("warm-up batches", warmupBatches, 0);
            Ranges.atLeast("timed batches", timedBatches, 1);
        }
    }

    /**
     * A model to measure.
     *
     * @param config its configuration (the head is replaced by plain regression)
     * @param source where the configuration came from: a file, or {@code defaults}
     */
    public record Subject(ArchitectureConfig config, String source) {}

    /**
     * The configuration of {@code type} for jdft2d in {@code configDir}: {@code
     * jdft2d-<type>.yaml}, else {@code jdft2d-<type>-small.yaml}, else the architecture's defaults
     * (the source then says {@code defaults}).
     *
     * @throws org.fusionml.data.InvalidInputException when the file is not a valid configuration
     */
    public static Subject subject(String type, Path configDir) {
        for (String name : List.of("jdft2d-" + type + ".yaml", "jdft2d-" + type + "-small.yaml")) {
            Path file = configDir.resolve(name);
            if (Files.isRegularFile(file)) {
                ArchitectureConfig config =
                        ConfigLoader.load(file, List.of(), TrainConfig.class).model();
                if (!config.name().equals(type)) {
                    throw new InvalidInputException(
                            file.toString(),
                            "model.type",
                            "configures " + config.name() + ", not " + type);
                }
                return new Subject(config, file.toString());
            }
        }
        try {
            return new Subject(
                    ConfigLoader.YAML.readValue("type: " + type, ArchitectureConfig.class),
                    "defaults");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Measures every subject and prints its {@code bench model_train} and {@code bench model_infer}
     * lines (after a {@code bench model_reference ... status=unavailable} line when the reference
     * could not give its figures).
     *
     * @param data the structures (the command passes jdft2d's embedded ones)
     * @param reference the interpreter and {@code bench/graph_models_pytorch_ref.py}; null: none
     * @param alignnReference the shared folder's {@code alignn_pytorch_ref.py}, which that script
     *     imports for ALIGNN
     */
    public static void run(
            CrystalDataset data,
            List<Subject> subjects,
            Settings settings,
            PyTorchReference reference,
            Path alignnReference,
            PrintWriter out)
            throws IOException, InterruptedException {
        int n = data.size();
        if (settings.batchSize() > n) {
            throw new IllegalArgumentException(
                    "batch size (" + settings.batchSize() + ") must be at most " + n);
        }
        float[] yz = AlignnBenchmark.standardised(data.targets());
        int[][] batches =
                batchPlan(
                        n,
                        settings.batchSize(),
                        settings.warmupBatches() + settings.timedBatches(),
                        BATCH_SEED);
        int threads = threads();
        String waitPolicy = waitPolicy();
        for (Subject s : subjects) {
            ArchitectureConfig config = s.config().withHead("regression");
            List<GraphSample> samples =
                    data.entries().parallelStream()
                            .map(e -> GraphSample.of(e.structure(), config))
                            .toList();
            Rates fusion = fusionRates(config, samples, yz, batches, settings.warmupBatches());
            Rates ref = Rates.NONE;
            if (reference != null && GraphModelReference.TYPES.contains(config.name())) {
                ref =
                        referenceRates(
                                reference,
                                alignnReference,
                                config,
                                samples,
                                yz,
                                batches,
                                settings,
                                threads,
                                out);
                if (!Double.isNaN(ref.train()) && ref.parameters() != fusion.parameters()) {
                    out.println(
                            unavailable(
                                    config.name(),
                                    "the reference has "
                                            + ref.parameters()
                                            + " parameters, the framework "
                                            + fusion.parameters()));
                    ref = Rates.NONE;
                }
            }
            for (String what : List.of("train", "infer")) {
                out.println(
                        line(
                                what,
                                s,
                                data.provenance().task(),
                                samples,
                                settings,
                                threads,
                                waitPolicy,
                                fusion.parameters(),
                                what.equals("train") ? fusion.train() : fusion.infer(),
                                what.equals("train") ? ref.train() : ref.infer(),
                                ref.blas()));
            }
            out.flush();
        }
    }

    /**
     * Structures per second and trained parameters (scalars) of one implementation.
     *
     * @param train training, NaN when not measured
     * @param infer inference, NaN when not measured
     * @param parameters number of trained scalars
     * @param blas the reference's BLAS library ({@code openblas}, {@code netlib}: the slow
     *     reference BLAS, ...); {@link BenchLine#NA} for the framework's
     */
    record Rates(double train, double infer, long parameters, String blas) {
        static final Rates NONE = new Rates(Double.NaN, Double.NaN, -1, BenchLine.NA);
    }

    /**
     * The line of {@code what} ({@code train} or {@code infer}): the framework's figure {@code
     * mine}, the reference's {@code ref} (NaN: none), their ratio and the reference's BLAS.
     */
    static BenchLine line(
            String what,
            Subject s,
            String dataset,
            List<GraphSample> samples,
            Settings settings,
            int threads,
            String waitPolicy,
            long parameters,
            double mine,
            double ref,
            String refBlas) {
        Map<String, String> f = new LinkedHashMap<>();
        ArchitectureConfig c = s.config();
        f.put("type", c.name());
        f.put("config", s.source());
        f.put("dataset", dataset);
        f.put(
                "graph",
                (c.knnGraph() ? "knn" + c.maxNeighbors() : "radius")
                        + "_cutoff"
                        + BenchLine.figure(c.cutoff(), 1)
                        + (c.lineGraph() ? "+line" : ""));
        f.put("mean_edges", BenchLine.figure(meanEdges(samples), 1));
        f.put("batch", Integer.toString(settings.batchSize()));
        f.put("warmup_batches", Integer.toString(settings.warmupBatches()));
        f.put("batches", Integer.toString(settings.timedBatches()));
        f.put("threads", Integer.toString(threads));
        f.put("omp_wait_policy", waitPolicy);
        f.put("parameters", Long.toString(parameters));
        f.put("structures_per_s", BenchLine.figure(mine, 2));
        f.put("pytorch_ref_structures_per_s", BenchLine.figure(ref, 2));
        f.put("ratio", BenchLine.figure(mine / ref, 3));
        f.put("pytorch_ref_blas", refBlas);
        return new BenchLine("model_" + what, f);
    }

    /** The line saying why the reference of {@code type} gave no figures. */
    static BenchLine unavailable(String type, String reason) {
        Map<String, String> f = new LinkedHashMap<>();
        f.put("type", type);
        f.put("status", "unavailable");
        f.put("reason", reason.replace('\n', ' '));
        return new BenchLine("model_reference", f);
    }

    private static double meanEdges(List<GraphSample> samples) {
        return samples.stream().mapToInt(GraphSample::numEdges).average().orElse(0);
    }

    /**
     * This process's {@code OMP_WAIT_POLICY} ({@code default} when unset), which OpenMP reads at
     * start. The reference always runs with {@code PASSIVE}; libtorch's threads spinning while they
     * wait (the default) slow the framework down badly on a machine with other load.
     */
    static String waitPolicy() {
        String v = System.getenv("OMP_WAIT_POLICY");
        return v == null || v.isBlank() ? "default" : v.strip();
    }

    /** The intra-op thread count of the engine (libtorch's, which the reference copies). */
    static int threads() {
        Engine.getInstance();
        return JniUtils.getNumThreads();
    }

    /**
     * {@code count} batches of {@code batchSize} structures out of {@code n}: consecutive slices of
     * seeded permutations, a new permutation when the current one has fewer than {@code batchSize}
     * left.
     */
    static int[][] batchPlan(int n, int batchSize, int count, long seed) {
        if (batchSize > n) {
            throw new IllegalArgumentException(
                    "batch size (" + batchSize + ") must be at most " + n);
        }
        SplittableRandom rng = new SplittableRandom(seed);
        int[][] plan = new int[count][];
        int[] order = new int[0];
        int pos = 0;
        for (int b = 0; b < count; b++) {
            if (pos + batchSize > order.length) {
                order = Splits.permutation(n, rng.nextLong());
                pos = 0;
            }
            plan[b] = Arrays.copyOfRange(order, pos, pos + batchSize);
            pos += batchSize;
        }
        return plan;
    }

    /** The framework's training and inference rates over {@code batches}. */
    static Rates fusionRates(
            ArchitectureConfig config,
            List<GraphSample> samples,
            float[] yz,
            int[][] batches,
            int warmup) {
        Engine.getInstance().setRandomSeed(0);
        double train;
        long parameters;
        try (Model model = Model.newInstance("bench")) {
            model.setBlock(config.newBlock());
            try (Trainer trainer = model.newTrainer(new DefaultTrainingConfig(Loss.l2Loss()))) {
                trainer.initialize(GraphBatchShapes.shapes());
                DecoupledAdamW adamw =
                        DecoupledAdamW.builder()
                                .setParameters(new FlatParameters(model.getBlock().getParameters()))
                                .optLearningRateTracker(
                                        Schedules.constant(
                                                (float) GraphModelReference.LEARNING_RATE))
                                .optWeightDecay((float) GraphModelReference.WEIGHT_DECAY)
                                .build();
                parameters = adamw.parameters().size();
                long nanos = 0;
                int timed = 0;
                for (int i = 0; i < batches.length; i++) {
                    long t0 = System.nanoTime();
                    try (NDManager m = trainer.getManager().newSubManager()) {
                        GraphBatch b = GraphBatch.of(m, select(samples, batches[i]));
                        try (GradientCollector gc = trainer.newGradientCollector()) {
                            NDArray pred =
                                    trainer.forward(b.toNDList()).singletonOrThrow().reshape(-1);
                            gc.backward(Losses.mse(pred, m.create(select(yz, batches[i]))));
                        }
                        adamw.update(m, 0);
                    }
                    if (i >= warmup) {
                        nanos += System.nanoTime() - t0;
                        timed += batches[i].length;
                    }
                }
                train = timed / (nanos * 1e-9);
            }
        }
        return new Rates(
                train, inferRate(config, samples, batches, warmup), parameters, BenchLine.NA);
    }

    /** Inference structures/s of a freshly initialised block over the timed batches. */
    private static double inferRate(
            ArchitectureConfig config, List<GraphSample> samples, int[][] batches, int warmup) {
        Engine.getInstance().setRandomSeed(0);
        try (Model model = Model.newInstance("bench")) {
            Block block = config.newBlock();
            model.setBlock(block);
            block.initialize(model.getNDManager(), DataType.FLOAT32, GraphBatchShapes.shapes());
            long nanos = 0;
            int timed = 0;
            for (int i = 0; i < batches.length; i++) {
                long t0 = System.nanoTime();
                try (NDManager m = model.getNDManager().newSubManager()) {
                    GraphBatch b = GraphBatch.of(m, select(samples, batches[i]));
                    block.forward(new ParameterStore(m, false), b.toNDList(), false)
                            .singletonOrThrow()
                            .toFloatArray();
                }
                if (i >= warmup) {
                    nanos += System.nanoTime() - t0;
                    timed += batches[i].length;
                }
            }
            return timed / (nanos * 1e-9);
        }
    }

    /**
     * The reference's rates on the same graphs and batches, or {@link Rates#NONE} after a line
     * saying why it has none.
     */
    private static Rates referenceRates(
            PyTorchReference reference,
            Path alignnReference,
            ArchitectureConfig config,
            List<GraphSample> samples,
            float[] yz,
            int[][] batches,
            Settings settings,
            int threads,
            PrintWriter out)
            throws IOException, InterruptedException {
        List<String> args = new ArrayList<>(List.of("speed", "--data"));
        if (config.name().equals("alignn")) {
            if (config.cutoff() != GraphModelReference.ALIGNN_REFERENCE_CUTOFF) {
                out.println(
                        unavailable(
                                config.name(),
                                "the reference's radial basis ends at "
                                        + GraphModelReference.ALIGNN_REFERENCE_CUTOFF
                                        + " Angstrom, the configuration's cutoff is "
                                        + config.cutoff()));
                return Rates.NONE;
            }
            if (!Files.isRegularFile(alignnReference)) {
                out.println(unavailable(config.name(), "missing " + alignnReference));
                return Rates.NONE;
            }
        }
        Path dir = Files.createTempDirectory("fusion-bench-models-");
        args.add(dir.toAbsolutePath().toString());
        if (config.name().equals("alignn")) {
            args.addAll(List.of("--alignn-ref", alignnReference.toAbsolutePath().toString()));
        }
        try {
            GraphModelReference.writeData(
                    dir, config, samples, yz, batches, settings.warmupBatches(), threads);
            PyTorchReference.PythonRun run = reference.runAlone(reference.script(), args);
            JsonNode r = run.result();
            if (r == null) {
                out.println(unavailable(config.name(), run.failure()));
                return Rates.NONE;
            }
            int refThreads = r.path("threads").asInt(-1);
            if (refThreads != threads) {
                out.println(
                        unavailable(
                                config.name(),
                                "the reference ran on "
                                        + refThreads
                                        + " threads, the framework on "
                                        + threads));
                return Rates.NONE;
            }
            return new Rates(
                    r.path("train_structures_per_s").asDouble(Double.NaN),
                    r.path("infer_structures_per_s").asDouble(Double.NaN),
                    r.path("parameters").asLong(-1),
                    r.path("blas").asText(BenchLine.NA));
        } finally {
            deleteTree(dir);
        }
    }

    private static List<GraphSample> select(List<GraphSample> samples, int[] idx) {
        List<GraphSample> out = new ArrayList<>(idx.length);
        for (int i : idx) {
            out.add(samples.get(i));
        }
        return out;
    }

    private static float[] select(float[] values, int[] idx) {
        float[] out = new float[idx.length];
        for (int k = 0; k < idx.length; k++) {
            out[k] = values[idx[k]];
        }
        return out;
    }

    static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
