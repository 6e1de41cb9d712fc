package org.fusionml.data.structure.io;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.zip.ZipException;
import org.fusionml.data.InvalidInputException;
import org.fusionml.data.io.Sources;
import org.fusionml.data.structure.Structure;

/**
 * Reads structures from any supported file, choosing the format from the name and content.
 *
 * <ul>
 *   <li>{@code *.cif}: CIF, one entry per data block;
 *   <li>{@code POSCAR*}, {@code CONTCAR*}, {@code *.vasp}, {@code *.poscar}: VASP 5;
 *   <li>anything else is JSON, gzip'd or not: a Matbench file ({@code {"index", "columns",
 *       "data"}}, streamed), one pymatgen structure dict, an object mapping names to dicts, or an
 *       array of dicts.
 * </ul>
 *
 * Every problem is reported as an {@link InvalidInputException} naming the file and the entry.
 */
public final class StructureReaders {
    /**
     * The JSON mapper used for structure files; accepts NaN tokens so that they can be reported.
     */
    public static final ObjectMapper JSON =
            JsonMapper.builder()
                    .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
                    .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                    .build();

    private StructureReaders() {}

    /** The content of a file: its entries, target column name (if any) and SHA-256. */
    public record Content(List<StructureEntry> entries, String targetName, String sha256) {}

    /**
     * {@code entries} when no two share an id.
     *
     * @throws InvalidInputException naming {@code source}, the id and both positions
     */
    private static List<StructureEntry> unique(List<StructureEntry> entries, String source) {
        Map<String, Integer> seen = new HashMap<>();
        for (int i = 0; i < entries.size(); i++) {
            Integer before = seen.putIfAbsent(entries.get(i).id(), i);
            if (before != null) {
                throw new InvalidInputException(
                        source,
                        entries.get(i).id(),
                        "repeated id (entries " + before + " and " + i + ")");
            }
        }
        return entries;
    }

    /** Reads every structure of {@code file}. */
    public static Content read(Path file) {
        String name = file.getFileName().toString();
        String lower = name.toLowerCase(Locale.ROOT);
        String source = file.toString();
        try {
            if (lower.endsWith(".cif")) {
                byte[] bytes = Files.readAllBytes(file);
                return new Content(
                        unique(
                                CifReader.read(new String(bytes, StandardCharsets.UTF_8), source),
                                source),
                        null,
                        Sources.sha256(bytes));
            }
            if (lower.startsWith("poscar")
                    || lower.startsWith("contcar")
                    || lower.endsWith(".vasp")
                    || lower.endsWith(".poscar")) {
                byte[] bytes = Files.readAllBytes(file);
                try {
                    Poscar.Parsed p = Poscar.read(new String(bytes, StandardCharsets.UTF_8));
                    String id = p.comment().isEmpty() ? name : p.comment();
                    return new Content(
                            List.of(new StructureEntry(id, p.structure(), OptionalDouble.empty())),
                            null,
                            Sources.sha256(bytes));
                } catch (IllegalArgumentException e) {
                    throw new InvalidInputException(source, null, e.getMessage(), e);
                }
            }
            return readJson(file, source);
        } catch (NoSuchFileException e) {
            throw new InvalidInputException(source, null, "file not found");
        } catch (IOException e) {
            throw new InvalidInputException(source, null, "cannot read: " + e.getMessage(), e);
        }
    }

    /** Opens a fresh stream over the same bytes each time it is called. */
    @FunctionalInterface
    public interface StreamSource {
        InputStream open() throws IOException;
    }

    private static Content readJson(Path file, String source) throws IOException {
        return readJson(() -> Files.newInputStream(file), source, stem(file), Sources.sha256(file));
    }

    /**
     * Reads JSON structures (gzip'd or not) from {@code bytes}, for example a class-path resource.
     *
     * @param source name used in messages
     * @param name id of a lone structure dict
     */
    public static Content readJson(StreamSource bytes, String source, String name, String sha256)
            throws IOException {
        boolean matbench;
        try (InputStream in = Sources.maybeGunzip(bytes.open());
                JsonParser p = JSON.getFactory().createParser(in)) {
            JsonToken first = p.nextToken();
            JsonToken second = first == JsonToken.START_OBJECT ? p.nextToken() : null;
            matbench =
                    second == JsonToken.FIELD_NAME
                            && List.of("index", "columns", "data").contains(p.currentName());
        } catch (IOException e) {
            throw wrap(source, null, e);
        }
        try (InputStream in = Sources.maybeGunzip(bytes.open())) {
            if (matbench) {
                MatbenchStream stream = new MatbenchStream(source);
                List<StructureEntry> entries = stream.read(in);
                return new Content(unique(entries, source), stream.targetName, sha256);
            }
            JsonNode root;
            try {
                root = JSON.readTree(in);
            } catch (IOException e) {
                throw wrap(source, null, e);
            }
            return new Content(unique(fromTree(root, source, name), source), null, sha256);
        }
    }

    private static List<StructureEntry> fromTree(JsonNode root, String source, String name) {
        List<StructureEntry> out = new ArrayList<>();
        if (root == null || root.isMissingNode()) {
            throw new InvalidInputException(source, null, "empty file");
        }
        if (PymatgenJson.looksLikeStructure(root)) {
            String id = name;
            out.add(new StructureEntry(id, parse(root, source, id), OptionalDouble.empty()));
        } else if (root.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                out.add(
                        new StructureEntry(
                                e.getKey(),
                                parse(e.getValue(), source, e.getKey()),
                                OptionalDouble.empty()));
            }
        } else if (root.isArray()) {
            for (int i = 0; i < root.size(); i++) {
                String id = String.valueOf(i);
                out.add(
                        new StructureEntry(
                                id, parse(root.get(i), source, id), OptionalDouble.empty()));
            }
        } else {
            throw new InvalidInputException(
                    source, null, "JSON is not a structure, a map or a list of structures");
        }
        if (out.isEmpty()) {
            throw new InvalidInputException(source, null, "no structures in file");
        }
        return out;
    }

    private static Structure parse(JsonNode node, String source, String id) {
        try {
            return PymatgenJson.read(node);
        } catch (IllegalArgumentException e) {
            throw InvalidInputException.at(source, id, e);
        }
    }

    private static String stem(Path file) {
        String n = file.getFileName().toString();
        for (String ext : new String[] {".json.gz", ".json", ".gz"}) {
            if (n.toLowerCase(Locale.ROOT).endsWith(ext)) {
                return n.substring(0, n.length() - ext.length());
            }
        }
        return n;
    }

    static InvalidInputException wrap(String source, String entry, IOException e) {
        if (e instanceof InvalidInputIo io) {
            return io.error;
        }
        if (e instanceof EOFException || e instanceof ZipException) {
            return new InvalidInputException(
                    source, entry, "truncated or corrupt gzip stream (" + e.getMessage() + ")", e);
        }
        if (e instanceof JsonProcessingException j) {
            String msg = j.getOriginalMessage().split("\n")[0];
            return new InvalidInputException(source, entry, "malformed JSON: " + msg, e);
        }
        return new InvalidInputException(source, entry, "cannot read: " + e.getMessage(), e);
    }

    /** Carries an InvalidInputException through code that only throws IOException. */
    private static final class InvalidInputIo extends IOException {
        private static final long serialVersionUID = 1L;
        final transient InvalidInputException error;

        InvalidInputIo(InvalidInputException error) {
            super(error.getMessage());
            this.error = error;
        }
    }

    /**
     * Streaming reader of the Matbench layout {"index": [...], "columns": [...], "data": [[s, y]]}.
     */
    private static final class MatbenchStream {
        final String source;
        List<String> index;
        List<String> columns;
        String targetName;

        MatbenchStream(String source) {
            this.source = source;
        }

        List<StructureEntry> read(InputStream in) {
            List<JsonNode> pendingStructures = new ArrayList<>();
            List<StructureEntry> entries = new ArrayList<>();
            int position = 0;
            try (JsonParser p = JSON.getFactory().createParser(in)) {
                p.nextToken();
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String field = p.currentName();
                    JsonToken value = p.nextToken();
                    switch (field) {
                        case "index" -> index = strings(JSON.readTree(p), "index");
                        case "columns" -> columns = strings(JSON.readTree(p), "columns");
                        case "data" -> {
                            if (value != JsonToken.START_ARRAY) {
                                throw new InvalidInputException(
                                        source, null, "'data' is not an array");
                            }
                            while (p.nextToken() != JsonToken.END_ARRAY) {
                                if (p.currentToken() == null) {
                                    throw new EOFException("end of input inside 'data'");
                                }
                                JsonNode row;
                                try {
                                    row = JSON.readTree(p);
                                } catch (IOException e) {
                                    throw new InvalidInputIo(wrap(source, entryName(position), e));
                                }
                                if (index == null) {
                                    pendingStructures.add(row);
                                } else {
                                    entries.add(entry(row, position));
                                }
                                position++;
                            }
                        }
                        default -> p.skipChildren();
                    }
                }
            } catch (IOException e) {
                throw wrap(source, index == null ? null : entryName(position), e);
            }
            if (index == null) {
                throw new InvalidInputException(source, null, "Matbench file has no 'index'");
            }
            for (int i = 0; i < pendingStructures.size(); i++) {
                entries.add(entry(pendingStructures.get(i), i));
            }
            if (entries.size() != index.size()) {
                throw new InvalidInputException(
                        source,
                        null,
                        "'index' has "
                                + index.size()
                                + " ids but 'data' has "
                                + entries.size()
                                + " rows");
            }
            return entries;
        }

        private String entryName(int position) {
            return index != null && position < index.size()
                    ? index.get(position)
                    : String.valueOf(position);
        }

        private StructureEntry entry(JsonNode row, int position) {
            String id = entryName(position);
            int structureColumn = columns == null ? 0 : columns.indexOf("structure");
            if (structureColumn < 0) {
                throw new InvalidInputException(
                        source, null, "Matbench file has no 'structure' column");
            }
            int targetColumn = -1;
            if (columns != null) {
                for (int c = 0; c < columns.size(); c++) {
                    if (c != structureColumn) {
                        targetColumn = c;
                        targetName = columns.get(c);
                        break;
                    }
                }
            } else if (row.size() > 1) {
                targetColumn = 1;
            }
            if (!row.isArray() || row.size() <= Math.max(structureColumn, targetColumn)) {
                throw new InvalidInputException(source, id, "data row is not [structure, target]");
            }
            Structure s = parse(row.get(structureColumn), source, id);
            OptionalDouble target = OptionalDouble.empty();
            if (targetColumn >= 0) {
                JsonNode y = row.get(targetColumn);
                if (!y.isNumber()) {
                    throw new InvalidInputException(source, id, "target is not a number: " + y);
                }
                if (!Double.isFinite(y.doubleValue())) {
                    throw new InvalidInputException(
                            source, id, "target is not finite (" + y.doubleValue() + ")");
                }
                target = OptionalDouble.of(y.doubleValue());
            }
            return new StructureEntry(id, s, target);
        }

        private List<String> strings(JsonNode node, String what) {
            if (!node.isArray()) {
                throw new InvalidInputException(source, null, "'" + what + "' is not an array");
            }
            List<String> out = new ArrayList<>(node.size());
            node.forEach(n -> out.add(n.asText()));
            return out;
        }
    }
}
