package org.fusionml.train.report;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.metadata.IIOMetadataNode;
import javax.imageio.stream.ImageOutputStream;
import org.fusionml.data.io.AtomicFiles;

/**
 * A small line, scatter or bar chart written as SVG and PNG from one layout: the drawing code
 * targets a {@link Canvas}, implemented once for SVG text and once for a headless {@link
 * Graphics2D}. The SVG is 720 x 440 px (7.5 x 4.58 in at the 96 px/in of SVG); the PNG file is the
 * same drawing at {@link #PNG_DPI} dpi (2250 x 1375 px, with its resolution in the PNG's pHYs
 * chunk), for print.
 *
 * @param title title above the plot
 * @param xLabel x-axis label, with its unit
 * @param yLabel y-axis label, with its unit
 * @param series the data; for bars, one series whose x values are category positions 0, 1, ...
 * @param categories bar labels (bars only), else empty
 * @param bars whether to draw bars instead of lines with markers
 * @param caption a note under the legend (what error bars show, say); empty for none
 */
public record Chart(
        String title,
        String xLabel,
        String yLabel,
        List<Series> series,
        List<String> categories,
        boolean bars,
        String caption) {
    /** Resolution of the PNG files {@link #write} writes. */
    public static final int PNG_DPI = 300;

    private static final int W = 720;
    private static final int H = 440;
    private static final int LEFT = 80;
    private static final int RIGHT = 170;
    private static final int TOP = 40;
    private static final int BOTTOM = 60;
    private static final int PW = W - LEFT - RIGHT; // plot width
    private static final int PH = H - TOP - BOTTOM; // plot height
    private static final int CAPTION_CHARS = 23; // a caption line fits the legend column
    private static final double X_PAD = 0.03; // of the x range, each side: no point on the axis
    private static final double DODGE = 3.5; // px between series with error bars at one x
    private static final Color[] PALETTE = {
        new Color(0xd62728),
        new Color(0x1f77b4),
        new Color(0x2ca02c),
        new Color(0xff7f0e),
        new Color(0x9467bd),
        new Color(0x8c564b),
        new Color(0xe377c2),
        new Color(0x7f7f7f),
        new Color(0x17becf)
    };

    public Chart {
        Objects.requireNonNull(series, "series");
        categories = List.copyOf(categories);
        caption = caption == null ? "" : caption;
    }

    /** A chart without a caption. */
    public Chart(
            String title,
            String xLabel,
            String yLabel,
            List<Series> series,
            List<String> categories,
            boolean bars) {
        this(title, xLabel, yLabel, series, categories, bars, "");
    }

    /** How a series is drawn. */
    public enum Style {
        /** Points joined by a line, with a marker at each. */
        LINE_AND_MARKERS,
        /** Points joined by a line, no markers (dense curves). */
        LINE,
        /** A dashed line, no markers (references such as y = x). */
        DASHED,
        /** Markers only (scatter). */
        MARKERS
    }

    /**
     * One named line (or the bars).
     *
     * @param name legend entry
     * @param x [n] x values
     * @param y [n] y values; a non-finite value is a gap
     * @param yError [n] half-lengths of vertical error bars (NaN: no bar at that point), or null
     * @param style how the points are drawn
     */
    public record Series(String name, double[] x, double[] y, double[] yError, Style style) {
        public Series {
            if (x.length != y.length || (yError != null && yError.length != y.length)) {
                throw new IllegalArgumentException(
                        "series '"
                                + name
                                + "': x, y and error bars need one value per point, got "
                                + x.length
                                + ", "
                                + y.length
                                + (yError == null ? "" : ", " + yError.length));
            }
            style = style == null ? Style.LINE_AND_MARKERS : style;
        }

        /** Points joined by a line, with markers, without error bars. */
        public Series(String name, double[] x, double[] y) {
            this(name, x, y, null, Style.LINE_AND_MARKERS);
        }

        /** The error bar of point {@code i}: 0 without one. */
        double error(int i) {
            return yError == null || !Double.isFinite(yError[i]) ? 0 : yError[i];
        }
    }

    /** Writes {@code base}.svg and {@code base}.png ({@link #PNG_DPI} dpi) atomically. */
    public void write(Path dir, String base) throws IOException {
        AtomicFiles.writeString(dir.resolve(base + ".svg"), svg());
        BufferedImage img = image(PNG_DPI / 96.0);
        AtomicFiles.write(dir.resolve(base + ".png"), out -> writePng(img, PNG_DPI, out));
    }

    /** The chart as an SVG document (720 x 440 px). */
    public String svg() {
        SvgCanvas svg = new SvgCanvas(W, H);
        draw(svg);
        return svg.finish();
    }

    /** The chart as PNG bytes at screen size (720 x 440 px, 96 dpi), drawn headless. */
    public byte[] png() {
        return png(96);
    }

    /**
     * The chart as PNG bytes at {@code dpi}: the 7.5 x 4.58 in drawing, 720 dpi / 96 pixels wide,
     * the resolution recorded in the PNG's pHYs chunk.
     */
    public byte[] png(int dpi) {
        if (dpi < 1 || dpi > 1200) {
            throw new IllegalArgumentException("dpi (" + dpi + ") must lie in 1..1200");
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            writePng(image(dpi / 96.0), dpi, out);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // writing to memory
        }
        return out.toByteArray();
    }

    private BufferedImage image(double scale) {
        BufferedImage img =
                new BufferedImage(
                        (int) Math.round(W * scale),
                        (int) Math.round(H * scale),
                        BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(
                RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setRenderingHint(
                RenderingHints.KEY_FRACTIONALMETRICS, RenderingHints.VALUE_FRACTIONALMETRICS_ON);
        g.scale(scale, scale);
        draw(new PngCanvas(g));
        g.dispose();
        return img;
    }

    /** PNG with a pHYs chunk of {@code dpi} (pixels per metre, as PNG counts them). */
    private static void writePng(BufferedImage img, int dpi, OutputStream out) throws IOException {
        ImageWriter writer = ImageIO.getImageWritersByFormatName("png").next();
        try (ImageOutputStream stream = ImageIO.createImageOutputStream(out)) {
            ImageWriteParam param = writer.getDefaultWriteParam();
            IIOMetadata meta =
                    writer.getDefaultImageMetadata(
                            ImageTypeSpecifier.createFromRenderedImage(img), param);
            String perMetre = Long.toString(Math.round(dpi / 0.0254));
            IIOMetadataNode phys = new IIOMetadataNode("pHYs");
            phys.setAttribute("pixelsPerUnitXAxis", perMetre);
            phys.setAttribute("pixelsPerUnitYAxis", perMetre);
            phys.setAttribute("unitSpecifier", "meter");
            IIOMetadataNode root = new IIOMetadataNode("javax_imageio_png_1.0");
            root.appendChild(phys);
            meta.mergeTree("javax_imageio_png_1.0", root);
            writer.setOutput(stream);
            writer.write(null, new IIOImage(img, null, meta), param);
        } finally {
            writer.dispose();
        }
    }

    private void draw(Canvas c) {
        c.rect(0, 0, W, H, Color.WHITE, true);
        Plot p = plotRange();
        drawTitleAndAxes(c);
        drawYTicks(c, p);
        if (bars) {
            drawCategoryLabels(c, p);
        } else {
            drawXTicks(c, p);
        }
        drawAxisLabels(c);
        int legendLines = 0;
        boolean errorBars = series.stream().anyMatch(s -> s.yError != null);
        for (int k = 0; k < series.size(); k++) {
            Series s = series.get(k);
            Color col = PALETTE[k % PALETTE.length];
            if (bars) {
                drawBars(c, p, s, col);
            } else {
                // series with error bars side by side, DODGE px apart, so that bars at one x
                // do not hide each other
                double dx = errorBars ? (k - (series.size() - 1) / 2.0) * DODGE : 0;
                drawErrorBars(c, p, s, col, dx);
                drawLine(c, p, s, col, dx);
                drawLegendEntry(c, k, s, col);
                legendLines++;
            }
        }
        drawCaption(c, legendLines);
    }

    /**
     * The data ranges the axes span: the finite points (with their error bars) padded by 8 %
     * vertically (bars from 0 and one slot per category), 0 to 1 without finite points; see {@link
     * #span} for a range of one value.
     */
    private Plot plotRange() {
        double xMin = Double.POSITIVE_INFINITY;
        double xMax = Double.NEGATIVE_INFINITY;
        double yMin = Double.POSITIVE_INFINITY;
        double yMax = Double.NEGATIVE_INFINITY;
        for (Series s : series) {
            for (int i = 0; i < s.x.length; i++) {
                if (Double.isFinite(s.y[i]) && Double.isFinite(s.x[i])) {
                    xMin = Math.min(xMin, s.x[i]);
                    xMax = Math.max(xMax, s.x[i]);
                    yMin = Math.min(yMin, s.y[i] - s.error(i));
                    yMax = Math.max(yMax, s.y[i] + s.error(i));
                }
            }
        }
        if (!Double.isFinite(yMax)) {
            xMin = 0;
            xMax = 1;
            yMin = 0;
            yMax = 1;
        }
        double[] y =
                bars ? span(Math.min(0, yMin), Math.max(0, yMax), true) : span(yMin, yMax, false);
        double[] x =
                bars
                        ? new double[] {-0.5, categories.size() - 0.5}
                        : xMin == xMax
                                ? span(xMin, xMax, false)
                                : new double[] {
                                    xMin - X_PAD * (xMax - xMin), xMax + X_PAD * (xMax - xMin)
                                };
        return new Plot(x[0], x[1], y[0], y[1]);
    }

    /**
     * The range an axis shows for data from {@code lo} to {@code hi}: padded by 8 % of the range on
     * each side (only above when {@code fromZero}, for bars); a single value v gets 10 % of |v|
     * either side, or -1 to 1 around 0 (0 to 1 when {@code fromZero}), so that its tick labels are
     * numbers a reader can use rather than a rounding error's 1e-12.
     */
    static double[] span(double lo, double hi, boolean fromZero) {
        double pad;
        if (hi > lo) {
            pad = 0.08 * (hi - lo);
        } else {
            pad = lo == 0 ? 1 : 0.1 * Math.abs(lo);
        }
        return new double[] {fromZero ? lo : lo - pad, hi + pad};
    }

    private void drawTitleAndAxes(Canvas c) {
        c.text(W / 2.0 - RIGHT / 2.0, 24, title, 15, "middle", Color.BLACK);
        c.line(LEFT, TOP + PH, LEFT + PW, TOP + PH, Color.BLACK, 1);
        c.line(LEFT, TOP, LEFT, TOP + PH, Color.BLACK, 1);
    }

    /** Horizontal grid lines with their labels. */
    private static void drawYTicks(Canvas c, Plot p) {
        double[] ticks = ticks(p.y0, p.y1);
        List<String> labels = tickLabels(ticks);
        for (int i = 0; i < ticks.length; i++) {
            double py = p.sy(ticks[i]);
            c.line(LEFT - 4, py, LEFT + PW, py, new Color(0xdddddd), 1);
            c.text(LEFT - 8, py + 4, labels.get(i), 11, "end", Color.BLACK);
        }
    }

    /** The category names under the bars. */
    private void drawCategoryLabels(Canvas c, Plot p) {
        for (int i = 0; i < categories.size(); i++) {
            c.text(p.sx(i), TOP + PH + 18, categories.get(i), 11, "middle", Color.BLACK);
        }
    }

    /** Tick marks under the x axis with their labels. */
    private static void drawXTicks(Canvas c, Plot p) {
        double[] ticks = ticks(p.x0, p.x1);
        List<String> labels = tickLabels(ticks);
        for (int i = 0; i < ticks.length; i++) {
            double px = p.sx(ticks[i]);
            c.line(px, TOP + PH, px, TOP + PH + 4, Color.BLACK, 1);
            c.text(px, TOP + PH + 18, labels.get(i), 11, "middle", Color.BLACK);
        }
    }

    private void drawAxisLabels(Canvas c) {
        c.text(LEFT + PW / 2.0, H - 18, xLabel, 12, "middle", Color.BLACK);
        c.text(18, TOP + PH / 2.0, yLabel, 12, "vertical", Color.BLACK);
    }

    /** One bar per finite point, from 0 to its value, labelled with the value. */
    private void drawBars(Canvas c, Plot p, Series s, Color col) {
        for (int i = 0; i < s.x.length; i++) {
            if (!Double.isFinite(s.y[i])) {
                continue;
            }
            double px = p.sx(s.x[i]);
            double py = p.sy(s.y[i]);
            double base = p.sy(0);
            c.rect(
                    px - 0.3 * PW / categories.size(),
                    Math.min(py, base),
                    0.6 * PW / categories.size(),
                    Math.abs(base - py),
                    col,
                    true);
            c.text(px, Math.min(py, base) - 5, format(s.y[i]), 11, "middle", Color.BLACK);
        }
    }

    /** A vertical bar with end caps from y - e to y + e at every point with an error e > 0. */
    private static void drawErrorBars(Canvas c, Plot p, Series s, Color col, double dx) {
        for (int i = 0; i < s.x.length; i++) {
            double e = s.error(i);
            if (!Double.isFinite(s.y[i]) || !(e > 0)) {
                continue;
            }
            double px = p.sx(s.x[i]) + dx;
            double lo = p.sy(s.y[i] - e);
            double hi = p.sy(s.y[i] + e);
            c.line(px, lo, px, hi, col, 1);
            c.line(px - 4, lo, px + 4, lo, col, 1);
            c.line(px - 4, hi, px + 4, hi, col, 1);
        }
    }

    /**
     * The points in the series' style: markers, and lines from each finite point to the previous
     * one unless a non-finite point is between.
     */
    private static void drawLine(Canvas c, Plot p, Series s, Color col, double dx) {
        double prevX = Double.NaN;
        double prevY = Double.NaN;
        for (int i = 0; i < s.x.length; i++) {
            if (!Double.isFinite(s.y[i])) {
                prevX = Double.NaN;
                continue;
            }
            double px = p.sx(s.x[i]) + dx;
            double py = p.sy(s.y[i]);
            if (!Double.isNaN(prevX)) {
                switch (s.style) {
                    case LINE_AND_MARKERS, LINE -> c.line(prevX, prevY, px, py, col, 2);
                    case DASHED -> c.dashedLine(prevX, prevY, px, py, col, 1.5f);
                    case MARKERS -> {}
                }
            }
            if (s.style == Style.LINE_AND_MARKERS) {
                c.rect(px - 3, py - 3, 6, 6, col, true);
            } else if (s.style == Style.MARKERS) {
                c.rect(px - 2, py - 2, 4, 4, col, true);
            }
            prevX = px;
            prevY = py;
        }
    }

    /**
     * The {@code k}th entry of the legend right of the plot: a sample of the style and the name.
     */
    private static void drawLegendEntry(Canvas c, int k, Series s, Color col) {
        double ly = TOP + 10 + 20 * k;
        double x0 = LEFT + PW + 15;
        double x1 = LEFT + PW + 40;
        switch (s.style) {
            case LINE_AND_MARKERS -> {
                c.line(x0, ly, x1, ly, col, 2);
                c.rect((x0 + x1) / 2 - 3, ly - 3, 6, 6, col, true);
            }
            case LINE -> c.line(x0, ly, x1, ly, col, 2);
            case DASHED -> c.dashedLine(x0, ly, x1, ly, col, 1.5f);
            case MARKERS -> c.rect((x0 + x1) / 2 - 2, ly - 2, 4, 4, col, true);
        }
        c.text(LEFT + PW + 46, ly + 4, s.name, 12, "start", Color.BLACK);
    }

    /** The caption, wrapped into the legend column under {@code legendLines} entries. */
    private void drawCaption(Canvas c, int legendLines) {
        if (caption.isEmpty()) {
            return;
        }
        double y = TOP + 10 + 20 * legendLines + 16;
        for (String line : wrap(caption, CAPTION_CHARS)) {
            c.text(LEFT + PW + 15, y, line, 11, "start", new Color(0x333333));
            y += 15;
        }
    }

    /**
     * {@code text} broken at spaces into lines of at most {@code width} characters (a no-break
     * space, U+00A0, keeps its words together).
     */
    static List<String> wrap(String text, int width) {
        List<String> lines = new ArrayList<>();
        StringBuilder line = new StringBuilder();
        for (String word : text.split(" ")) {
            if (line.length() > 0 && line.length() + 1 + word.length() > width) {
                lines.add(line.toString());
                line.setLength(0);
            }
            if (line.length() > 0) {
                line.append(' ');
            }
            line.append(word);
        }
        if (line.length() > 0) {
            lines.add(line.toString());
        }
        return lines;
    }

    /** Round ticks (steps of 1, 2 or 5 times a power of ten) from lo to hi, about five of them. */
    static double[] ticks(double lo, double hi) {
        double step = tickStep(lo, hi);
        double first = Math.ceil(lo / step) * step;
        int n = (int) Math.floor((hi - first) / step + 1e-9) + 1;
        double[] out = new double[Math.max(0, n)];
        for (int i = 0; i < out.length; i++) {
            out[i] = first + i * step;
        }
        return out;
    }

    private static double tickStep(double lo, double hi) {
        double raw = (hi - lo) / 5;
        double mag = Math.pow(10, Math.floor(Math.log10(raw)));
        return raw / mag >= 5
                ? 10 * mag
                : raw / mag >= 2 ? 5 * mag : raw / mag >= 1 ? 2 * mag : mag;
    }

    /**
     * The labels of evenly spaced {@code ticks}: as many decimals as their step needs (none for
     * whole steps), 3 significant digits in scientific notation only for steps below 0.001 or
     * values of a million and more; never "-0".
     */
    static List<String> tickLabels(double[] ticks) {
        double step = ticks.length > 1 ? ticks[1] - ticks[0] : 1;
        double largest = 0;
        for (double t : ticks) {
            largest = Math.max(largest, Math.abs(t));
        }
        boolean scientific = step < 1e-3 || largest >= 1e6;
        int decimals = Math.max(0, (int) Math.ceil(-Math.log10(step) - 1e-9));
        List<String> labels = new ArrayList<>(ticks.length);
        for (double t : ticks) {
            double v = Math.abs(t) < step * 1e-6 ? 0 : t; // -0 and rounding residue of 0
            labels.add(
                    scientific
                            ? String.format(Locale.ROOT, "%.2e", v)
                            : String.format(Locale.ROOT, "%." + decimals + "f", v));
        }
        return labels;
    }

    private static String format(double v) {
        return Math.abs(v) >= 100 || v == Math.rint(v)
                ? String.format(Locale.ROOT, "%.0f", v)
                : String.format(Locale.ROOT, "%.3g", v);
    }

    /**
     * The data ranges the axes span, and the maps from data to pixel coordinates.
     *
     * @param x0 data x at the left edge of the plot
     * @param x1 data x at the right edge
     * @param y0 data y at the bottom edge
     * @param y1 data y at the top edge
     */
    private record Plot(double x0, double x1, double y0, double y1) {
        double sx(double x) {
            return LEFT + (x - x0) / (x1 - x0) * PW;
        }

        double sy(double y) {
            return TOP + PH - (y - y0) / (y1 - y0) * PH;
        }
    }
}
