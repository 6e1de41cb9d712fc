package org.fusionml.train.score;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.fusionml.data.InvalidInputException;
import org.fusionml.data.io.AtomicFiles;
import org.fusionml.train.trainer.Predictions;

/**
 * The per-structure scores of a FUSION run as a CSV file (RFC 4180 quoting, through Jackson CSV):
 * written by {@code fusion score} and the loop, read by {@code fusion prune} and by anyone who
 * re-analyses a pruning without retraining. Reading needs only the columns {@code id} and {@code
 * influence} (a user's own scores); the other columns may be absent.
 */
public final class ScoresTable {
    private static final CsvMapper CSV = new CsvMapper();

    /**
     * One candidate's row.
     *
     * @param id structure id
     * @param gamma surrogate prediction, target unit (NaN when not known)
     * @param nu NIG nu
     * @param alpha NIG alpha
     * @param beta NIG beta in the surrogate's standardised units (what Eq. 3 reads)
     * @param uncertainty U (Eq. 3)
     * @param weighting W (Eq. 5)
     * @param influence I = U / W (Eq. 6), >= 0 (0 where Eq. 3 underflows)
     * @param nearest id of the nearest other candidate in fingerprint space (empty when not known)
     * @param distance its distance (cosine or Euclidean, as the run's weighting)
     */
    @JsonPropertyOrder({
        "id",
        "gamma",
        "nu",
        "alpha",
        "beta",
        "uncertainty",
        "weighting",
        "influence",
        "nearest",
        "distance"
    })
    public record Row(
            @JsonProperty("id") String id,
            @JsonProperty("gamma") double gamma,
            @JsonProperty("nu") double nu,
            @JsonProperty("alpha") double alpha,
            @JsonProperty("beta") double beta,
            @JsonProperty("uncertainty") double uncertainty,
            @JsonProperty("weighting") double weighting,
            @JsonProperty("influence") double influence,
            @JsonProperty("nearest") String nearest,
            @JsonProperty("distance") double distance) {}

    private ScoresTable() {}

    /** Writes {@code rows} with a header, atomically. */
    public static void write(Path file, List<Row> rows) throws IOException {
        CsvSchema schema = CSV.schemaFor(Row.class).withHeader();
        StringWriter out = new StringWriter();
        CSV.writer(schema).writeValue(out, rows);
        AtomicFiles.writeString(file, out.toString());
    }

    /**
     * Reads a scores file: every row needs a unique, non-empty {@code id} and a finite {@code
     * influence} >= 0; columns that are absent read as NaN (numbers) or empty (ids).
     *
     * @throws InvalidInputException naming the file, the line and the problem
     */
    public static List<Row> read(Path file) throws IOException {
        String where = file.toString();
        List<Row> rows = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        try (MappingIterator<Map<String, String>> it =
                CSV.readerForMapOf(String.class)
                        .with(CsvSchema.emptySchema().withHeader())
                        .readValues(file.toFile())) {
            int line = 1;
            while (it.hasNextValue()) {
                Map<String, String> m = it.nextValue();
                line++;
                if (line == 2 && (!m.containsKey("id") || !m.containsKey("influence"))) {
                    throw new InvalidInputException(
                            where,
                            null,
                            "the header must name the columns id and influence, got " + m.keySet());
                }
                String id = m.get("id") == null ? "" : m.get("id").trim();
                String at = "line " + line;
                if (id.isEmpty()) {
                    throw new InvalidInputException(where, at, "empty id");
                }
                if (!seen.add(id)) {
                    throw new InvalidInputException(where, at, "id '" + id + "' is repeated");
                }
                double influence = number(m, "influence", where, at);
                if (!(influence >= 0) || !Double.isFinite(influence)) {
                    throw new InvalidInputException(
                            where,
                            at,
                            "influence " + influence + " must be non-negative and finite");
                }
                rows.add(
                        new Row(
                                id,
                                number(m, "gamma", where, at),
                                number(m, "nu", where, at),
                                number(m, "alpha", where, at),
                                number(m, "beta", where, at),
                                number(m, "uncertainty", where, at),
                                number(m, "weighting", where, at),
                                influence,
                                m.getOrDefault("nearest", ""),
                                number(m, "distance", where, at)));
            }
        } catch (NoSuchFileException e) {
            throw new InvalidInputException(where, null, "file not found");
        } catch (JacksonException e) {
            throw new InvalidInputException(
                    where, null, "not a CSV file: " + e.getOriginalMessage());
        }
        if (rows.isEmpty()) {
            throw new InvalidInputException(
                    where, null, Files.size(file) == 0 ? "empty file" : "no rows after the header");
        }
        return rows;
    }

    /**
     * The rows of scored candidates: {@code ids} and the surrogate's {@code predictions} in the
     * order of {@code table}'s rows.
     */
    public static List<Row> rows(
            List<String> ids, Predictions predictions, FusionScorer.Table table) {
        List<Row> rows = new ArrayList<>(ids.size());
        for (int k = 0; k < ids.size(); k++) {
            rows.add(
                    new Row(
                            ids.get(k),
                            predictions.prediction()[k],
                            predictions.nu()[k],
                            predictions.alpha()[k],
                            predictions.standardBeta()[k],
                            table.uncertainty()[k],
                            table.weighting()[k],
                            table.influence()[k],
                            ids.get(table.nearest()[k]),
                            table.distance()[k]));
        }
        return rows;
    }

    private static double number(Map<String, String> m, String column, String where, String at) {
        String v = m.get(column);
        if (v == null || v.isBlank()) {
            if (column.equals("influence")) {
                throw new InvalidInputException(where, at, "no influence");
            }
            return Double.NaN;
        }
        try {
            return Double.parseDouble(v.trim());
        } catch (NumberFormatException e) {
            throw new InvalidInputException(
                    where, at, column + " '" + v.trim() + "' is not a number");
        }
    }

    /**
     * The fraction of {@code removed} structures (ids) whose nearest other candidate (the {@code
     * nearest} column of {@code rows}) was removed too; NaN when nothing was removed or a removed
     * structure has no row or no nearest neighbour recorded. Near 1: whole neighbourhoods
     * (clusters) were removed; near 0: one of each pair of near-duplicates.
     */
    public static double neighbourLoss(List<Row> rows, Collection<String> removed) {
        if (removed.isEmpty()) {
            return Double.NaN;
        }
        Set<String> gone = new HashSet<>(removed);
        Map<String, String> nearest = new HashMap<>();
        for (ScoresTable.Row r : rows) {
            nearest.put(r.id(), r.nearest());
        }
        int lost = 0;
        for (String id : gone) {
            String neighbour = nearest.get(id);
            if (neighbour == null || neighbour.isEmpty()) {
                return Double.NaN;
            }
            if (gone.contains(neighbour)) {
                lost++;
            }
        }
        return (double) lost / gone.size();
    }
}
