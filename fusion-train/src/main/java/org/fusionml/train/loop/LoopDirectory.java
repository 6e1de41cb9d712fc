package org.fusionml.train.loop;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.OptionalLong;
import java.util.stream.Stream;
import org.fusionml.data.InvalidInputException;
import org.fusionml.data.io.AtomicFiles;
import org.fusionml.data.io.JsonTrees;
import org.fusionml.train.config.ConfigLoader;
import org.fusionml.train.config.LoopConfig;

/**
 * A loop's output folder: {@code loop.yaml} (the resolved configuration), {@code cells/} (one
 * {@link CellResult} per cell), {@code runs/CELL/} (the target trainings), {@code surrogate/},
 * {@code surrogate_oof/}, {@code committee/}, {@code fingerprints/}, with {@code
 * surrogate_per_seed} {@code seed_S/} (seed S's surrogate and scores) and, out of distribution,
 * {@code fold_C/} with the same per held-out cluster, and {@code loop.lock} or {@code
 * cell_INDEX.lock} while a process runs the loop or one of its cells ({@code prepare.lock}, in the
 * folder, a {@code fold_C/} or a {@code seed_S/}, while a worker of {@code fusion loop --workers}
 * prepares it).
 *
 * <p>A loop resumes into its folder only with the same settings. The grid keys ({@code methods},
 * {@code ratios}, {@code epsilons}, {@code seeds}, {@code optimal_search}) only say which cells
 * exist, {@code max_unpruned_ratio} only what the report warns about, and a target architecture's
 * settings only decide its own cells: those may grow or change freely. Scoring variants may be
 * added; a variant of the same name must keep its settings (it decides its methods' cells). Every
 * other key decides every cell; a change there is refused with the keys that differ, unless the
 * caller starts over.
 */
public final class LoopDirectory {
    /** Keys that choose cells or read results but do not decide any cell's result. */
    static final List<String> GRID_KEYS =
            List.of(
                    "methods",
                    "ratios",
                    "epsilons",
                    "seeds",
                    "optimal_search",
                    "max_unpruned_ratio");

    private final Path dir;
    private final LoopConfig config;
    private final ObjectNode resolved;

    private LoopDirectory(Path dir, LoopConfig config) {
        this.dir = dir;
        this.config = config;
        this.resolved = ConfigLoader.YAML.valueToTree(config);
    }

    /**
     * Opens {@code dir} for {@code config}: refuses a folder whose {@code loop.yaml} was written
     * with other shared settings (or, for an architecture both have, other target settings), then
     * records {@code config} there. With {@code startOver}, first deletes what an earlier loop
     * wrote there.
     *
     * @throws InvalidInputException naming {@code loop.yaml} and the keys that differ
     */
    public static LoopDirectory claim(Path dir, LoopConfig config, boolean startOver)
            throws IOException {
        LoopDirectory d = new LoopDirectory(dir, config);
        Path yaml = d.loopYaml();
        if (startOver && Files.exists(yaml)) {
            deleteTree(dir);
        }
        if (Files.exists(yaml)) {
            JsonNode before = recorded(yaml);
            List<String> differ = differingKeys(before, d.resolved);
            if (!differ.isEmpty()) {
                throw new InvalidInputException(
                        yaml.toString(),
                        null,
                        "the loop in this folder ran with other settings (keys that differ: "
                                + String.join(", ", differ)
                                + "); use another --output, or pass --restart to delete its results"
                                + " and start over");
            }
        }
        AtomicFiles.createDirectories(d.cells());
        AtomicFiles.writeString(yaml, ConfigLoader.toYaml(config));
        return d;
    }

    /**
     * The settings a {@code loop.yaml} records, read through {@link LoopConfig}: a key added since
     * the file was written takes its default, which keeps the behaviour of the build that wrote it.
     */
    public static JsonNode recorded(Path loopYaml) {
        return ConfigLoader.YAML.valueToTree(
                ConfigLoader.load(loopYaml, List.of(), LoopConfig.class));
    }

    /** The keys, in dotted form, whose change would mix results of other settings with these. */
    static List<String> differingKeys(JsonNode before, JsonNode now) {
        List<String> out = new ArrayList<>(JsonTrees.differingKeys(shared(before), shared(now)));
        now.path("score_variants")
                .fields()
                .forEachRemaining(
                        v -> {
                            JsonNode old = before.path("score_variants").get(v.getKey());
                            if (old != null) {
                                for (String k : JsonTrees.differingKeys(old, v.getValue())) {
                                    out.add("score_variants." + v.getKey() + "." + k);
                                }
                            }
                        });
        for (JsonNode t : now.path("targets")) {
            String type = t.path("model").path("type").asText();
            for (JsonNode old : before.path("targets")) {
                if (old.path("model").path("type").asText().equals(type)) {
                    for (String k : JsonTrees.differingKeys(withoutData(old), withoutData(t))) {
                        out.add("targets[" + type + "]." + k);
                    }
                }
            }
        }
        return out;
    }

    private static JsonNode shared(JsonNode config) {
        ObjectNode copy = config.deepCopy();
        copy.remove(GRID_KEYS);
        copy.remove(List.of("target", "targets", "score_variants"));
        if (copy.get("surrogate") instanceof ObjectNode s) {
            s.remove("data"); // the loop's data section is what the surrogate reads
        }
        return copy;
    }

    private static JsonNode withoutData(JsonNode target) {
        ObjectNode copy = target.deepCopy();
        copy.remove("data");
        return copy;
    }

    /**
     * The hash of what decides the results of {@code architecture}'s cells: the shared settings and
     * that target's settings.
     */
    public String cellSettingsSha256(String architecture) {
        ObjectNode key = ((ObjectNode) shared(resolved)).deepCopy();
        ArrayNode targets = key.putArray("targets");
        for (JsonNode t : resolved.path("targets")) {
            if (t.path("model").path("type").asText().equals(architecture)) {
                targets.add(withoutData(t));
            }
        }
        return JsonTrees.sha256(key);
    }

    public Path path() {
        return dir;
    }

    /** The lock of a whole loop run in {@code dir} (see {@code ClosedLoop}). */
    static Path lockFile(Path dir) {
        return dir.resolve("loop.lock");
    }

    /** The lock of cell number {@code index} (0-based) of the loop in {@code dir}. */
    static Path cellLock(Path dir, int index) {
        return dir.resolve("cell_" + index + ".lock");
    }

    public Path loopYaml() {
        return dir.resolve("loop.yaml");
    }

    public Path cells() {
        return dir.resolve("cells");
    }

    /** The cell file of {@code cell}. */
    public Path cellFile(ClosedLoop.Cell cell) {
        return cellFile(dir, cell);
    }

    /** The cell file of {@code cell} in the loop folder {@code dir}. */
    static Path cellFile(Path dir, ClosedLoop.Cell cell) {
        return dir.resolve("cells").resolve(cell.name() + ".json");
    }

    /** The run folder of {@code cell}'s target training. */
    public Path run(ClosedLoop.Cell cell) {
        return dir.resolve("runs").resolve(cell.name());
    }

    /**
     * The folder of seed {@code seed}'s surrogate and scores ({@code surrogate_per_seed}) in a
     * fold's folder: {@code seed_S}.
     */
    public static Path seedFolder(Path foldDir, long seed) {
        return foldDir.resolve(SEED_FOLDER + seed);
    }

    /** The seed of a {@link #seedFolder}, or empty when {@code path} is not named as one. */
    public static OptionalLong seedOf(Path path) {
        String name = path.getFileName().toString();
        return name.matches(SEED_FOLDER + "-?[0-9]+")
                ? OptionalLong.of(Long.parseLong(name.substring(SEED_FOLDER.length())))
                : OptionalLong.empty();
    }

    private static final String SEED_FOLDER = "seed_";

    /** The folder of held-out cluster {@code fold} (the loop folder itself in distribution). */
    public Path fold(int fold) {
        return fold < 0 ? dir : dir.resolve("fold_" + fold);
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> all = Files.walk(root)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                // The lock is this process's: starting over happens under it.
                if (!p.equals(root) && !p.equals(lockFile(root))) {
                    Files.delete(p);
                }
            }
        }
    }
}
