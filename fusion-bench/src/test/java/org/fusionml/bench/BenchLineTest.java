package org.fusionml.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BenchLineTest {
    @Test
    void aLineIsWrittenInOrderAndReadBack() {
        Map<String, String> f = new LinkedHashMap<>();
        f.put("type", "cgcnn");
        f.put("structures_per_s", "12.50");
        f.put("reason", "reference.py exited 1: \"torch\" missing (all of it in /tmp/x)");
        f.put("ratio", BenchLine.NA);
        BenchLine line = new BenchLine("model_train", f);
        String text = line.toString();
        assertEquals(
                "bench model_train type=cgcnn structures_per_s=12.50 reason=\"reference.py exited"
                        + " 1: 'torch' missing (all of it in /tmp/x)\" ratio=na",
                text);
        BenchLine back = BenchLine.parse(text);
        assertEquals("model_train", back.what());
        assertEquals(
                List.of("type", "structures_per_s", "reason", "ratio"),
                List.copyOf(back.fields().keySet()));
        assertEquals(12.5, back.number("structures_per_s"));
        assertTrue(Double.isNaN(back.number("ratio")));
        assertEquals(
                "reference.py exited 1: 'torch' missing (all of it in /tmp/x)", back.get("reason"));
        assertEquals(back, BenchLine.parse(back.toString()), "a second round trip changes nothing");
    }

    @Test
    void linesOfTheOtherBenchmarksParse() {
        BenchLine alignn =
                BenchLine.parse(
                        "bench alignn_reference config=SMALL figure=train status=unavailable"
                                + " reason=\"missing /usr/bin/python3\"");
        assertEquals("alignn_reference", alignn.what());
        assertEquals("missing /usr/bin/python3", alignn.get("reason"));
        assertEquals("SMALL", alignn.get("config"));
        assertEquals(4, alignn.fields().size());
        assertEquals(0, BenchLine.parse("bench nothing").fields().size());
    }

    @Test
    void figuresHaveTheirDecimalsOrNa() {
        assertEquals("0.250", BenchLine.figure(10.0 / 40.0, 3));
        assertEquals("1234.57", BenchLine.figure(1234.5678, 2));
        assertEquals("na", BenchLine.figure(Double.NaN, 2));
        assertEquals("na", BenchLine.figure(3.0 / Double.NaN, 3));
    }

    @Test
    void malformedLinesAreRejectedWithTheReason() {
        assertMessage("not a bench line", () -> BenchLine.parse("model_train type=cgcnn"));
        assertMessage("token without '='", () -> BenchLine.parse("bench x type cgcnn"));
        assertMessage("no closing quote", () -> BenchLine.parse("bench x reason=\"open"));
        assertMessage("given twice", () -> BenchLine.parse("bench x a=1 a=2"));
        assertMessage("must match", () -> BenchLine.parse("bench x Type=1"));
        assertMessage("has no ratio", () -> BenchLine.parse("bench x a=1").get("ratio"));
        assertMessage("must match", () -> new BenchLine("model train", Map.of()));
        assertMessage("one non-empty line", () -> new BenchLine("x", Map.of("a", "")));
        assertMessage("one non-empty line", () -> new BenchLine("x", Map.of("a", "1\n2")));
    }

    private static void assertMessage(String part, Runnable r) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, r::run);
        assertTrue(e.getMessage().contains(part), e.getMessage());
    }
}
