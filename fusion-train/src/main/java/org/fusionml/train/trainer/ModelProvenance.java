package org.fusionml.train.trainer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.fusionml.data.InvalidInputException;
import org.fusionml.data.io.Sources;

/**
 * A model folder's {@code provenance.json}, written by every training run: format version, the
 * dataset (source, SHA-256, task, target, unit), train / validation / test sizes, the resolved
 * configuration ({@code config}), the validation MAE, the test MAE, RMSE and count (absent without
 * a test part) and the SHA-256 of {@code model.params}.
 *
 * @param file where it was read from
 * @param json its content
 */
public record ModelProvenance(Path file, JsonNode json) {
    /** Version of the layout; reading any other version fails. */
    public static final int FORMAT_VERSION = 1;

    /**
     * Reads {@code dir/provenance.json}.
     *
     * @throws InvalidInputException when it is missing, not JSON or of another version
     */
    public static ModelProvenance read(Path dir) throws IOException {
        Path file = dir.resolve("provenance.json");
        if (!Files.isRegularFile(file)) {
            throw new InvalidInputException(
                    dir.toString(),
                    null,
                    "no provenance.json: a named model must record its provenance");
        }
        JsonNode json;
        try {
            json = new ObjectMapper().readTree(file.toFile());
        } catch (IOException e) {
            throw new InvalidInputException(
                    file.toString(), null, "not JSON: " + e.getMessage().split("\n")[0]);
        }
        int version = json.path("format_version").asInt(-1);
        if (version != FORMAT_VERSION) {
            throw new InvalidInputException(
                    file.toString(),
                    null,
                    "provenance format version "
                            + version
                            + " is not supported (expected "
                            + FORMAT_VERSION
                            + ")");
        }
        return new ModelProvenance(file, json);
    }

    /**
     * Checks that the folder's model is the one this provenance describes: the SHA-256 of {@code
     * model.params} and the dataset SHA-256 of {@code model.json} must match.
     *
     * @throws InvalidInputException naming the field that differs
     */
    public void check(Path dir, GraphModel model) throws IOException {
        String params = Sources.sha256(dir.resolve("model.params"));
        String recorded = json.path("model_params_sha256").asText("");
        if (!params.equals(recorded)) {
            throw new InvalidInputException(
                    file.toString(),
                    null,
                    "model.params has SHA-256 "
                            + params
                            + ", the provenance records "
                            + (recorded.isEmpty() ? "none" : recorded));
        }
        String data =
                model.provenance() == null
                        ? ""
                        : model.provenance().path("dataset_sha256").asText("");
        String recordedData = json.path("dataset_sha256").asText("");
        if (!data.equals(recordedData)) {
            throw new InvalidInputException(
                    file.toString(),
                    null,
                    "dataset_sha256 " + recordedData + " is not model.json's " + data);
        }
    }

    /** One line: task, dataset hash (first 12 hex digits), test MAE with its unit and count. */
    public String summary() {
        String unit = json.path("unit").asText("");
        String test =
                json.has("test_mae")
                        ? String.format(
                                Locale.ROOT,
                                "test MAE %.4g %s on %d structures",
                                json.get("test_mae").asDouble(),
                                unit,
                                json.path("test_count").asInt())
                        : "no test part";
        String sha = json.path("dataset_sha256").asText("");
        return String.format(
                Locale.ROOT,
                "%s (dataset SHA-256 %s...), %d training structures, %s",
                json.path("task").asText("?"),
                sha.substring(0, Math.min(12, sha.length())),
                json.path("train_size").asInt(),
                test);
    }
}
