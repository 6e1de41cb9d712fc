package org.fusionml.train.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.metadata.IIOMetadataNode;
import javax.imageio.stream.ImageInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Node;

/** The axes, error bars and files of {@link Chart}. */
class ChartTest {
    @TempDir Path dir;

    private static final Pattern TEXT = Pattern.compile("<text [^>]*>([^<]*)</text>");

    /** The texts of an SVG document, in order. */
    private static List<String> texts(String svg) {
        List<String> out = new ArrayList<>();
        Matcher m = TEXT.matcher(svg);
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }

    @Test
    void anAxisOfOneValueSpansRoundNumbersAroundIt() {
        // 0 alone: -1 to 1 (bars: 0 to 1), not +-1e-12
        assertArrayEquals(new double[] {-1, 1}, Chart.span(0, 0, false), 0);
        assertArrayEquals(new double[] {0, 1}, Chart.span(0, 0, true), 0);
        assertEquals(
                List.of("-1.0", "-0.5", "0.0", "0.5", "1.0"), Chart.tickLabels(Chart.ticks(-1, 1)));
        assertEquals(List.of("0.0", "0.5", "1.0"), Chart.tickLabels(Chart.ticks(0, 1)));
        // 72 alone: +-10 % = 64.8 to 79.2, ticks every 5
        double[] s = Chart.span(72, 72, false);
        assertEquals(64.8, s[0], 1e-12);
        assertEquals(79.2, s[1], 1e-12);
        assertEquals(List.of("65", "70", "75"), Chart.tickLabels(Chart.ticks(s[0], s[1])));
        // a spread keeps the 8 % padding
        assertArrayEquals(new double[] {9.2, 20.8}, Chart.span(10, 20, false), 1e-12);
    }

    @Test
    void tickLabelsCarryTheDecimalsOfTheirStepAndNoRoundingResidue() {
        assertEquals(
                List.of("0.1", "0.2", "0.3", "0.4"),
                Chart.tickLabels(new double[] {0.1, 0.2, 0.30000000000000004, 0.4}));
        assertEquals(List.of("-20", "0", "20"), Chart.tickLabels(new double[] {-20, -0.0, 20}));
        assertEquals(
                List.of("0.00", "0.05", "0.10"), Chart.tickLabels(new double[] {1e-18, 0.05, 0.1}));
        assertEquals(List.of("0.00e+00", "5.00e-04"), Chart.tickLabels(new double[] {0, 5e-4}));
    }

    @Test
    void barsThatAreAllZeroGetADistinctReadableScale() {
        Chart bars =
                new Chart(
                        "t",
                        "architecture",
                        "optimal pruning ratio (%)",
                        List.of(
                                new Chart.Series(
                                        "optimal", new double[] {0, 1}, new double[] {0, 0})),
                        List.of("alignn", "cgcnn"),
                        true);
        List<String> labels = texts(bars.svg());
        List<String> ticks = labels.subList(1, labels.indexOf("alignn"));
        assertEquals(List.of("0.0", "0.5", "1.0"), ticks);
        assertEquals(ticks.size(), new HashSet<>(ticks).size());
        for (String t : labels) {
            assertFalse(t.matches(".*\\de-\\d.*"), "tick label " + t);
        }
    }

    @Test
    void errorBarsAreDrawnFromMinusToPlusTheirHalfWidthAndWidenTheAxis() {
        // one point at y = 10 +- 4: the axis spans 6..14 padded by 8 % of 8 = 5.36..14.64
        Chart c =
                new Chart(
                        "t",
                        "x",
                        "y",
                        List.of(
                                new Chart.Series(
                                        "m",
                                        new double[] {0, 1},
                                        new double[] {10, 10},
                                        new double[] {4, Double.NaN},
                                        Chart.Style.LINE_AND_MARKERS)),
                        List.of(),
                        false,
                        "Error bars: 95 % confidence interval of the mean");
        String svg = c.svg();
        // plot 40..380 px for 5.36..14.64: y = 14 at 40 + 340 * 0.64 / 9.28, y = 6 at 380 - 340 *
        // 0.64 / 9.28; x 80..550 px for -0.03..1.03 (3 % each side): x = 0 at 80 + 470 * 0.03 /
        // 1.06
        double top = 40 + 340 * 0.64 / 9.28;
        double bottom = 380 - 340 * 0.64 / 9.28;
        double x0 = 80 + 470 * 0.03 / 1.06;
        String bar =
                String.format(
                        Locale.ROOT,
                        "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"",
                        x0,
                        bottom,
                        x0,
                        top);
        assertTrue(svg.contains(bar), bar + " in\n" + svg);
        // the NaN half-width of the second point draws no bar: no vertical line at its x
        double x1 = 80 + 470 * 1.03 / 1.06;
        String none = String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%.1f\"", x1, bottom);
        assertFalse(svg.contains(none), none + " in\n" + svg);
        List<String> t = texts(svg);
        assertTrue(t.contains("Error bars: 95 %"), t.toString()); // the caption, wrapped
        assertTrue(t.contains("confidence interval of"), t.toString());
    }

    @Test
    void pngFilesAre300DpiWithTheirResolutionRecorded() throws Exception {
        Chart c =
                new Chart(
                        "t",
                        "x (unit)",
                        "y (unit)",
                        List.of(new Chart.Series("a", new double[] {0, 1}, new double[] {1, 2})),
                        List.of(),
                        false);
        c.write(dir, "c");
        assertTrue(Files.readString(dir.resolve("c.svg")).contains("width=\"720\" height=\"440\""));
        byte[] png = Files.readAllBytes(dir.resolve("c.png"));
        ImageReader reader = ImageIO.getImageReadersByFormatName("png").next();
        try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(png))) {
            reader.setInput(in);
            assertEquals(2250, reader.getWidth(0)); // 720 px / 96 dpi * 300 dpi
            assertEquals(1375, reader.getHeight(0));
            IIOMetadataNode root =
                    (IIOMetadataNode) reader.getImageMetadata(0).getAsTree("javax_imageio_png_1.0");
            Node phys = root.getElementsByTagName("pHYs").item(0);
            // 300 / 0.0254 = 11811 pixels per metre
            assertEquals(
                    "11811",
                    phys.getAttributes().getNamedItem("pixelsPerUnitXAxis").getNodeValue());
            assertEquals(
                    "meter", phys.getAttributes().getNamedItem("unitSpecifier").getNodeValue());
        }
        assertEquals(720, ImageIO.read(new ByteArrayInputStream(c.png())).getWidth());
    }

    @Test
    void captionsWrapAtSpaces() {
        assertEquals(
                List.of("Error bars: 95 %", "confidence interval"),
                Chart.wrap("Error bars: 95 % confidence interval", 20));
    }
}
