package org.fusionml.bench;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.fusionml.data.dataset.CrystalDataset;
import org.fusionml.data.dataset.DatasetLoader;
import org.fusionml.data.dataset.Splits;
import org.fusionml.data.graph.KnnGraphBuilder;
import org.fusionml.models.alignn.AlignnBlock;
import org.fusionml.models.alignn.AlignnConfig;
import org.fusionml.models.batch.GraphBatch;
import org.fusionml.models.batch.GraphBatchShapes;
import org.fusionml.models.batch.GraphSample;
import org.fusionml.models.head.Losses;
import org.fusionml.train.trainer.DecoupledAdamW;
import org.fusionml.train.trainer.FlatParameters;
import org.fusionml.train.trainer.Schedules;

/**
 * ALIGNN training and inference structures/s on jdft2d at batch 32, with the protocol of the
 * PyTorch reference ({@link PyTorchReference}, the shared folder's {@code
 * bench/alignn_pytorch_ref.py}): graphs built beforehand, batching (collation) timed, a warm-up
 * epoch, then the median of timed epochs; training with MSE and AdamW (lr 1e-3, weight decay 1e-5);
 * inference without gradients. When the reference is runnable here (an interpreter with torch and
 * pymatgen) it is measured in the same invocation and the ratio printed.
 */
public final class AlignnBenchmark {
    private AlignnBenchmark() {}

    /**
     * Measures each of {@code configs} ({@code SMALL}, {@code FULL}) and prints its {@code bench
     * alignn_train}, {@code bench alignn_infer} and {@code bench alignn_optimizer_step} lines.
     *
     * @param reference the PyTorch reference measured alongside; null: none
     */
    public static void run(
            List<String> configs,
            int epochs,
            Integer maxBatches,
            PyTorchReference reference,
            PrintWriter out)
            throws IOException, InterruptedException {
        CrystalDataset data = DatasetLoader.embeddedDefault();
        KnnGraphBuilder builder = KnnGraphBuilder.alignn();
        List<GraphSample> samples =
                data.entries().parallelStream()
                        .map(e -> GraphSample.of(e.structure(), builder))
                        .toList();
        float[] yz = standardised(data.targets());
        for (String name : configs) {
            AlignnConfig config =
                    name.equals("FULL")
                            ? AlignnConfig.defaults().withHead("regression")
                            : AlignnConfig.small().withHead("regression");
            TrainFigures train = trainRate(config, samples, yz, epochs, maxBatches);
            double infer = inferRate(config, samples, epochs);
            ReferenceRates ref =
                    reference == null
                            ? ReferenceRates.NONE
                            : referenceRates(reference, name, epochs, maxBatches, out);
            printFigures(out, name, train, infer, ref, maxBatches);
        }
    }

    /** {@code y} standardised (mean 0, population standard deviation 1), in float32. */
    static float[] standardised(double[] y) {
        double mean = Arrays.stream(y).average().orElse(0);
        double std =
                Math.sqrt(Arrays.stream(y).map(v -> (v - mean) * (v - mean)).average().orElse(1));
        float[] yz = new float[y.length];
        for (int i = 0; i < y.length; i++) {
            yz[i] = (float) ((y[i] - mean) / std);
        }
        return yz;
    }

    /**
     * The reference's structures/s, NaN where it gave none.
     *
     * @param train training, over a whole epoch
     * @param infer inference
     */
    private record ReferenceRates(double train, double infer) {
        static final ReferenceRates NONE = new ReferenceRates(Double.NaN, Double.NaN);
    }

    /**
     * Runs the reference's training and inference of the configuration {@code name} and prints a
     * line for each figure it did not give.
     */
    private static ReferenceRates referenceRates(
            PyTorchReference reference,
            String name,
            int epochs,
            Integer maxBatches,
            PrintWriter out)
            throws IOException, InterruptedException {
        List<String> trainArgs =
                new ArrayList<>(
                        List.of(
                                "train",
                                "--config",
                                name,
                                "--batch",
                                "32",
                                "--epochs",
                                String.valueOf(epochs)));
        if (maxBatches != null) {
            trainArgs.addAll(List.of("--max-batches", String.valueOf(maxBatches)));
        }
        PyTorchReference.PythonRun trainRun = reference.run(reference.script(), trainArgs);
        PyTorchReference.PythonRun inferRun =
                reference.run(
                        reference.script(),
                        List.of(
                                "infer",
                                "--config",
                                name,
                                "--batch",
                                "32",
                                "--epochs",
                                String.valueOf(epochs)));
        reportFailure(out, name, "train", trainRun);
        reportFailure(out, name, "infer", inferRun);
        return new ReferenceRates(
                rate(trainRun, "train_structures_per_s"), rate(inferRun, "infer_structures_per_s"));
    }

    /** The figure {@code field} of a reference run; NaN when the run or the figure is missing. */
    private static double rate(PyTorchReference.PythonRun run, String field) {
        JsonNode result = run.result();
        return result == null ? Double.NaN : result.path(field).asDouble(Double.NaN);
    }

    /**
     * The configuration's {@code bench alignn_train}, {@code bench alignn_infer} and {@code bench
     * alignn_optimizer_step} lines.
     */
    private static void printFigures(
            PrintWriter out,
            String name,
            TrainFigures train,
            double infer,
            ReferenceRates ref,
            Integer maxBatches) {
        print(out, "train", name, train.structuresPerSecond(), ref.train(), maxBatches);
        print(out, "infer", name, infer, ref.infer(), null);
        // (no reference figure: the PyTorch script times whole steps only)
        out.printf(
                Locale.ROOT,
                "bench alignn_optimizer_step config=%s parameters=%d ms_per_step=%.2f%n",
                name,
                train.parameters(),
                train.optimizerMs());
        out.flush();
    }

    /** A line saying why the reference's {@code what} figure is missing, if it is. */
    private static void reportFailure(
            PrintWriter out, String config, String what, PyTorchReference.PythonRun run) {
        if (run.result() == null) {
            out.printf(
                    Locale.ROOT,
                    "bench alignn_reference config=%s figure=%s status=unavailable reason=\"%s\"%n",
                    config,
                    what,
                    run.failure());
        }
    }

    private static void print(
            PrintWriter out,
            String what,
            String config,
            double mine,
            double ref,
            Integer maxBatches) {
        out.printf(
                Locale.ROOT,
                "bench alignn_%s config=%s batch=32 dataset=jdft2d%s structures_per_s=%.2f"
                        + " pytorch_ref_structures_per_s=%s ratio=%s%n",
                what,
                config,
                maxBatches == null ? "" : " max_batches=" + maxBatches,
                mine,
                Double.isNaN(ref) ? "na" : String.format(Locale.ROOT, "%.2f", ref),
                Double.isNaN(ref) ? "na" : String.format(Locale.ROOT, "%.3f", mine / ref));
        out.flush();
    }

    /**
     * Training figures.
     *
     * @param structuresPerSecond structures per second over a whole epoch (median over epochs)
     * @param optimizerMs milliseconds of one optimiser update (gradient vector, check, AdamW),
     *     median over epochs of the per-epoch mean
     * @param parameters number of trained parameter arrays
     */
    record TrainFigures(double structuresPerSecond, double optimizerMs, int parameters) {}

    static TrainFigures trainRate(
            AlignnConfig config,
            List<GraphSample> samples,
            float[] yz,
            int epochs,
            Integer maxBatches) {
        Engine.getInstance().setRandomSeed(0);
        try (Model model = Model.newInstance("bench")) {
            model.setBlock(new AlignnBlock(config));
            try (Trainer trainer = model.newTrainer(new DefaultTrainingConfig(Loss.l2Loss()))) {
                trainer.initialize(GraphBatchShapes.shapes());
                DecoupledAdamW adamw =
                        DecoupledAdamW.builder()
                                .setParameters(new FlatParameters(model.getBlock().getParameters()))
                                .optLearningRateTracker(Schedules.constant(1e-3f))
                                .optWeightDecay(1e-5f)
                                .build();
                SplittableRandom rng = new SplittableRandom(42);
                long[] updateNanos = new long[1];
                epoch(trainer, adamw, samples, yz, rng, maxBatches, updateNanos); // warm-up
                double[] seconds = new double[epochs];
                double[] updateMs = new double[epochs];
                int structures = 0;
                for (int e = 0; e < epochs; e++) {
                    updateNanos[0] = 0;
                    long t0 = System.nanoTime();
                    structures = epoch(trainer, adamw, samples, yz, rng, maxBatches, updateNanos);
                    seconds[e] = (System.nanoTime() - t0) * 1e-9;
                    updateMs[e] = updateNanos[0] * 1e-6 / ((structures + 31) / 32);
                }
                return new TrainFigures(
                        structures / median(seconds), median(updateMs), adamw.parameters().count());
            }
        }
    }

    /**
     * One epoch (or its first {@code maxBatches} batches); adds the time spent in the optimiser to
     * {@code updateNanos[0]}.
     */
    private static int epoch(
            Trainer trainer,
            DecoupledAdamW adamw,
            List<GraphSample> samples,
            float[] yz,
            SplittableRandom rng,
            Integer maxBatches,
            long[] updateNanos) {
        int n = samples.size();
        int[] order = Splits.permutation(n, rng.nextLong());
        int done = 0;
        int batches = 0;
        for (int start = 0;
                start < n && (maxBatches == null || batches < maxBatches);
                start += 32, batches++) {
            int[] idx = Arrays.copyOfRange(order, start, Math.min(n, start + 32));
            List<GraphSample> batch = new ArrayList<>();
            float[] y = new float[idx.length];
            for (int k = 0; k < idx.length; k++) {
                batch.add(samples.get(idx[k]));
                y[k] = yz[idx[k]];
            }
            try (NDManager m = trainer.getManager().newSubManager()) {
                GraphBatch b = GraphBatch.of(m, batch);
                try (GradientCollector gc = trainer.newGradientCollector()) {
                    NDArray pred = trainer.forward(b.toNDList()).singletonOrThrow().reshape(-1);
                    gc.backward(Losses.mse(pred, m.create(y)));
                }
                long t0 = System.nanoTime();
                adamw.update(m, 0); // the trainer's step: gradient vector, finiteness check, AdamW
                updateNanos[0] += System.nanoTime() - t0;
            }
            done += idx.length;
        }
        return done;
    }

    static double inferRate(AlignnConfig config, List<GraphSample> samples, int epochs) {
        Engine.getInstance().setRandomSeed(0);
        try (Model model = Model.newInstance("bench")) {
            AlignnBlock block = new AlignnBlock(config);
            model.setBlock(block);
            block.initialize(model.getNDManager(), DataType.FLOAT32, GraphBatchShapes.shapes());
            double[] seconds = new double[epochs];
            for (int rep = 0; rep <= epochs; rep++) {
                long t0 = System.nanoTime();
                for (int start = 0; start < samples.size(); start += 32) {
                    try (NDManager m = model.getNDManager().newSubManager()) {
                        GraphBatch b =
                                GraphBatch.of(
                                        m,
                                        samples.subList(
                                                start, Math.min(samples.size(), start + 32)));
                        block.forward(new ParameterStore(m, false), b.toNDList(), false)
                                .singletonOrThrow()
                                .toFloatArray();
                    }
                }
                if (rep > 0) {
                    seconds[rep - 1] = (System.nanoTime() - t0) * 1e-9;
                }
            }
            return samples.size() / median(seconds);
        }
    }

    private static double median(double[] a) {
        double[] c = a.clone();
        Arrays.sort(c);
        return c.length % 2 == 1 ? c[c.length / 2] : (c[c.length / 2 - 1] + c[c.length / 2]) / 2;
    }
}
