package org.fusionml.train.trainer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class ProgressTest {
    @Test
    void offATerminalDecileLinesOrNothing() {
        StringWriter s = new StringWriter();
        Progress p = new Progress("cells", 20, new PrintWriter(s), true, false);
        for (int i = 0; i <= 20; i++) {
            p.update(i);
        }
        String[] lines = s.toString().split("\n");
        assertEquals(11, lines.length, s.toString());
        assertTrue(lines[0].startsWith("cells: 0/20 (0%) elapsed 00:00 ETA --:--"), lines[0]);
        assertTrue(
                lines[10].startsWith("cells: 20/20 (100%)") && lines[10].endsWith("ETA 00:00"),
                lines[10]);

        StringWriter quiet = new StringWriter();
        Progress q = new Progress("epoch 1/3", 20, new PrintWriter(quiet), false, false);
        q.update(10);
        q.println("a log line");
        q.update(20);
        assertEquals("a log line\n", quiet.toString(), "without deciles only the caller's lines");
    }

    @Test
    void onATerminalTheBarIsRedrawnInPlaceAndLogLinesGoAboveIt() {
        StringWriter s = new StringWriter();
        Progress p = new Progress("cells", 4, new PrintWriter(s), true, true);
        p.update(2);
        p.println("cell 2/4 done");
        p.update(4);
        String out = s.toString();
        assertTrue(out.startsWith("\rcells [###############               ] 2/4 "), out);
        assertTrue(
                out.contains(
                        "\r\033[Kcell 2/4 done\n\rcells [###############               ] 2/4 "),
                "cleared, logged, redrawn: " + out);
        assertTrue(
                out.endsWith("] 4/4 00:00 ETA 00:00\n"), "the finished bar ends its line: " + out);
        assertEquals("1:01:05", Progress.time(3665));
        assertEquals("01:05", Progress.time(65));
    }
}
