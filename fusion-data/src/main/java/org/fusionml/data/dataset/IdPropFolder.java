package org.fusionml.data.dataset;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import org.fusionml.data.InvalidInputException;
import org.fusionml.data.io.Sources;
import org.fusionml.data.structure.Structure;
import org.fusionml.data.structure.io.CifReader;
import org.fusionml.data.structure.io.Poscar;
import org.fusionml.data.structure.io.StructureEntry;
import org.fusionml.data.structure.io.StructureReaders;

/**
 * A folder of structure files with an {@code id_prop.csv}, the convention of ALIGNN and CGCNN.
 *
 * <p>{@code id_prop.csv} has no header; each line is {@code NAME,TARGET}. {@code NAME} is the
 * structure file's name relative to the folder, with its extension or without one (ALIGNN), or an
 * id whose file is {@code NAME.cif} (CGCNN): the file {@code NAME} is read when it exists, else
 * {@code NAME.cif}. The format follows the extension ({@code .cif}; {@code .vasp}, {@code .poscar},
 * {@code POSCAR*}, {@code CONTCAR*}; {@code .json}, {@code .json.gz}: one pymatgen structure);
 * a file without a known extension is JSON when it starts with {@code {}, CIF when a line starts
 * with {@code data_}, else POSCAR (ALIGNN's default format). Each file holds one structure; the
 * entry's id is {@code NAME} as written. Blank lines are skipped; entries keep the order of the
 * lines.
 *
 * <p>The dataset's SHA-256 covers the folder's data: it is the SHA-256 of the text that lists, in
 * {@code sha256sum} layout ({@code HASH  NAME}), the SHA-256 of {@code id_prop.csv} and then of
 * every structure file in line order. Any change to a target, a structure file or which file a line
 * names changes it; files that no line names are not data and are not covered.
 */
public final class IdPropFolder {
    /** The name of the table of file names and targets. */
    public static final String ID_PROP = "id_prop.csv";

    /** A plain decimal number: what CGCNN's and ALIGNN's readers accept, without NaN or inf. */
    private static final Pattern NUMBER =
            Pattern.compile("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?");

    private IdPropFolder() {}

    /** True when {@code dir} is a folder with an {@code id_prop.csv}. */
    public static boolean isIdPropFolder(Path dir) {
        return Files.isDirectory(dir) && Files.isRegularFile(dir.resolve(ID_PROP));
    }

    /** The entries of a folder with their id_prop.csv line numbers, and the folder's SHA-256. */
    record Content(List<DatasetEntry> entries, String sha256) {}

    /**
     * Reads every line of {@code dir/id_prop.csv} and its structure file.
     *
     * @throws InvalidInputException naming {@code id_prop.csv}, the line ({@code FILE:LINE}), the
     *     entry and the problem: a line without two columns, a target that is not a finite number,
     *     a duplicate name, a missing, empty or unreadable structure file, or a file with other
     *     than one structure; a folder without {@code id_prop.csv} or without rows
     */
    static Content read(Path dir) {
        Path csv = dir.resolve(ID_PROP);
        byte[] table;
        try {
            table = Files.readAllBytes(csv);
        } catch (NoSuchFileException e) {
            throw new InvalidInputException(
                    dir.toString(), null, "not a dataset folder: it has no " + ID_PROP);
        } catch (IOException e) {
            throw new InvalidInputException(
                    csv.toString(), null, "cannot read: " + e.getMessage(), e);
        }
        StringBuilder manifest = new StringBuilder();
        manifest.append(Sources.sha256(table)).append("  ").append(ID_PROP).append('\n');
        String text = new String(table, StandardCharsets.UTF_8);
        if (text.startsWith("\uFEFF")) {
            text = text.substring(1);
        }
        String[] lines = text.split("\r?\n|\r", -1);
        List<DatasetEntry> entries = new ArrayList<>();
        Map<String, Integer> lineOfId = new HashMap<>();
        for (int k = 0; k < lines.length; k++) {
            String line = lines[k];
            if (line.isBlank()) {
                continue;
            }
            int lineNo = k + 1;
            String where = csv + ":" + lineNo;
            String[] cols = line.split(",", -1);
            if (cols.length != 2) {
                throw new InvalidInputException(
                        where,
                        null,
                        "expected 2 columns (structure file, target), found " + cols.length);
            }
            String name = cols[0].strip();
            String value = cols[1].strip();
            if (name.isEmpty()) {
                throw new InvalidInputException(where, null, "empty structure file name");
            }
            Integer before = lineOfId.putIfAbsent(name, lineNo);
            if (before != null) {
                throw new InvalidInputException(
                        where, name, "duplicate id (also on line " + before + ")");
            }
            if (!NUMBER.matcher(value).matches()) {
                throw new InvalidInputException(
                        where,
                        name,
                        "target '"
                                + value
                                + "' is not a number"
                                + (entries.isEmpty()
                                        ? " (" + ID_PROP + " has no header row)"
                                        : ""));
            }
            double target = Double.parseDouble(value);
            if (!Double.isFinite(target)) {
                throw new InvalidInputException(where, name, "target " + value + " is not finite");
            }
            Path file = structureFile(dir, name, where);
            byte[] bytes;
            try {
                bytes = Files.readAllBytes(file);
            } catch (IOException e) {
                throw new InvalidInputException(
                        where, name, file + ": cannot read: " + e.getMessage(), e);
            }
            Structure s;
            try {
                s = structure(file, bytes);
            } catch (InvalidInputException e) {
                throw new InvalidInputException(where, name, e.getMessage(), e);
            }
            manifest.append(Sources.sha256(bytes))
                    .append("  ")
                    .append(dir.relativize(file).toString().replace('\\', '/'))
                    .append('\n');
            entries.add(new DatasetEntry(name, s, target));
        }
        if (entries.isEmpty()) {
            throw new InvalidInputException(csv.toString(), null, "empty file: no rows");
        }
        MessageDigest md = Sources.sha256();
        md.update(manifest.toString().getBytes(StandardCharsets.UTF_8));
        return new Content(entries, Sources.hex(md));
    }

    /** The file {@code name} in {@code dir}, else {@code name.cif}. */
    private static Path structureFile(Path dir, String name, String where) {
        Path root = dir.toAbsolutePath().normalize();
        Path exact = dir.resolve(name);
        if (!exact.toAbsolutePath().normalize().startsWith(root)) {
            throw new InvalidInputException(
                    where, name, "structure file names must lie inside " + dir);
        }
        if (Files.isRegularFile(exact)) {
            return exact;
        }
        Path cif = dir.resolve(name + ".cif");
        if (Files.isRegularFile(cif)) {
            return cif;
        }
        throw new InvalidInputException(
                where, name, "missing structure file (neither " + exact + " nor " + cif + ")");
    }

    /** The one structure of {@code file}, whose content is {@code bytes}. */
    private static Structure structure(Path file, byte[] bytes) {
        String source = file.toString();
        String text = new String(bytes, StandardCharsets.UTF_8);
        if (text.isBlank()) {
            throw new InvalidInputException(source, null, "empty file");
        }
        List<Structure> found =
                switch (format(file.getFileName().toString(), bytes, text)) {
                    case CIF ->
                            CifReader.read(text, source).stream()
                                    .map(StructureEntry::structure)
                                    .toList();
                    case POSCAR -> {
                        try {
                            yield List.of(Poscar.read(text).structure());
                        } catch (IllegalArgumentException e) {
                            throw new InvalidInputException(source, null, e.getMessage(), e);
                        }
                    }
                    case JSON ->
                            StructureReaders.read(file).entries().stream()
                                    .map(StructureEntry::structure)
                                    .toList();
                };
        if (found.size() != 1) {
            throw new InvalidInputException(
                    source, null, "holds " + found.size() + " structures; one is expected");
        }
        return found.get(0);
    }

    private enum Format {
        CIF,
        POSCAR,
        JSON
    }

    private static Format format(String name, byte[] bytes, String text) {
        String n = name.toLowerCase(Locale.ROOT);
        if (n.endsWith(".cif")) {
            return Format.CIF;
        }
        if (n.startsWith("poscar")
                || n.startsWith("contcar")
                || n.endsWith(".vasp")
                || n.endsWith(".poscar")) {
            return Format.POSCAR;
        }
        if (n.endsWith(".json") || n.endsWith(".json.gz")) {
            return Format.JSON;
        }
        boolean gzip = bytes.length >= 2 && (bytes[0] & 0xff) == 0x1f && (bytes[1] & 0xff) == 0x8b;
        if (gzip || text.strip().startsWith("{")) {
            return Format.JSON;
        }
        for (String line : text.split("\r?\n|\r")) {
            if (line.strip().startsWith("data_")) {
                return Format.CIF;
            }
        }
        return Format.POSCAR;
    }
}
