package org.fusionml.train.trainer;

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
 * checkpoint.bin}: parameters, optimizer state, epoch, best so far, the settings' hash and
 * checksums, see {@link Checkpoint}), {@code best.params}, the saved model ({@code model.json} +
 * {@code model.params}), {@code predictions.csv}, {@code result.json} and {@code provenance.json}.
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

    /** The checkpoint ({@link Checkpoint}). */
    Path checkpoint() {
        return dir.resolve("checkpoint.bin");
    }

    /**
     * The checkpoint of earlier versions ({@code checkpoint.json} beside {@code checkpoint.params}
     * and {@code checkpoint.optimizer}, without checksums): refused, never resumed.
     */
    Path legacyCheckpoint() {
        return dir.resolve("checkpoint.json");
    }

    /** Whether a finished run's result is there. */
    public boolean finished() {
        return Files.exists(result());
    }

    /**
     * Records {@code settings} as {@code config.yaml}. When the folder already holds a checkpoint
     * or a result made with other settings, refuses: a resumed run never mixes settings.
     *
     * @param cp the folder's checkpoint, null when there is none
     * @return the settings' hash (SHA-256 of the resolved configuration and the split)
     * @throws InvalidInputException naming the folder and the keys that differ, or a checkpoint of
     *     an earlier version
     */
    String claim(TrainConfig settings, int[] train, int[] val, int[] test, Checkpoint cp)
            throws IOException {
        if (cp == null && Files.exists(legacyCheckpoint())) {
            throw new InvalidInputException(
                    legacyCheckpoint().toString(),
                    null,
                    "a checkpoint of an earlier version, without checksums; the run cannot resume"
                            + " from it: delete checkpoint.json, checkpoint.params and"
                            + " checkpoint.optimizer to train this run again from the start, or"
                            + " use another output folder");
        }
        JsonNode now = YAML.valueToTree(settings);
        ObjectMapper json = new ObjectMapper();
        ObjectNode keyed = json.createObjectNode();
        keyed.set("config", now);
        keyed.set("split", json.valueToTree(List.of(train, val, test)));
        String hash = JsonTrees.sha256(keyed);
        boolean started = cp != null || finished();
        if (started && Files.exists(config())) {
            String before = cp != null ? cp.state().settingsSha256() : null;
            List<String> keys = JsonTrees.differingKeys(YAML.readTree(config().toFile()), now);
            // Without a checkpoint's hash only the configuration can be compared (numbers by
            // value: YAML reads 1.0 back as 1).
            if (before != null ? !before.equals(hash) : !keys.isEmpty()) {
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
        AtomicFiles.createDirectories(dir);
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
     * on resume; all of them when a run starts from the beginning).
     */
    void keepMetrics(int epochs) throws IOException {
        if (!Files.exists(metrics())) {
            return;
        }
        if (epochs == 0) {
            AtomicFiles.writeString(metrics(), "");
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
}
