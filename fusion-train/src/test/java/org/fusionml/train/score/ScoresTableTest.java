package org.fusionml.train.score;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.fusionml.data.InvalidInputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ScoresTableTest {
    @TempDir Path dir;

    @Test
    void idsWithCommasAndQuotesSurviveARoundTrip() throws Exception {
        List<ScoresTable.Row> rows =
                List.of(
                        new ScoresTable.Row(
                                "a,b \"c\"", 1.5, 2, 3, 0.25, 0.4, 0.9, 0.4 / 0.9, "plain", 0.1),
                        new ScoresTable.Row(
                                "plain", -2, 1, 1.5, 4, 0.1, 0.5, 0.2, "a,b \"c\"", 0.3));
        Path f = dir.resolve("scores.csv");
        ScoresTable.write(f, rows);
        assertTrue(Files.readString(f).contains("\"a,b \"\"c\"\"\""), Files.readString(f));
        assertEquals(rows, ScoresTable.read(f));
    }

    @Test
    void aUsersOwnTwoColumnFileIsRead() throws Exception {
        Path f = Files.writeString(dir.resolve("own.csv"), "influence,id\n0.5,x\n2,y\n");
        List<ScoresTable.Row> rows = ScoresTable.read(f);
        assertEquals(List.of("x", "y"), rows.stream().map(ScoresTable.Row::id).toList());
        assertEquals(2.0, rows.get(1).influence());
        assertTrue(Double.isNaN(rows.get(0).uncertainty()));
    }

    /** An influence of 0 (Eq. 3's sigmoid underflowed) is a valid score, not bad input. */
    @Test
    void aZeroInfluenceIsRead() throws Exception {
        Path f = Files.writeString(dir.resolve("z.csv"), "id,influence\nx,0\ny,0.5\n");
        List<ScoresTable.Row> rows = ScoresTable.read(f);
        assertEquals(0.0, rows.get(0).influence(), 0);
        assertEquals(0.5, rows.get(1).influence(), 0);
    }

    @Test
    void badFilesNameTheLine() throws Exception {
        assertEquals(
                dir.resolve("h.csv") + ": no rows after the header",
                message(Files.writeString(dir.resolve("h.csv"), "id,influence\n")));
        assertEquals(
                dir.resolve("r.csv") + ": entry line 3: id 'x' is repeated",
                message(Files.writeString(dir.resolve("r.csv"), "id,influence\nx,1\nx,2\n")));
        assertEquals(
                dir.resolve("e.csv") + ": entry line 2: empty id",
                message(Files.writeString(dir.resolve("e.csv"), "id,influence\n,1\n")));
        assertEquals(
                dir.resolve("n.csv")
                        + ": entry line 2: influence -1.0 must be non-negative and finite",
                message(Files.writeString(dir.resolve("n.csv"), "id,influence\nx,-1\n")));
    }

    private static String message(Path f) {
        return assertThrows(InvalidInputException.class, () -> ScoresTable.read(f)).getMessage();
    }
}
