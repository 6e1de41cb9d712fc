package org.fusionml.data.dataset;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.fusionml.data.InvalidInputException;
import org.fusionml.data.io.AtomicFiles;
import org.fusionml.data.io.Sources;
import org.fusionml.data.structure.io.StructureEntry;
import org.fusionml.data.structure.io.StructureReaders;

/**
 * Loads labelled datasets: local files, the embedded default and (only when asked) the official
 * Matbench downloads.
 */
public final class DatasetLoader {
    /** Class-path resource of the embedded default, matbench_jdft2d (636 entries, CC BY 4.0). */
    public static final String EMBEDDED_RESOURCE = "matbench_jdft2d.json.gz";

    private DatasetLoader() {}

    /** The embedded default dataset: matbench_jdft2d, exfoliation energy in meV/atom. */
    public static CrystalDataset embeddedDefault() {
        byte[] bytes = Sources.resource(DatasetLoader.class, EMBEDDED_RESOURCE);
        String source = "classpath:" + EMBEDDED_RESOURCE;
        try {
            StructureReaders.Content c =
                    StructureReaders.readJson(
                            () -> new ByteArrayInputStream(bytes),
                            source,
                            "matbench_jdft2d",
                            Sources.sha256(bytes));
            return build(c, source, MatbenchTask.JDFT2D);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Loads a labelled dataset from a file, or from a folder of structure files with an {@code
     * id_prop.csv} ({@link IdPropFolder}). The task is {@code task} when given, else recognised
     * from the file or folder name ({@code matbench_jdft2d...}) or the target column; other data
     * keep their column name ({@code target} for a folder) and an unknown unit.
     *
     * @throws InvalidInputException for unreadable files and entries without a target
     */
    public static CrystalDataset load(Path file, MatbenchTask task) {
        if (Files.isDirectory(file)) {
            IdPropFolder.Content folder = IdPropFolder.read(file);
            Path named = file.toAbsolutePath().normalize();
            MatbenchTask t = task != null ? task : recognise(named, null);
            return new CrystalDataset(
                    folder.entries(),
                    provenance(
                            file.toString(),
                            String.valueOf(named.getFileName()),
                            folder.sha256(),
                            t,
                            null));
        }
        StructureReaders.Content c = StructureReaders.read(file);
        MatbenchTask t = task != null ? task : recognise(file, c.targetName());
        return build(c, file.toString(), t);
    }

    /**
     * Loads a Matbench task from {@code cacheDir}, downloading its official file there first if it
     * is missing. The download goes to a temporary file and is renamed when complete.
     */
    public static CrystalDataset download(MatbenchTask task, Path cacheDir) throws IOException {
        Path file = cacheDir.resolve(task.taskName() + ".json.gz");
        if (!Files.exists(file)) {
            HttpClient client =
                    HttpClient.newBuilder()
                            .followRedirects(HttpClient.Redirect.NORMAL)
                            .connectTimeout(Duration.ofSeconds(30))
                            .build();
            HttpRequest request = HttpRequest.newBuilder(URI.create(task.url())).GET().build();
            try {
                HttpResponse<InputStream> response =
                        client.send(request, HttpResponse.BodyHandlers.ofInputStream());
                if (response.statusCode() != 200) {
                    throw new IOException(
                            "GET " + task.url() + " answered HTTP " + response.statusCode());
                }
                try (InputStream in = response.body()) {
                    AtomicFiles.write(file, in::transferTo);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("download of " + task.url() + " interrupted", e);
            }
        }
        return load(file, task);
    }

    private static MatbenchTask recognise(Path file, String targetName) {
        Optional<MatbenchTask> named = MatbenchTask.ofFileName(file.getFileName().toString());
        if (named.isPresent()) {
            return named.get();
        }
        for (MatbenchTask t : MatbenchTask.values()) {
            if (t.targetName().equals(targetName)) {
                return t;
            }
        }
        return null;
    }

    private static CrystalDataset build(
            StructureReaders.Content c, String source, MatbenchTask task) {
        List<DatasetEntry> entries = new ArrayList<>(c.entries().size());
        for (StructureEntry e : c.entries()) {
            if (e.target().isEmpty()) {
                throw new InvalidInputException(source, e.id(), "entry has no target value");
            }
            entries.add(new DatasetEntry(e.id(), e.structure(), e.target().getAsDouble()));
        }
        if (task != null && c.targetName() != null && !task.targetName().equals(c.targetName())) {
            throw new InvalidInputException(
                    source,
                    null,
                    "target column '"
                            + c.targetName()
                            + "' is not "
                            + task.taskName()
                            + "'s '"
                            + task.targetName()
                            + "'");
        }
        String name = task == null ? String.valueOf(Path.of(source).getFileName()) : null;
        return new CrystalDataset(
                entries, provenance(source, name, c.sha256(), task, c.targetName()));
    }

    private static DatasetProvenance provenance(
            String source, String name, String sha256, MatbenchTask task, String targetName) {
        return task != null
                ? new DatasetProvenance(
                        source, sha256, task.taskName(), task.targetName(), task.unit())
                : new DatasetProvenance(
                        source,
                        sha256,
                        name,
                        targetName == null ? "target" : targetName,
                        DatasetProvenance.UNKNOWN_UNIT);
    }
}
