package org.fusionml.train.trainer;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.fusionml.data.InvalidInputException;
import org.fusionml.data.io.AtomicFiles;
import org.fusionml.data.io.JsonTrees;
import org.fusionml.models.Architectures;

/**
 * The layout of a training run's folder, in one place: {@code config.yaml} (the resolved
 * configuration), {@code metrics.jsonl} (one line per epoch), the checkpoint ({@code
 * checkpoint.json} with the settings' hash, {@code checkpoint.params}, {@code
 * checkpoint.optimizer}), {@code best.params}, the saved model ({@code model.json} + {@code
 * model.params}), {@code predictions.csv}, {@code result.json} and {@code provenance.json}.
 */
public final class RunDirectory {
    /** Reads and writes configurations with the architectures' {@code type} names. */
    static final ObjectMapper YAML =
            Architectures.register(
                    new ObjectMapper(
                            YAMLFactory.builder()
                                    .disable(YAMLGenerator.Feature.USE_NATIVE_TYPE_ID)
                                    .build()));

    private final Path dir;

    public RunDirectory(Path dir) {
        this.dir = dir;
    }

    public Path path() {
        return dir;
    }

    public Path config() {
        return dir.resolve("config.yaml");
    }

    public Path metrics() {
        return dir.resolve("metrics.jsonl");
    }

    public Path result() {
        return dir.resolve("result.json");
    }

    /** {@code provenance.json}: see {@link ModelProvenance}. */
    public Path provenance() {
        return dir.resolve("provenance.json");
    }

    public Path predictions() {
        return dir.resolve("predictions.csv");
    }

    public Path bestParams() {
        return dir.resolve("best.params");
    }

    Path checkpointFile() {
        return dir.resolve("checkpoint.json");
    }

    Path checkpointParams() {
        return dir.resolve("checkpoint.params");
    }

    Path checkpointOptimizer() {
        return dir.resolve("checkpoint.optimizer");
    }

    /** Whether a finished run's result is there. */
    public boolean finished() {
        return Files.exists(result());
    }

    /**
     * Records {@code settings} as {@code config.yaml}. When the folder already holds a checkpoint
     * or a result made with other settings, refuses: a resumed run never mixes settings.
     *
     * @return the settings' hash (SHA-256 of the resolved configuration and the split)
     * @throws InvalidInputException naming the folder and the keys that differ
     */
    String claim(TrainConfig settings, int[] train, int[] val, int[] test) throws IOException {
        JsonNode now = YAML.valueToTree(settings);
        ObjectMapper json = new ObjectMapper();
        ObjectNode keyed = json.createObjectNode();
        keyed.set("config", now);
        keyed.set("split", json.valueToTree(List.of(train, val, test)));
        String hash = JsonTrees.sha256(keyed);
        Checkpoint cp = Checkpoint.read(this);
        boolean started = cp != null || finished();
        if (started && Files.exists(config())) {
            String before = cp != null ? cp.settingsSha256() : null;
            if (before != null
                    ? !before.equals(hash)
                    : !YAML.readTree(config().toFile()).equals(now)) {
                List<String> keys = JsonTrees.differingKeys(YAML.readTree(config().toFile()), now);
                throw new InvalidInputException(
                        dir.toString(),
                        null,
                        "holds a run with other settings ("
                                + (keys.isEmpty()
                                        ? "the split differs"
                                        : "keys that differ: " + String.join(", ", keys))
                                + "); use another output folder or start over");
            }
        }
        Files.createDirectories(dir);
        AtomicFiles.writeString(
                config(), YAML.writerWithDefaultPrettyPrinter().writeValueAsString(settings));
        return hash;
    }

    /** Appends one line to {@code metrics.jsonl}. */
    void appendMetrics(String line) throws IOException {
        List<String> lines =
                Files.exists(metrics())
                        ? new ArrayList<>(Files.readAllLines(metrics()))
                        : new ArrayList<>();
        lines.add(line);
        AtomicFiles.writeString(metrics(), String.join("\n", lines) + "\n");
    }

    /**
     * Drops the lines of {@code metrics.jsonl} after {@code epochs} (written before a kill, redone
     * on resume).
     */
    void keepMetrics(int epochs) throws IOException {
        if (!Files.exists(metrics())) {
            return;
        }
        ObjectMapper json = new ObjectMapper();
        List<String> keep = new ArrayList<>();
        for (String l : Files.readAllLines(metrics())) {
            if (!l.isBlank() && json.readTree(l).get("epoch").asInt() <= epochs) {
                keep.add(l);
            }
        }
        AtomicFiles.writeString(metrics(), keep.isEmpty() ? "" : String.join("\n", keep) + "\n");
    }

    /**
     * The resumable state after an epoch.
     *
     * @param epoch epochs done
     * @param bestValMae best validation MAE so far, target unit
     * @param bestEpoch its epoch (1-based)
     * @param settingsSha256 hash of the settings and split that made it (null in checkpoints
     *     written before hashes were kept)
     */
    record Checkpoint(int epoch, double bestValMae, int bestEpoch, String settingsSha256) {
        void write(RunDirectory run) throws IOException {
            AtomicFiles.writeString(
                    run.checkpointFile(), new ObjectMapper().writeValueAsString(this));
        }

        static Checkpoint read(RunDirectory run) throws IOException {
            Path f = run.checkpointFile();
            if (!Files.exists(f) || !Files.exists(run.checkpointParams())) {
                return null;
            }
            return new ObjectMapper()
                    .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
                    .readValue(f.toFile(), Checkpoint.class);
        }
    }
}
