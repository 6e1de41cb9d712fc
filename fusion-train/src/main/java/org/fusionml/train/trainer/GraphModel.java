package org.fusionml.train.trainer;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
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
import org.fusionml.data.dataset.CrystalDataset;
import org.fusionml.data.io.AtomicFiles;
import org.fusionml.data.io.Sources;
import org.fusionml.data.structure.Structure;
import org.fusionml.models.ArchitectureConfig;
import org.fusionml.models.batch.GraphBatch;
import org.fusionml.models.batch.GraphBatchShapes;
import org.fusionml.models.batch.GraphSample;
import org.fusionml.models.head.EvidentialOutput;

/**
 * A graph model with what it needs to featurise new structures: architecture, graph settings and
 * target standardisation. Saved as {@code model.json} (format version, the model section in the
 * configuration's spelling, target mean and standard deviation, the parameters' SHA-256,
 * provenance, and the training domain: {@link TrainingDomain}, absent from models saved without
 * one) plus {@code model.params}.
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

    /**
     * Graphs of {@code data}'s structures, in order; a structure whose graph cannot be built (a
     * neighbour search that cannot fit the heap) is a user error naming the dataset and the entry.
     *
     * @throws InvalidInputException naming {@code data}'s source and the entry's id
     */
    public List<GraphSample> samples(CrystalDataset data) {
        return data.entries().parallelStream()
                .map(
                        e -> {
                            try {
                                return GraphSample.of(e.structure(), config);
                            } catch (IllegalArgumentException x) {
                                throw InvalidInputException.at(
                                        data.provenance().source(), e.id(), x);
                            }
                        })
                .toList();
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
            try (EngineGate.Section work = EngineGate.jvm().enter();
                    NDManager m = model.getNDManager().newSubManager()) {
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

    /**
     * Writes model.params, then model.json with the parameters' SHA-256, into {@code dir} (each
     * atomically). A kill between the two leaves a pair that {@link #load} refuses.
     */
    public void save(Path dir) throws IOException {
        AtomicFiles.createDirectories(dir);
        byte[] parameters = parameterBytes();
        AtomicFiles.write(dir.resolve("model.params"), out -> out.write(parameters));
        ObjectMapper json = new ObjectMapper();
        ObjectNode root = json.createObjectNode();
        root.put("format_version", FORMAT_VERSION);
        root.set("model", RunDirectory.YAML.valueToTree(config));
        root.put("target_mean", standardization.mean());
        root.put("target_std", standardization.std());
        root.put("parameters_sha256", Sources.sha256(parameters));
        root.set("provenance", provenance);
        if (domain != null) {
            root.set("domain", json.valueToTree(domain));
        }
        AtomicFiles.writeString(
                dir.resolve("model.json"),
                json.writerWithDefaultPrettyPrinter().writeValueAsString(root));
    }

    /** The block's parameters in DJL's layout (what model.params and checkpoints hold). */
    byte[] parameterBytes() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream d = new DataOutputStream(bytes);
        block().saveParameters(d);
        d.flush();
        return bytes.toByteArray();
    }

    /**
     * Loads parameters saved by {@link #save} or {@link #parameterBytes} from {@code file}.
     *
     * @throws InvalidInputException naming {@code file} when they do not fit this model
     */
    void loadParameters(Path file) throws IOException {
        loadParameters(Files.readAllBytes(file), file);
    }

    /**
     * Loads parameters saved by {@link #parameterBytes}, read from {@code source}.
     *
     * @throws InvalidInputException naming {@code source} when they do not fit this model
     */
    void loadParameters(byte[] parameters, Path source) {
        try (InputStream in = new ByteArrayInputStream(parameters)) {
            block().loadParameters(model.getNDManager(), new DataInputStream(in));
        } catch (IOException | MalformedModelException | RuntimeException e) {
            // Whatever the reader stumbles on (a short file, a wrong shape, garbage), the file is
            // to blame, not the program.
            throw new InvalidInputException(
                    source.toString(),
                    null,
                    "not parameters of this model ("
                            + firstLine(e)
                            + "); the file is damaged or belongs to another model");
        }
    }

    /**
     * Loads a saved model.
     *
     * @throws InvalidInputException naming model.json or model.params when one is missing, of
     *     another format version, damaged, or when the two do not belong together
     */
    public static GraphModel load(Path dir) throws IOException {
        Path file = dir.resolve("model.json");
        if (!Files.exists(file)) {
            throw new InvalidInputException(
                    dir.toString(), null, "no model.json: not a saved model");
        }
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(file.toFile());
        } catch (JsonProcessingException e) {
            throw new InvalidInputException(
                    file.toString(), null, "not valid JSON: " + firstLine(e) + REWRITE);
        }
        if (root == null || !root.isObject()) {
            throw new InvalidInputException(file.toString(), null, "not a JSON object" + REWRITE);
        }
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
                    file.toString(), null, "bad model section: " + firstLine(e));
        }
        if (config == null) {
            throw new InvalidInputException(file.toString(), null, "no model section" + REWRITE);
        }
        Standardization z =
                new Standardization(
                        number(root, "target_mean", file), number(root, "target_std", file));
        JsonNode provenance = root.path("provenance");
        if (!provenance.isObject()) {
            throw new InvalidInputException(
                    file.toString(), null, "no provenance object" + REWRITE);
        }
        Path params = dir.resolve("model.params");
        if (!Files.exists(params)) {
            throw new InvalidInputException(
                    params.toString(),
                    null,
                    "missing: the model was not saved completely" + REWRITE);
        }
        byte[] parameters = Files.readAllBytes(params);
        String expected = root.path("parameters_sha256").asText(null);
        // model.json of earlier versions has no hash; their parameters are checked by loading only.
        if (expected != null && !expected.equals(Sources.sha256(parameters))) {
            throw new InvalidInputException(
                    params.toString(),
                    null,
                    "does not match model.json (SHA-256 differs): damaged, or the two files come"
                            + " from different saves"
                            + REWRITE);
        }
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
                new GraphModel(config, z, (ObjectNode) provenance, domain, Devices.resolve("auto"));
        try (EngineGate.Section work = EngineGate.jvm().enter()) {
            m.initialize();
            m.loadParameters(parameters, params);
        } catch (RuntimeException e) {
            m.close();
            throw e;
        }
        return m;
    }

    /** What to do about a broken saved model. */
    private static final String REWRITE =
            "; save the model again (rerun its training) or restore both files from one save";

    private static double number(JsonNode root, String key, Path file) {
        JsonNode v = root.get(key);
        if (v == null || !v.isNumber() || !Double.isFinite(v.asDouble())) {
            throw new InvalidInputException(
                    file.toString(), null, key + " is missing or not a finite number" + REWRITE);
        }
        return v.asDouble();
    }

    private static String firstLine(Throwable e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return m.strip().split("\n")[0];
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
