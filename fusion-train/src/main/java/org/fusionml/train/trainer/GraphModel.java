package org.fusionml.train.trainer;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.fusionml.data.InvalidInputException;
import org.fusionml.data.io.AtomicFiles;
import org.fusionml.data.structure.Structure;
import org.fusionml.models.ArchitectureConfig;
import org.fusionml.models.batch.GraphBatch;
import org.fusionml.models.batch.GraphBatchShapes;
import org.fusionml.models.batch.GraphSample;
import org.fusionml.models.head.EvidentialOutput;

/**
 * A graph model with what it needs to featurise new structures: architecture, graph settings and
 * target standardisation. Saved as {@code model.json} (format version, the model section in the
 * configuration's spelling, target mean and standard deviation, provenance, and the training
 * domain: {@link TrainingDomain}, absent from models saved without one) plus {@code model.params}.
 */
public final class GraphModel implements AutoCloseable {
    /** Version of the saved layout; loading any other version fails. */
    public static final int FORMAT_VERSION = 2;

    private final ArchitectureConfig config;
    private final boolean evidential;
    private final Standardization standardization;
    private final ObjectNode provenance;
    private final TrainingDomain domain;
    private final Model model;

    GraphModel(
            ArchitectureConfig config,
            Standardization standardization,
            ObjectNode provenance,
            TrainingDomain domain,
            Device device) {
        this.config = config;
        this.evidential = config.head().equals("evidential");
        this.standardization = standardization;
        this.provenance = provenance;
        this.domain = domain;
        this.model = Model.newInstance(config.name(), device);
        model.setBlock(config.newBlock());
    }

    public Model djlModel() {
        return model;
    }

    public Block block() {
        return model.getBlock();
    }

    public ArchitectureConfig architecture() {
        return config;
    }

    public boolean evidential() {
        return evidential;
    }

    /** The target standardisation the model was trained with. */
    public Standardization standardization() {
        return standardization;
    }

    /** Initialises fresh parameters (call after seeding the engine). */
    void initialize() {
        block().initialize(model.getNDManager(), DataType.FLOAT32, GraphBatchShapes.shapes());
    }

    /** Graphs of {@code structures}. */
    public List<GraphSample> samples(List<Structure> structures) {
        return structures.parallelStream().map(s -> GraphSample.of(s, config)).toList();
    }

    /** Predictions in physical units, evaluated in inference mode. */
    public Predictions predict(List<GraphSample> samples, int batchSize) {
        int n = samples.size();
        double[] pred = new double[n];
        double[] nu = evidential ? new double[n] : null;
        double[] alpha = evidential ? new double[n] : null;
        double[] beta = evidential ? new double[n] : null;
        double[] ale = evidential ? new double[n] : null;
        double[] epi = evidential ? new double[n] : null;
        double[] betaStd = evidential ? new double[n] : null;
        for (int start = 0; start < n; start += batchSize) {
            int end = Math.min(n, start + batchSize);
            try (NDManager m = model.getNDManager().newSubManager()) {
                GraphBatch b = GraphBatch.of(m, samples.subList(start, end));
                NDArray raw =
                        block().forward(new ParameterStore(m, false), b.toNDList(), false)
                                .singletonOrThrow();
                fill(raw, start, pred, nu, alpha, beta, ale, epi, betaStd);
            }
        }
        return new Predictions(pred, nu, alpha, beta, ale, epi, betaStd);
    }

    /** Converts a raw output batch [B, k] into physical units at rows start..start+B. */
    void fill(
            NDArray raw,
            int start,
            double[] pred,
            double[] nu,
            double[] alpha,
            double[] beta,
            double[] ale,
            double[] epi,
            double[] betaStd) {
        double targetStd = standardization.std();
        double targetMean = standardization.mean();
        double var = targetStd * targetStd;
        if (evidential) {
            EvidentialOutput o = EvidentialOutput.fromRaw(raw);
            float[] g = o.gamma().toFloatArray();
            float[] n = o.nu().toFloatArray();
            float[] a = o.alpha().toFloatArray();
            float[] bt = o.beta().toFloatArray();
            for (int i = 0; i < g.length; i++) {
                pred[start + i] = g[i] * targetStd + targetMean;
                nu[start + i] = n[i];
                alpha[start + i] = a[i];
                beta[start + i] = bt[i] * var;
                betaStd[start + i] = bt[i];
                ale[start + i] = bt[i] / (a[i] - 1) * var;
                epi[start + i] = bt[i] / (n[i] * (a[i] - 1)) * var;
            }
        } else {
            float[] p = raw.reshape(-1).toFloatArray();
            for (int i = 0; i < p.length; i++) {
                pred[start + i] = p[i] * targetStd + targetMean;
            }
        }
    }

    /** Writes model.json and model.params into {@code dir} (atomically). */
    public void save(Path dir) throws IOException {
        Files.createDirectories(dir);
        saveParameters(dir.resolve("model.params"));
        ObjectMapper json = new ObjectMapper();
        ObjectNode root = json.createObjectNode();
        root.put("format_version", FORMAT_VERSION);
        root.set("model", RunDirectory.YAML.valueToTree(config));
        root.put("target_mean", standardization.mean());
        root.put("target_std", standardization.std());
        root.set("provenance", provenance);
        if (domain != null) {
            root.set("domain", json.valueToTree(domain));
        }
        AtomicFiles.writeString(
                dir.resolve("model.json"),
                json.writerWithDefaultPrettyPrinter().writeValueAsString(root));
    }

    /** Loads parameters saved by {@link #saveParameters} / {@link #save}. */
    void loadParameters(Path file) throws IOException {
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file))) {
            block().loadParameters(model.getNDManager(), new DataInputStream(in));
        } catch (MalformedModelException e) {
            throw new IOException("cannot read parameters " + file + ": " + e.getMessage(), e);
        }
    }

    void saveParameters(Path file) throws IOException {
        AtomicFiles.write(
                file,
                out -> {
                    DataOutputStream d = new DataOutputStream(new BufferedOutputStream(out));
                    block().saveParameters(d);
                    d.flush();
                });
    }

    /**
     * Loads a saved model.
     *
     * @throws InvalidInputException if model.json is missing, of another format version or broken
     */
    public static GraphModel load(Path dir) throws IOException {
        Path file = dir.resolve("model.json");
        if (!Files.exists(file)) {
            throw new InvalidInputException(
                    dir.toString(), null, "no model.json: not a saved model");
        }
        JsonNode root = new ObjectMapper().readTree(file.toFile());
        int version = root.path("format_version").asInt(-1);
        if (version == 1) {
            root = formatOneToTwo((ObjectNode) root);
        } else if (version != FORMAT_VERSION) {
            throw new InvalidInputException(
                    file.toString(),
                    null,
                    "model format version "
                            + version
                            + " is not supported (expected "
                            + FORMAT_VERSION
                            + ")");
        }
        ArchitectureConfig config;
        try {
            config = RunDirectory.YAML.treeToValue(root.get("model"), ArchitectureConfig.class);
        } catch (IOException | IllegalArgumentException e) {
            throw new InvalidInputException(
                    file.toString(), null, "bad model section: " + e.getMessage().split("\n")[0]);
        }
        Standardization z =
                new Standardization(
                        root.get("target_mean").asDouble(), root.get("target_std").asDouble());
        TrainingDomain domain = null;
        if (root.hasNonNull("domain")) {
            try {
                domain = new ObjectMapper().treeToValue(root.get("domain"), TrainingDomain.class);
            } catch (IOException | IllegalArgumentException e) {
                throw new InvalidInputException(
                        file.toString(),
                        null,
                        "bad domain section: " + e.getMessage().split("\n")[0]);
            }
        }
        GraphModel m =
                new GraphModel(
                        config,
                        z,
                        (ObjectNode) root.get("provenance"),
                        domain,
                        Devices.resolve("auto"));
        m.initialize();
        m.loadParameters(dir.resolve("model.params"));
        return m;
    }

    /**
     * Reads a format-1 model.json as format 2: its {@code config} section (the architecture's
     * record components in camelCase, the output width) with {@code architecture}, {@code head} and
     * {@code max_neighbors} at the top becomes the {@code model} section of format 2 (one
     * snake_case spelling, chosen by {@code type}).
     */
    static ObjectNode formatOneToTwo(ObjectNode root) {
        ObjectNode model = root.objectNode();
        model.put("type", root.path("architecture").asText());
        root.path("config")
                .fields()
                .forEachRemaining(
                        e -> {
                            if (!e.getKey().equals("outputs")) {
                                model.set(
                                        e.getKey()
                                                .replaceAll("([A-Z])", "_$1")
                                                .toLowerCase(Locale.ROOT),
                                        e.getValue());
                            }
                        });
        model.set("head", root.path("head"));
        if (root.has("max_neighbors") && !model.path("type").asText().equals("schnet")) {
            model.set("max_neighbors", root.get("max_neighbors"));
        }
        ObjectNode two = root.deepCopy();
        two.remove(List.of("config", "architecture", "head", "max_neighbors"));
        two.put("format_version", FORMAT_VERSION);
        two.set("model", model);
        return two;
    }

    public ObjectNode provenance() {
        return provenance;
    }

    /** The training domain, or null for a model saved without one. */
    public TrainingDomain domain() {
        return domain;
    }

    @Override
    public void close() {
        model.close();
    }

    /** Rows of a list, by index. */
    static <T> List<T> pick(List<T> all, int[] idx) {
        List<T> out = new ArrayList<>(idx.length);
        for (int i : idx) {
            out.add(all.get(i));
        }
        return out;
    }
}
