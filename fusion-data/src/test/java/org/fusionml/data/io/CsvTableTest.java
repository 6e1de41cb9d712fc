package org.fusionml.data.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.fusionml.data.InvalidInputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CsvTableTest {
    @TempDir Path dir;

    @Test
    void cellsThatNeedNoQuotingAreWrittenAsAPlainJoin() {
        CsvTable t = new CsvTable("architecture", "ratio", "mae", "p", "empty");
        t.add("alignn", "0.0500", "-42.125000", "1.2e-05", "");
        t.add("mp-1234", "1.0000", "+3.5", "NaN", "**MISSED**");
        assertEquals(
                "architecture,ratio,mae,p,empty\n"
                        + "alignn,0.0500,-42.125000,1.2e-05,\n"
                        + "mp-1234,1.0000,+3.5,NaN,**MISSED**\n",
                t.text());
    }

    @Test
    void commasQuotesAndLineBreaksAreQuotedAsRfc4180() {
        CsvTable t = new CsvTable("id", "value");
        t.add("Fe2O3, hematite", "1");
        t.add("the \"best\" one", "2");
        t.add("two\nlines", "3");
        assertEquals(
                "id,value\n"
                        + "\"Fe2O3, hematite\",1\n"
                        + "\"the \"\"best\"\" one\",2\n"
                        + "\"two\nlines\",3\n",
                t.text());
    }

    @Test
    void writeThenReadRoundTripsEveryCell() throws Exception {
        CsvTable t = new CsvTable("id", "with,comma", "value");
        t.add("a,b", "\"quoted\"", "1.5");
        t.add(" padded ", "x\r\ny", "");
        Path f = dir.resolve("t.csv");
        t.write(f);
        CsvTable back = CsvTable.read(f);
        assertEquals(t.header(), back.header());
        assertEquals(t.rows(), back.rows());
    }

    @Test
    void readsQuotedInputWrittenByOtherTools() throws Exception {
        Path f = dir.resolve("excel.csv");
        Files.writeString(f, "\"id\",\"influence\"\r\n\"mp-1, polymorph\",\"0.5\"\r\n");
        CsvTable t = CsvTable.read(f);
        assertEquals(List.of("id", "influence"), t.header());
        assertEquals(List.of(List.of("mp-1, polymorph", "0.5")), t.rows());
    }

    @Test
    void aRowOfTheWrongWidthIsAnErrorNamingTheRow() throws Exception {
        Path f = dir.resolve("bad.csv");
        Files.writeString(f, "id,value\na,1\nb,2,3\n");
        var e = assertThrows(InvalidInputException.class, () -> CsvTable.read(f));
        assertTrue(e.getMessage().contains("row 2"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new CsvTable("a", "b").add("1"));
    }
}
