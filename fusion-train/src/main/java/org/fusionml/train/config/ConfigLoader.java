package org.fusionml.train.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.InvalidTypeIdException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.fusionml.data.InvalidInputException;
import org.fusionml.models.Architectures;

/** Reads YAML run configurations into records. */
public final class ConfigLoader {
    /** The YAML mapper: unknown keys and wrong types are errors. */
    public static final ObjectMapper YAML =
            Architectures.register(
                            new ObjectMapper(
                                    YAMLFactory.builder()
                                            .disable(YAMLGenerator.Feature.USE_NATIVE_TYPE_ID)
                                            .build()))
                    .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                    .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                    .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
                    .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
                    .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    private ConfigLoader() {}

    /**
     * Loads {@code file} (or the defaults when null), applies {@code overrides} ("a.b=c") and binds
     * the result to {@code type}.
     *
     * @throws InvalidInputException naming the file, the key (and line) and the problem
     */
    public static <T> T load(Path file, List<String> overrides, Class<T> type) {
        String source = file == null ? "<defaults>" : file.toString();
        ObjectNode tree = readTree(file, source);
        for (String o : overrides) {
            apply(tree, o, source);
        }
        defaultModelType(tree);
        return bind(tree, type, file, source);
    }

    /** The mapping in {@code file}; an empty one for no file or an empty file. */
    private static ObjectNode readTree(Path file, String source) {
        try {
            if (file == null) {
                return YAML.createObjectNode();
            }
            JsonNode node = YAML.readTree(Files.readString(file));
            if (node == null || node.isMissingNode() || node.isNull()) {
                return YAML.createObjectNode();
            } else if (!node.isObject()) {
                throw new InvalidInputException(
                        source, null, "a configuration must be a YAML mapping");
            }
            return (ObjectNode) node;
        } catch (NoSuchFileException e) {
            throw new InvalidInputException(source, null, "file not found");
        } catch (IOException e) {
            throw new InvalidInputException(
                    source, null, "not valid YAML: " + e.getMessage().split("\n")[0]);
        }
    }

    /**
     * {@code tree} bound to {@code type}, with Jackson's errors turned into ones that name the key,
     * its line in {@code file} and the problem.
     */
    private static <T> T bind(ObjectNode tree, Class<T> type, Path file, String source) {
        try {
            return YAML.treeToValue(tree, type);
        } catch (UnrecognizedPropertyException e) {
            String valid =
                    e.getKnownPropertyIds().stream()
                            .map(Object::toString)
                            .sorted()
                            .collect(Collectors.joining(", "));
            throw new InvalidInputException(
                    source,
                    null,
                    "unknown key '" + path(e) + "'" + lineOf(file, e) + "; valid keys: " + valid);
        } catch (InvalidTypeIdException e) {
            throw new InvalidInputException(
                    source,
                    null,
                    path(e)
                            + ".type '"
                            + e.getTypeId()
                            + "'"
                            + lineOf(file, e)
                            + " is not known; valid: "
                            + String.join(", ", Architectures.TYPES.keySet()));
        } catch (JsonMappingException e) {
            Throwable cause = e.getCause();
            String why =
                    cause instanceof IllegalArgumentException
                            ? cause.getMessage()
                            : e.getOriginalMessage().split("\n")[0];
            String at = path(e);
            throw new InvalidInputException(
                    source,
                    null,
                    at.isEmpty()
                            ? why
                            : "bad value at '" + at + "'" + lineOf(file, e) + ": " + why);
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException(source, null, e.getMessage());
        } catch (IOException e) {
            throw new InvalidInputException(source, null, e.getMessage().split("\n")[0]);
        }
    }

    /** Every {@code model} section without a {@code type} is ALIGNN (the framework's default). */
    private static void defaultModelType(JsonNode node) {
        if (node.get("model") instanceof ObjectNode model && !model.has("type")) {
            model.put("type", "alignn");
        }
        for (JsonNode child : node) {
            if (child.isContainerNode()) {
                defaultModelType(child);
            }
        }
    }

    /**
     * Sets {@code a.b.c=value} in the tree, the value read as YAML (numbers, booleans, strings).
     */
    static void apply(ObjectNode tree, String override, String source) {
        int eq = override.indexOf('=');
        if (eq <= 0) {
            throw new InvalidInputException(
                    source, null, "--set '" + override + "' is not key.path=value");
        }
        String[] keys = override.substring(0, eq).trim().split("\\.");
        String raw = override.substring(eq + 1).trim();
        JsonNode value;
        try {
            value = YAML.readTree(raw.isEmpty() ? "''" : raw);
        } catch (IOException e) {
            throw new InvalidInputException(
                    source, null, "--set '" + override + "': cannot read the value");
        }
        ObjectNode node = tree;
        for (int k = 0; k < keys.length - 1; k++) {
            JsonNode child = node.get(keys[k]);
            if (child == null || !child.isObject()) {
                child = node.putObject(keys[k]);
            }
            node = (ObjectNode) child;
        }
        node.set(keys[keys.length - 1], value);
    }

    private static String path(JsonMappingException e) {
        return e.getPath().stream()
                .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                .collect(Collectors.joining("."));
    }

    /**
     * " (line N)" for the YAML line that holds the failing key, taken from the parsed file's token
     * locations (block and flow style alike; binding works on the merged tree, which has none), "
     * (from --set)" when the file does not hold it.
     */
    private static String lineOf(Path file, JsonMappingException e) {
        if (file == null || e.getPath().isEmpty()) {
            return "";
        }
        StringBuilder pointer = new StringBuilder();
        for (JsonMappingException.Reference r : e.getPath()) {
            pointer.append('/')
                    .append(
                            r.getFieldName() != null
                                    ? r.getFieldName()
                                    : String.valueOf(r.getIndex()));
        }
        try {
            Integer line = keyLines(Files.readString(file)).get(pointer.toString());
            return line != null ? " (line " + line + ")" : " (from --set)";
        } catch (IOException ex) {
            return "";
        }
    }

    /** The line of every key of a YAML text, by JSON pointer ({@code /model/hidden}). */
    static Map<String, Integer> keyLines(String yaml) throws IOException {
        Map<String, Integer> lines = new HashMap<>();
        try (JsonParser p = YAML.getFactory().createParser(yaml)) {
            for (JsonToken t = p.nextToken(); t != null; t = p.nextToken()) {
                if (t == JsonToken.FIELD_NAME) {
                    lines.putIfAbsent(
                            p.getParsingContext().pathAsPointer().toString(),
                            p.currentTokenLocation().getLineNr());
                }
            }
        }
        return lines;
    }

    /** The resolved configuration as YAML (what a run directory records). */
    public static String toYaml(Object config) {
        try {
            return YAML.writerWithDefaultPrettyPrinter().writeValueAsString(config);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
