package org.fusionml.notebook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The notebooks in {@code notebooks/} as committed: on the kernel that {@code
 * notebooks/kernel-spec} installs ("fusion-java"), loading the command line's class path relative
 * to themselves, and either without outputs or executed whole, in order, without errors and with
 * their plots inline (what {@code notebooks/execute --inplace} writes).
 */
class NotebooksTest {
    private static final Path NOTEBOOKS = Path.of("../notebooks");

    static List<Path> notebooks() throws IOException {
        try (Stream<Path> files = Files.list(NOTEBOOKS)) {
            return files.filter(p -> p.getFileName().toString().matches("\\d.*\\.ipynb"))
                    .sorted()
                    .toList();
        }
    }

    private static String source(JsonObject cell) {
        JsonElement s = cell.get("source");
        if (s.isJsonPrimitive()) {
            return s.getAsString();
        }
        StringBuilder b = new StringBuilder();
        s.getAsJsonArray().forEach(l -> b.append(l.getAsString()));
        return b.toString();
    }

    @Test
    void everyNotebookRunsOnTheFusionKernelWithTheCommandLinesJars() throws Exception {
        List<Path> all = notebooks();
        assertEquals(4, all.size(), all.toString());
        for (Path nb : all) {
            JsonObject root = JsonParser.parseString(Files.readString(nb)).getAsJsonObject();
            JsonObject spec = root.getAsJsonObject("metadata").getAsJsonObject("kernelspec");
            assertEquals("fusion-java", spec.get("name").getAsString(), nb.toString());
            assertEquals("Java (FUSION, JShell)", spec.get("display_name").getAsString());
            List<String> jars = new ArrayList<>();
            for (JsonElement c : root.getAsJsonArray("cells")) {
                for (String line : source(c.getAsJsonObject()).split("\n")) {
                    if (line.startsWith("%jars")) {
                        jars.add(line);
                    }
                }
            }
            // relative to the notebook, never to one clone's absolute path
            assertEquals(List.of("%jars ../fusion-bench/target/lib/*.jar"), jars, nb.toString());
        }
    }

    @Test
    void committedOutputsComeFromOneWholeRunWithoutErrors() throws Exception {
        for (Path nb : notebooks()) {
            JsonObject root = JsonParser.parseString(Files.readString(nb)).getAsJsonObject();
            List<JsonObject> code = new ArrayList<>();
            for (JsonElement c : root.getAsJsonArray("cells")) {
                if (c.getAsJsonObject().get("cell_type").getAsString().equals("code")) {
                    code.add(c.getAsJsonObject());
                }
            }
            boolean executed = code.stream().anyMatch(c -> !c.get("execution_count").isJsonNull());
            int images = 0;
            for (int i = 0; i < code.size(); i++) {
                JsonObject c = code.get(i);
                JsonArray outputs = c.getAsJsonArray("outputs");
                if (!executed) {
                    assertEquals(0, outputs.size(), nb + ": outputs in a notebook never executed");
                    continue;
                }
                assertEquals(
                        i + 1,
                        c.get("execution_count").getAsInt(),
                        nb + ": code cell " + (i + 1) + " is not from the same run, in order");
                for (JsonElement o : outputs) {
                    JsonObject out = o.getAsJsonObject();
                    assertFalse(
                            out.get("output_type").getAsString().equals("error"),
                            nb + ": code cell " + (i + 1) + " failed");
                    if (out.has("data")
                            && out.getAsJsonObject("data").keySet().stream()
                                    .anyMatch(k -> k.startsWith("image/"))) {
                        images++;
                    }
                }
            }
            if (executed && !nb.getFileName().toString().startsWith("03")) {
                assertTrue(images > 0, nb + ": executed, but no plot inline");
            }
        }
    }
}
