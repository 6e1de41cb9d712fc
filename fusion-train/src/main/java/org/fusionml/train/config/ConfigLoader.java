package org.fusionml.train.config;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.fusionml.data.InvalidInputException;

/** Reads YAML run configurations into records. */
public final class ConfigLoader {
  /** The YAML mapper: unknown keys and wrong types are errors. */
  public static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
      .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);

  private ConfigLoader() {}

  /**
   * Loads {@code file} (or the defaults when null), applies {@code overrides} ("a.b=c") and binds
   * the result to {@code type}.
   *
   * @throws InvalidInputException naming the file, the key (and line) and the problem
   */
  public static <T> T load(Path file, List<String> overrides, Class<T> type) {
    String source = file == null ? "<defaults>" : file.toString();
    ObjectNode tree;
    try {
      if (file == null) {
        tree = YAML.createObjectNode();
      } else {
        JsonNode node = YAML.readTree(Files.readString(file));
        if (node == null || node.isMissingNode() || node.isNull()) {
          tree = YAML.createObjectNode();
        } else if (!node.isObject()) {
          throw new InvalidInputException(source, null, "a configuration must be a YAML mapping");
        } else {
          tree = (ObjectNode) node;
        }
      }
    } catch (NoSuchFileException e) {
      throw new InvalidInputException(source, null, "file not found");
    } catch (IOException e) {
      throw new InvalidInputException(source, null, "not valid YAML: " + e.getMessage().split("\n")[0]);
    }
    for (String o : overrides) {
      apply(tree, o, source);
    }
    try {
      return YAML.treeToValue(tree, type);
    } catch (UnrecognizedPropertyException e) {
      String valid = e.getKnownPropertyIds().stream().map(Object::toString).sorted().collect(Collectors.joining(", "));
      throw new InvalidInputException(source, null, "unknown key '" + path(e) + "'" + lineOf(file, e) + "; valid keys: " + valid);
    } catch (JsonMappingException e) {
      Throwable cause = e.getCause();
      String why = cause instanceof IllegalArgumentException ? cause.getMessage() : e.getOriginalMessage().split("\n")[0];
      throw new InvalidInputException(source, null, "bad value at '" + path(e) + "'" + lineOf(file, e) + ": " + why);
    } catch (IllegalArgumentException e) {
      throw new InvalidInputException(source, null, e.getMessage());
    } catch (IOException e) {
      throw new InvalidInputException(source, null, e.getMessage().split("\n")[0]);
    }
  }

  /** Sets {@code a.b.c=value} in the tree, the value read as YAML (numbers, booleans, strings). */
  static void apply(ObjectNode tree, String override, String source) {
    int eq = override.indexOf('=');
    if (eq <= 0) {
      throw new InvalidInputException(source, null, "--set '" + override + "' is not key.path=value");
    }
    String[] keys = override.substring(0, eq).trim().split("\\.");
    String raw = override.substring(eq + 1).trim();
    JsonNode value;
    try {
      value = YAML.readTree(raw.isEmpty() ? "''" : raw);
    } catch (IOException e) {
      throw new InvalidInputException(source, null, "--set '" + override + "': cannot read the value");
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
    return e.getPath().stream().map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]").collect(Collectors.joining("."));
  }

  /**
   * " (line N)" for the YAML line that holds the failing key (binding works on the merged tree,
   * which has no locations), " (from --set)" when the file does not hold it.
   */
  private static String lineOf(Path file, JsonMappingException e) {
    List<JsonMappingException.Reference> refs = e.getPath();
    if (file == null || refs.isEmpty() || refs.get(refs.size() - 1).getFieldName() == null) {
      return "";
    }
    try {
      List<String> lines = Files.readAllLines(file);
      java.util.regex.Pattern key = java.util.regex.Pattern.compile(
          "^\\s*" + java.util.regex.Pattern.quote(refs.get(refs.size() - 1).getFieldName()) + "\\s*:");
      for (int i = 0; i < lines.size(); i++) {
        if (key.matcher(lines.get(i)).find()) {
          return " (line " + (i + 1) + ")";
        }
      }
      return " (from --set)";
    } catch (IOException ex) {
      return "";
    }
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
