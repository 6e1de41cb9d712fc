package org.fusionml.train.report;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;
import org.fusionml.data.io.AtomicFiles;

/**
 * A small line or bar chart written as SVG and PNG from one layout: the drawing code targets a
 * {@link Canvas}, implemented once for SVG text and once for a headless {@link Graphics2D}.
 *
 * @param title title above the plot
 * @param xLabel x-axis label
 * @param yLabel y-axis label
 * @param series the data; for bars, one series whose x values are category positions 0, 1, ...
 * @param categories bar labels (bars only), else empty
 * @param bars whether to draw bars instead of lines with markers
 */
public record Chart(
        String title,
        String xLabel,
        String yLabel,
        List<Series> series,
        List<String> categories,
        boolean bars) {
    private static final int W = 720;
    private static final int H = 440;
    private static final int LEFT = 80;
    private static final int RIGHT = 170;
    private static final int TOP = 40;
    private static final int BOTTOM = 60;
    private static final int PW = W - LEFT - RIGHT; // plot width
    private static final int PH = H - TOP - BOTTOM; // plot height
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

    /** One named line (or the bars). */
    public record Series(String name, double[] x, double[] y) {}

    /** Writes {@code base}.svg and {@code base}.png atomically. */
    public void write(Path dir, String base) throws IOException {
        AtomicFiles.writeString(dir.resolve(base + ".svg"), svg());
        BufferedImage img = image();
        AtomicFiles.write(dir.resolve(base + ".png"), out -> ImageIO.write(img, "png", out));
    }

    /** The chart as an SVG document (720 x 440 px). */
    public String svg() {
        SvgCanvas svg = new SvgCanvas(W, H);
        draw(svg);
        return svg.finish();
    }

    /** The chart as PNG bytes (720 x 440 px), drawn headless. */
    public byte[] png() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(image(), "png", out);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // writing to memory
        }
        return out.toByteArray();
    }

    private BufferedImage image() {
        BufferedImage img = new BufferedImage(W, H, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(
                RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        draw(new PngCanvas(g));
        g.dispose();
        return img;
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
        for (int k = 0; k < series.size(); k++) {
            Series s = series.get(k);
            Color col = PALETTE[k % PALETTE.length];
            if (bars) {
                drawBars(c, p, s, col);
            } else {
                drawLine(c, p, s, col);
                drawLegendEntry(c, k, s.name, col);
            }
        }
    }

    /**
     * The data ranges the axes span: the finite points padded by 8 % vertically (bars from 0 and
     * one slot per category), 0 to 1 without finite points, widened by 1 each way at a single x.
     */
    private Plot plotRange() {
        double xMin = Double.POSITIVE_INFINITY;
        double xMax = Double.NEGATIVE_INFINITY;
        double yMin = bars ? 0 : Double.POSITIVE_INFINITY;
        double yMax = Double.NEGATIVE_INFINITY;
        for (Series s : series) {
            for (int i = 0; i < s.x.length; i++) {
                if (Double.isFinite(s.y[i])) {
                    xMin = Math.min(xMin, s.x[i]);
                    xMax = Math.max(xMax, s.x[i]);
                    yMin = Math.min(yMin, s.y[i]);
                    yMax = Math.max(yMax, s.y[i]);
                }
            }
        }
        if (!Double.isFinite(yMax)) {
            xMin = 0;
            xMax = 1;
            yMin = 0;
            yMax = 1;
        }
        if (bars) {
            xMin = -0.5;
            xMax = categories.size() - 0.5;
        }
        double pad = (yMax - yMin) * 0.08 + 1e-12;
        double y0 = bars ? Math.min(0, yMin) : yMin - pad;
        double y1 = yMax + pad;
        double x0 = xMin == xMax ? xMin - 1 : xMin;
        double x1 = xMin == xMax ? xMax + 1 : xMax;
        return new Plot(x0, x1, y0, y1);
    }

    private void drawTitleAndAxes(Canvas c) {
        c.text(W / 2.0 - RIGHT / 2.0, 24, title, 15, "middle", Color.BLACK);
        c.line(LEFT, TOP + PH, LEFT + PW, TOP + PH, Color.BLACK, 1);
        c.line(LEFT, TOP, LEFT, TOP + PH, Color.BLACK, 1);
    }

    /** Horizontal grid lines with their labels. */
    private static void drawYTicks(Canvas c, Plot p) {
        for (double t : ticks(p.y0, p.y1)) {
            double py = p.sy(t);
            c.line(LEFT - 4, py, LEFT + PW, py, new Color(0xdddddd), 1);
            c.text(LEFT - 8, py + 4, format(t), 11, "end", Color.BLACK);
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
        for (double t : ticks(p.x0, p.x1)) {
            double px = p.sx(t);
            c.line(px, TOP + PH, px, TOP + PH + 4, Color.BLACK, 1);
            c.text(px, TOP + PH + 18, format(t), 11, "middle", Color.BLACK);
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

    /**
     * A marker per finite point, joined to the previous one unless a non-finite point is between.
     */
    private static void drawLine(Canvas c, Plot p, Series s, Color col) {
        double prevX = Double.NaN;
        double prevY = Double.NaN;
        for (int i = 0; i < s.x.length; i++) {
            if (!Double.isFinite(s.y[i])) {
                prevX = Double.NaN;
                continue;
            }
            double px = p.sx(s.x[i]);
            double py = p.sy(s.y[i]);
            if (!Double.isNaN(prevX)) {
                c.line(prevX, prevY, px, py, col, 2);
            }
            c.rect(px - 3, py - 3, 6, 6, col, true);
            prevX = px;
            prevY = py;
        }
    }

    /** The {@code k}th entry of the legend right of the plot: a line sample and the name. */
    private static void drawLegendEntry(Canvas c, int k, String name, Color col) {
        double ly = TOP + 10 + 20 * k;
        c.line(LEFT + PW + 15, ly, LEFT + PW + 40, ly, col, 2);
        c.text(LEFT + PW + 46, ly + 4, name, 12, "start", Color.BLACK);
    }

    private static double[] ticks(double lo, double hi) {
        double raw = (hi - lo) / 5;
        double mag = Math.pow(10, Math.floor(Math.log10(raw)));
        double step =
                raw / mag >= 5
                        ? 10 * mag
                        : raw / mag >= 2 ? 5 * mag : raw / mag >= 1 ? 2 * mag : mag;
        double first = Math.ceil(lo / step) * step;
        int n = (int) Math.floor((hi - first) / step + 1e-9) + 1;
        double[] out = new double[Math.max(0, n)];
        for (int i = 0; i < out.length; i++) {
            out[i] = first + i * step;
        }
        return out;
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
