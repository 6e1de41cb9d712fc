package org.fusionml.train.predict;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.fusionml.data.InvalidInputException;

/**
 * Finds a saved model from {@code --model}: a folder holding {@code model.json}, or the name of a
 * model folder under one of the model roots, searched in order: each folder of the {@code
 * FUSION_MODELS} environment variable (separated by {@link File#pathSeparator}), then the project's
 * {@code models/} (beside the {@code fusion} launcher). A model found by name must carry its {@code
 * provenance.json} (checked by the caller).
 *
 * @param roots the folders searched for names, in order
 */
public record ModelLocator(List<Path> roots) {
    /** The environment variable listing model roots. */
    public static final String ENVIRONMENT = "FUSION_MODELS";

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");

    public ModelLocator {
        roots = List.copyOf(roots);
    }

    /**
     * The roots from {@code FUSION_MODELS} (may be null) and the launcher path the {@code fusion}
     * script passes as the system property {@code fusion.launcher} (may be null).
     */
    public static ModelLocator of(String fusionModels, String launcher) {
        List<Path> roots = new ArrayList<>();
        if (fusionModels != null) {
            for (String s : fusionModels.split(Pattern.quote(File.pathSeparator))) {
                if (!s.isBlank()) {
                    roots.add(Path.of(s.strip()));
                }
            }
        }
        if (launcher != null && !launcher.isBlank()) {
            Path dir = Path.of(launcher).toAbsolutePath().getParent();
            if (dir != null) {
                roots.add(dir.resolve("models"));
            }
        }
        return new ModelLocator(roots);
    }

    /** The roots of this process: {@code FUSION_MODELS} and the launcher's {@code models/}. */
    public static ModelLocator fromEnvironment() {
        return of(System.getenv(ENVIRONMENT), System.getProperty("fusion.launcher"));
    }

    /**
     * A model found.
     *
     * @param dir its folder
     * @param byName whether it was found by name under a root
     */
    public record Found(Path dir, boolean byName) {}

    /**
     * The model folder {@code model} names.
     *
     * @throws InvalidInputException when it is neither a model folder nor a known name (the message
     *     lists the roots and the names found there)
     */
    public Found locate(String model) {
        Path given = Path.of(model);
        if (Files.isDirectory(given)) {
            if (!Files.isRegularFile(given.resolve("model.json"))) {
                throw new InvalidInputException(model, null, "no model.json: not a saved model");
            }
            return new Found(given, false);
        }
        if (NAME.matcher(model).matches()) {
            for (Path root : roots) {
                Path dir = root.resolve(model);
                if (Files.isRegularFile(dir.resolve("model.json"))) {
                    return new Found(dir, true);
                }
            }
        }
        throw new InvalidInputException(
                model,
                null,
                "neither a model folder nor a model name found in "
                        + (roots.isEmpty() ? "any model root" : roots.toString())
                        + " ("
                        + ENVIRONMENT
                        + ", the project's models/); names there: "
                        + (names().isEmpty() ? "none" : String.join(", ", names())));
    }

    /** The names of the model folders under the roots, sorted. */
    public List<String> names() {
        TreeSet<String> names = new TreeSet<>();
        for (Path root : roots) {
            if (!Files.isDirectory(root)) {
                continue;
            }
            try (Stream<Path> dirs = Files.list(root)) {
                dirs.filter(d -> Files.isRegularFile(d.resolve("model.json")))
                        .forEach(d -> names.add(d.getFileName().toString()));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return List.copyOf(names);
    }
}
