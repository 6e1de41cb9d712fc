package org.fusionml.train.trainer;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
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
import org.fusionml.data.InvalidInputException;
import org.fusionml.data.io.AtomicFiles;
import org.fusionml.data.structure.Structure;
import org.fusionml.models.ArchitectureConfig;
import org.fusionml.models.alignn.AlignnConfig;
import org.fusionml.models.batch.GraphBatch;
import org.fusionml.models.batch.GraphBatchShapes;
import org.fusionml.models.batch.GraphSample;
import org.fusionml.models.head.EvidentialOutput;

/**
 * A graph model with what it needs to featurise new structures: architecture, graph settings and
 * target standardisation. Saved as {@code model.json} (format version, configuration, target mean
 * and standard deviation, provenance) plus {@code model.params}.
 */
public final class GraphModel implements AutoCloseable {
  /** Version of the saved layout; loading any other version fails. */
  public static final int FORMAT_VERSION = 1;

  private final ArchitectureConfig config;
  private final boolean evidential;
  private final int maxNeighbors;
  private final double targetMean;
  private final double targetStd;
  private final ObjectNode provenance;
  private final Model model;

  GraphModel(ArchitectureConfig config, boolean evidential, int maxNeighbors, double targetMean, double targetStd, ObjectNode provenance,
      ai.djl.Device device) {
    this.config = config;
    this.evidential = evidential;
    this.maxNeighbors = maxNeighbors;
    this.targetMean = targetMean;
    this.targetStd = targetStd;
    this.provenance = provenance;
    this.model = Model.newInstance(config.name(), device);
    model.setBlock(config.newBlock());
  }

  public Model djlModel() {
    return model;
  }

  public ai.djl.nn.Block block() {
    return model.getBlock();
  }

  public ArchitectureConfig architecture() {
    return config;
  }

  public boolean evidential() {
    return evidential;
  }

  public double targetMean() {
    return targetMean;
  }

  public double targetStd() {
    return targetStd;
  }

  /** Initialises fresh parameters (call after seeding the engine). */
  void initialize() {
    block().initialize(model.getNDManager(), DataType.FLOAT32, GraphBatchShapes.shapes());
  }

  /** Graphs of {@code structures}. */
  public List<GraphSample> samples(List<Structure> structures) {
    return structures.parallelStream().map(s -> GraphSample.of(s, config, maxNeighbors)).toList();
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
    for (int start = 0; start < n; start += batchSize) {
      int end = Math.min(n, start + batchSize);
      try (NDManager m = model.getNDManager().newSubManager()) {
        GraphBatch b = GraphBatch.of(m, samples.subList(start, end));
        NDArray raw = block().forward(new ParameterStore(m, false), b.toNDList(), false).singletonOrThrow();
        fill(raw, start, pred, nu, alpha, beta, ale, epi);
      }
    }
    return new Predictions(pred, nu, alpha, beta, ale, epi);
  }

  /** Converts a raw output batch [B, k] into physical units at rows start..start+B. */
  void fill(NDArray raw, int start, double[] pred, double[] nu, double[] alpha, double[] beta, double[] ale, double[] epi) {
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
    root.put("architecture", config.name());
    root.set("config", json.valueToTree(config));
    root.put("head", evidential ? "evidential" : "regression");
    root.put("max_neighbors", maxNeighbors);
    root.put("target_mean", targetMean);
    root.put("target_std", targetStd);
    root.set("provenance", provenance);
    AtomicFiles.writeString(dir.resolve("model.json"), json.writerWithDefaultPrettyPrinter().writeValueAsString(root));
  }

  /** Loads parameters saved by {@link #saveParameters} / {@link #save}. */
  void loadParameters(Path file) throws IOException {
    try (InputStream in = new BufferedInputStream(Files.newInputStream(file))) {
      block().loadParameters(model.getNDManager(), new DataInputStream(in));
    } catch (ai.djl.MalformedModelException e) {
      throw new IOException("cannot read parameters " + file + ": " + e.getMessage(), e);
    }
  }

  void saveParameters(Path file) throws IOException {
    AtomicFiles.write(file, out -> {
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
      throw new InvalidInputException(dir.toString(), null, "no model.json: not a saved model");
    }
    JsonNode root = new ObjectMapper().readTree(file.toFile());
    int version = root.path("format_version").asInt(-1);
    if (version != FORMAT_VERSION) {
      throw new InvalidInputException(file.toString(), null, "model format version " + version + " is not supported (expected " + FORMAT_VERSION + ")");
    }
    ObjectMapper json = new ObjectMapper();
    String arch = root.path("architecture").asText();
    Class<? extends ArchitectureConfig> type = switch (arch) {
      case "alignn" -> AlignnConfig.class;
      case "cgcnn" -> org.fusionml.models.cgcnn.CgcnnConfig.class;
      case "schnet" -> org.fusionml.models.schnet.SchnetConfig.class;
      default -> throw new InvalidInputException(file.toString(), null, "unknown architecture '" + arch + "'");
    };
    ArchitectureConfig config = json.treeToValue(root.get("config"), type);
    GraphModel m = new GraphModel(config, root.get("head").asText().equals("evidential"), root.get("max_neighbors").asInt(),
        root.get("target_mean").asDouble(), root.get("target_std").asDouble(), (ObjectNode) root.get("provenance"),
        Devices.resolve("auto"));
    m.initialize();
    m.loadParameters(dir.resolve("model.params"));
    return m;
  }

  public ObjectNode provenance() {
    return provenance;
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
