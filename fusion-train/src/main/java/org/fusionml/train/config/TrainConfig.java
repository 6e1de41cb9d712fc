package org.fusionml.train.config;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * A training run.
 *
 * @param data which dataset and split
 * @param model architecture
 * @param loss objective
 * @param train optimisation settings
 */
public record TrainConfig(
    @JsonProperty("data") Data data,
    @JsonProperty("model") Model model,
    @JsonProperty("loss") Loss loss,
    @JsonProperty("train") Train train) {

  public TrainConfig {
    data = data == null ? Data.defaults() : data;
    model = model == null ? Model.defaults() : model;
    loss = loss == null ? Loss.defaults() : loss;
    train = train == null ? Train.defaults() : train;
  }

  /**
   * Dataset and split.
   *
   * @param path Matbench json(.gz) file; empty for the embedded matbench_jdft2d
   * @param valFraction validation fraction (default 0.15)
   * @param testFraction test fraction (default 0.15)
   * @param splitSeed seed of the train/validation shuffle (default 0)
   * @param testSeed seed that fixes the test set (default 42)
   */
  public record Data(
      @JsonProperty("path") String path,
      @JsonProperty("val_fraction") Double valFraction,
      @JsonProperty("test_fraction") Double testFraction,
      @JsonProperty("split_seed") Long splitSeed,
      @JsonProperty("test_seed") Long testSeed) {
    public Data {
      path = path == null ? "" : path;
      valFraction = valFraction == null ? 0.15 : valFraction;
      testFraction = testFraction == null ? 0.15 : testFraction;
      splitSeed = splitSeed == null ? 0L : splitSeed;
      testSeed = testSeed == null ? 42L : testSeed;
    }

    public static Data defaults() {
      return new Data(null, null, null, null, null);
    }

    /** The dataset: the file at {@code path}, or the embedded matbench_jdft2d when it is empty. */
    public org.fusionml.data.dataset.CrystalDataset load() {
      return path.isEmpty()
          ? org.fusionml.data.dataset.DatasetLoader.embeddedDefault()
          : org.fusionml.data.dataset.DatasetLoader.load(java.nio.file.Path.of(path), null);
    }

    /** The training / validation / test split of {@code n} structures. */
    public org.fusionml.data.dataset.Split split(int n) {
      return org.fusionml.data.dataset.Splits.trainValTest(n, valFraction, testFraction, splitSeed, testSeed);
    }
  }

  /**
   * Architecture.
   *
   * @param type {@code alignn}, {@code cgcnn} or {@code schnet}
   * @param alignnLayers ALIGNN layers (alignn; default 4)
   * @param gcnLayers GCN layers (alignn; default 4)
   * @param hidden feature width (alignn: 256; cgcnn: width after pooling, 128)
   * @param embedding bond/angle embedding width (alignn; default 64)
   * @param convLayers graph convolutions (cgcnn; default 3)
   * @param interactions interaction blocks (schnet; default 3)
   * @param features atom feature width (cgcnn, schnet; default 64)
   * @param cutoff graph cutoff, Angstrom (default 8; schnet 5)
   * @param maxNeighbors k of the k-NN graph (alignn, cgcnn; default 12)
   * @param head {@code evidential} (gamma, nu, alpha, beta) or {@code regression}
   * @param init initialisation of the linear layers: {@code pytorch} (U(-1/sqrt(fan_in),
   *     1/sqrt(fan_in)) for weights and biases, as PyTorch's nn.Linear and so the published models)
   *     or {@code xavier} (DJL's default: Gaussian Xavier weights, zero biases; the loops of docs/results were computed with it)
   */
  public record Model(
      @JsonProperty("type") String type,
      @JsonProperty("alignn_layers") Integer alignnLayers,
      @JsonProperty("gcn_layers") Integer gcnLayers,
      @JsonProperty("hidden") Integer hidden,
      @JsonProperty("embedding") Integer embedding,
      @JsonProperty("conv_layers") Integer convLayers,
      @JsonProperty("interactions") Integer interactions,
      @JsonProperty("features") Integer features,
      @JsonProperty("cutoff") Double cutoff,
      @JsonProperty("max_neighbors") Integer maxNeighbors,
      @JsonProperty("head") String head,
      @JsonProperty("init") String init) {
    public Model {
      type = type == null ? "alignn" : type;
      if (!java.util.List.of("alignn", "cgcnn", "schnet").contains(type)) {
        throw new IllegalArgumentException("model.type '" + type + "' is not known; valid: alignn, cgcnn, schnet");
      }
      alignnLayers = alignnLayers == null ? 4 : alignnLayers;
      gcnLayers = gcnLayers == null ? 4 : gcnLayers;
      hidden = hidden == null ? (type.equals("cgcnn") ? 128 : 256) : hidden;
      embedding = embedding == null ? 64 : embedding;
      convLayers = convLayers == null ? 3 : convLayers;
      interactions = interactions == null ? 3 : interactions;
      features = features == null ? 64 : features;
      cutoff = cutoff == null ? (type.equals("schnet") ? 5.0 : 8.0) : cutoff;
      maxNeighbors = maxNeighbors == null ? 12 : maxNeighbors;
      head = head == null ? "evidential" : head;
      if (!head.equals("evidential") && !head.equals("regression")) {
        throw new IllegalArgumentException("model.head '" + head + "' is not known; valid: evidential, regression");
      }
      init = init == null ? "pytorch" : init;
      if (!init.equals("pytorch") && !init.equals("xavier")) {
        throw new IllegalArgumentException("model.init '" + init + "' is not known; valid: pytorch, xavier");
      }
    }

    static Model defaults() {
      return new Model(null, null, null, null, null, null, null, null, null, null, null, null);
    }

    /** 4 outputs for the evidential head, 1 for plain regression. */
    public int outputs() {
      return head.equals("evidential") ? 4 : 1;
    }

    /** The architecture configuration of the model block. */
    public org.fusionml.models.ArchitectureConfig architecture() {
      return switch (type) {
        case "cgcnn" -> new org.fusionml.models.cgcnn.CgcnnConfig(convLayers, features, hidden, 41, cutoff, outputs());
        case "schnet" -> new org.fusionml.models.schnet.SchnetConfig(interactions, features, 50, cutoff, outputs());
        default -> new org.fusionml.models.alignn.AlignnConfig(alignnLayers, gcnLayers, hidden, embedding, 80, 40, cutoff, outputs());
      };
    }
  }

  /**
   * Objective.
   *
   * @param type {@code der}, {@code mae} or {@code mse} (default der)
   * @param lambda weight of the evidence regulariser in DER (default 0.01)
   */
  public record Loss(@JsonProperty("type") String type, @JsonProperty("lambda") Double lambda) {
    /** The known {@code type}s. */
    public static final java.util.List<String> TYPES = java.util.List.of("der", "mae", "mse");

    public Loss {
      type = type == null ? "der" : type;
      lambda = lambda == null ? 0.01 : lambda;
      if (!TYPES.contains(type)) {
        throw new IllegalArgumentException("loss.type '" + type + "' is not known; valid: " + String.join(", ", TYPES));
      }
      if (!(lambda >= 0)) {
        throw new IllegalArgumentException("loss.lambda (" + lambda + ") must be >= 0");
      }
    }

    static Loss defaults() {
      return new Loss(null, null);
    }
  }

  /**
   * Optimisation.
   *
   * @param epochs maximum epochs (default 300)
   * @param batchSize structures per batch (default 128)
   * @param learningRate peak learning rate (default 1e-3)
   * @param weightDecay AdamW decoupled weight decay, not applied to biases and norms (1e-5)
   * @param schedule {@code onecycle} (stepped per batch), {@code cosine} or {@code constant}
   * @param cycleMomentum with {@code onecycle}, cycle Adam's beta1 0.95 -> 0.85 -> 0.95 against the
   *     learning rate, as PyTorch's OneCycleLR does by default (and so ALIGNN); {@code false} keeps
   *     beta1 at 0.9. Default true with {@code onecycle}; {@code true} with another schedule is an
   *     error
   * @param patience epochs without validation-MAE improvement before stopping (default 30)
   * @param seed seed of initialisation and shuffling (default 0)
   * @param gradClip largest global L2 norm of the gradient of the loss in standardised units;
   *     larger gradients are scaled down to it (PyTorch's clip_grad_norm_); 0 turns clipping off
   *     (default 0, as ALIGNN)
   * @param device {@code auto} (the first GPU when PyTorch sees one, else the CPU), {@code cpu} or
   *     {@code gpu:N}; a GPU that is not there is an error, never a silent fallback
   */
  public record Train(
      @JsonProperty("epochs") Integer epochs,
      @JsonProperty("batch_size") Integer batchSize,
      @JsonProperty("learning_rate") Double learningRate,
      @JsonProperty("weight_decay") Double weightDecay,
      @JsonProperty("schedule") String schedule,
      @JsonProperty("cycle_momentum") Boolean cycleMomentum,
      @JsonProperty("patience") Integer patience,
      @JsonProperty("seed") Long seed,
      @JsonProperty("grad_clip") Double gradClip,
      @JsonProperty("device") String device) {
    public Train {
      epochs = epochs == null ? 300 : epochs;
      batchSize = batchSize == null ? 128 : batchSize;
      learningRate = learningRate == null ? 1e-3 : learningRate;
      weightDecay = weightDecay == null ? 1e-5 : weightDecay;
      schedule = schedule == null ? "onecycle" : schedule;
      if (cycleMomentum == null) {
        cycleMomentum = schedule.equals("onecycle");
      } else if (cycleMomentum && !schedule.equals("onecycle")) {
        throw new IllegalArgumentException("train.cycle_momentum needs train.schedule onecycle (it is " + schedule + ")");
      }
      patience = patience == null ? 30 : patience;
      seed = seed == null ? 0L : seed;
      gradClip = gradClip == null ? 0.0 : gradClip;
      device = device == null ? "auto" : device;
      if (!device.matches("auto|cpu|gpu:\\d+")) {
        throw new IllegalArgumentException("train.device '" + device + "' is not known; valid: auto, cpu, gpu:N");
      }
      if (!(gradClip >= 0)) {
        throw new IllegalArgumentException("train.grad_clip (" + gradClip + ") must be >= 0");
      }
      if (epochs < 1 || batchSize < 1 || patience < 1) {
        throw new IllegalArgumentException("train.epochs, train.batch_size and train.patience must be >= 1");
      }
      if (!java.util.List.of("onecycle", "cosine", "constant").contains(schedule)) {
        throw new IllegalArgumentException("train.schedule '" + schedule + "' is not known; valid: onecycle, cosine, constant");
      }
    }

    static Train defaults() {
      return new Train(null, null, null, null, null, null, null, null, null, null);
    }

    /** The same settings with another seed. */
    public Train withSeed(long newSeed) {
      return new Train(epochs, batchSize, learningRate, weightDecay, schedule, cycleMomentum, patience, newSeed, gradClip, device);
    }
  }
}
