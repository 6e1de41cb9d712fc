package org.fusionml.data.io;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.SequenceWriter;
import com.fasterxml.jackson.dataformat.csv.CsvGenerator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.fusionml.data.InvalidInputException;

/**
 * A CSV table of text cells, written and read through Jackson CSV (RFC 4180): a cell is quoted only
 * when it must be (it holds a comma, a double quote, a line break, or leading or trailing space), a
 * double quote inside a quoted cell is doubled, and lines end in {@code \n}. A table whose cells
 * need no quoting is written exactly as {@code String.join(",", cells)} per line.
 *
 * <p>Cells are text: callers format numbers themselves (a column's precision is theirs to choose).
 */
public final class CsvTable {
    private static final CsvMapper CSV =
            CsvMapper.builder()
                    .enable(CsvGenerator.Feature.STRICT_CHECK_FOR_QUOTING)
                    .enable(CsvParser.Feature.WRAP_AS_ARRAY)
                    .build();

    private final List<String> header;
    private final List<List<String>> rows = new ArrayList<>();

    /** An empty table with these column names. */
    public CsvTable(List<String> header) {
        if (header.isEmpty()) {
            throw new IllegalArgumentException("a CSV table needs at least one column");
        }
        this.header = List.copyOf(header);
    }

    public CsvTable(String... header) {
        this(Arrays.asList(header));
    }

    public List<String> header() {
        return header;
    }

    /** The rows so far (unmodifiable). */
    public List<List<String>> rows() {
        return List.copyOf(rows);
    }

    /**
     * Adds a row; null cells are written empty.
     *
     * @throws IllegalArgumentException when the row has another number of cells than the header
     */
    public CsvTable add(List<String> cells) {
        if (cells.size() != header.size()) {
            throw new IllegalArgumentException(
                    "row has " + cells.size() + " cells, the header " + header.size());
        }
        List<String> row = new ArrayList<>(cells.size());
        cells.forEach(c -> row.add(c == null ? "" : c));
        rows.add(List.copyOf(row));
        return this;
    }

    public CsvTable add(String... cells) {
        return add(Arrays.asList(cells));
    }

    /** Writes the header and every row to {@code out}. */
    public void write(Writer out) throws IOException {
        try (SequenceWriter w =
                CSV.writerFor(String[].class).with(CsvSchema.emptySchema()).writeValues(out)) {
            w.write(header.toArray(String[]::new));
            for (List<String> r : rows) {
                w.write(r.toArray(String[]::new));
            }
        }
    }

    /** The whole table as text. */
    public String text() {
        StringWriter out = new StringWriter();
        try {
            write(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    /** Writes the table into {@code file}, atomically. */
    public void write(Path file) throws IOException {
        AtomicFiles.writeString(file, text());
    }

    /**
     * Reads a CSV file with a header line (quoted cells allowed).
     *
     * @throws InvalidInputException when the file is missing, empty, not CSV, or a row has another
     *     number of cells than the header (naming its line)
     */
    public static CsvTable read(Path file) throws IOException {
        String where = file.toString();
        List<String[]> lines = new ArrayList<>();
        try (MappingIterator<String[]> it =
                CSV.readerFor(String[].class)
                        .with(CsvSchema.emptySchema())
                        .readValues(file.toFile())) {
            while (it.hasNextValue()) {
                lines.add(it.nextValue());
            }
        } catch (NoSuchFileException e) {
            throw new InvalidInputException(where, null, "file not found");
        } catch (JacksonException e) {
            throw new InvalidInputException(
                    where, null, "not a CSV file: " + e.getOriginalMessage());
        }
        if (lines.isEmpty()) {
            throw new InvalidInputException(where, null, "empty file");
        }
        CsvTable t = new CsvTable(lines.get(0));
        for (int i = 1; i < lines.size(); i++) {
            if (lines.get(i).length != t.header.size()) {
                throw new InvalidInputException(
                        where,
                        "row " + i,
                        lines.get(i).length + " cells, the header has " + t.header.size());
            }
            t.add(lines.get(i));
        }
        return t;
    }
}
