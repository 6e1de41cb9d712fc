package org.fusionml.train.predict;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalDouble;
import java.util.stream.Stream;
import org.fusionml.data.InvalidInputException;
import org.fusionml.data.dataset.CrystalDataset;
import org.fusionml.data.dataset.DatasetLoader;
import org.fusionml.data.dataset.IdPropFolder;
import org.fusionml.data.structure.io.StructureEntry;
import org.fusionml.data.structure.io.StructureReaders;

/** The readers of {@code fusion predict}'s inputs, and reading many inputs at once. */
public final class StructureInputs {
    private StructureInputs() {}

    /**
     * A structure file in any format {@link StructureReaders} reads: a Matbench json(.gz) (with its
     * targets), pymatgen JSON, CIF (every data block), POSCAR/CONTCAR.
     */
    public static final StructureInput FILE =
            new StructureInput() {
                @Override
                public boolean accepts(Path path) {
                    return Files.isRegularFile(path);
                }

                @Override
                public List<InputStructure> read(Path path) {
                    String source = path.toString();
                    return StructureReaders.read(path).entries().stream()
                            .map(e -> new InputStructure(source, e))
                            .toList();
                }
            };

    /**
     * A folder of structure files, read in name order: the files (not sub-folders) whose names mark
     * them as structures ({@link #isStructureFile}); other files (a README, a CSV) are not read. A
     * folder with no structure file is an error.
     */
    public static final StructureInput FOLDER =
            new StructureInput() {
                @Override
                public boolean accepts(Path path) {
                    return Files.isDirectory(path);
                }

                @Override
                public List<InputStructure> read(Path path) {
                    List<Path> files;
                    try (Stream<Path> list = Files.list(path)) {
                        files =
                                list.filter(Files::isRegularFile)
                                        .filter(f -> isStructureFile(f.getFileName().toString()))
                                        .sorted()
                                        .toList();
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                    if (files.isEmpty()) {
                        throw new InvalidInputException(
                                path.toString(),
                                null,
                                "no structure files in the folder (*.cif, POSCAR*, CONTCAR*,"
                                        + " *.vasp, *.poscar, *.json, *.json.gz)");
                    }
                    List<InputStructure> out = new ArrayList<>();
                    files.forEach(f -> out.addAll(FILE.read(f)));
                    return out;
                }
            };

    /**
     * A dataset folder with an {@code id_prop.csv} (ALIGNN's and CGCNN's layout, {@link
     * IdPropFolder}): its structures in the table's order, with their targets.
     */
    public static final StructureInput ID_PROP_FOLDER =
            new StructureInput() {
                @Override
                public boolean accepts(Path path) {
                    return IdPropFolder.isIdPropFolder(path);
                }

                @Override
                public List<InputStructure> read(Path path) {
                    CrystalDataset d = DatasetLoader.load(path, null);
                    String source = path.toString();
                    return d.entries().stream()
                            .map(
                                    e ->
                                            new InputStructure(
                                                    source,
                                                    new StructureEntry(
                                                            e.id(),
                                                            e.structure(),
                                                            OptionalDouble.of(e.target()))))
                            .toList();
                }
            };

    /** The readers {@code fusion predict} uses, in order. */
    public static final List<StructureInput> DEFAULT = List.of(FILE, ID_PROP_FOLDER, FOLDER);

    /** Whether a file name marks a structure file that a folder's listing reads. */
    public static boolean isStructureFile(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        return n.endsWith(".cif")
                || n.startsWith("poscar")
                || n.startsWith("contcar")
                || n.endsWith(".vasp")
                || n.endsWith(".poscar")
                || n.endsWith(".json")
                || n.endsWith(".json.gz");
    }

    /**
     * Every structure of {@code paths}, in order, each read by the first of {@code readers} that
     * accepts it; no path: the embedded matbench_jdft2d (with its targets).
     *
     * @throws InvalidInputException for a path that no reader accepts (missing) and bad input
     */
    public static List<InputStructure> read(List<Path> paths, List<StructureInput> readers) {
        if (paths == null || paths.isEmpty()) {
            CrystalDataset d = DatasetLoader.embeddedDefault();
            String source = d.provenance().source();
            return d.entries().stream()
                    .map(
                            e ->
                                    new InputStructure(
                                            source,
                                            new StructureEntry(
                                                    e.id(),
                                                    e.structure(),
                                                    OptionalDouble.of(e.target()))))
                    .toList();
        }
        List<InputStructure> out = new ArrayList<>();
        for (Path p : paths) {
            StructureInput reader =
                    readers.stream()
                            .filter(r -> r.accepts(p))
                            .findFirst()
                            .orElseThrow(
                                    () ->
                                            new InvalidInputException(
                                                    p.toString(),
                                                    null,
                                                    Files.exists(p)
                                                            ? "neither a file nor a folder"
                                                            : "file not found"));
            out.addAll(reader.read(p));
        }
        return out;
    }
}
