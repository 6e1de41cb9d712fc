package org.fusionml.train.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Line2D;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
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
        SvgCanvas svg = new SvgCanvas();
        draw(svg);
        return svg.finish();
    }

    /** The chart as PNG bytes (720 x 440 px), drawn headless. */
    public byte[] png() {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        try {
            ImageIO.write(image(), "png", out);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e); // writing to memory
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
        int pw = W - LEFT - RIGHT;
        int ph = H - TOP - BOTTOM;
        java.util.function.DoubleUnaryOperator sx = x -> LEFT + (x - x0) / (x1 - x0) * pw;
        java.util.function.DoubleUnaryOperator sy = y -> TOP + ph - (y - y0) / (y1 - y0) * ph;

        c.text(W / 2.0 - RIGHT / 2.0, 24, title, 15, "middle", Color.BLACK);
        c.line(LEFT, TOP + ph, LEFT + pw, TOP + ph, Color.BLACK, 1);
        c.line(LEFT, TOP, LEFT, TOP + ph, Color.BLACK, 1);
        for (double t : ticks(y0, y1)) {
            double py = sy.applyAsDouble(t);
            c.line(LEFT - 4, py, LEFT + pw, py, new Color(0xdddddd), 1);
            c.text(LEFT - 8, py + 4, format(t), 11, "end", Color.BLACK);
        }
        if (bars) {
            for (int i = 0; i < categories.size(); i++) {
                c.text(
                        sx.applyAsDouble(i),
                        TOP + ph + 18,
                        categories.get(i),
                        11,
                        "middle",
                        Color.BLACK);
            }
        } else {
            for (double t : ticks(x0, x1)) {
                double px = sx.applyAsDouble(t);
                c.line(px, TOP + ph, px, TOP + ph + 4, Color.BLACK, 1);
                c.text(px, TOP + ph + 18, format(t), 11, "middle", Color.BLACK);
            }
        }
        c.text(LEFT + pw / 2.0, H - 18, xLabel, 12, "middle", Color.BLACK);
        c.text(18, TOP + ph / 2.0, yLabel, 12, "vertical", Color.BLACK);

        for (int k = 0; k < series.size(); k++) {
            Series s = series.get(k);
            Color col = PALETTE[k % PALETTE.length];
            double prevX = Double.NaN;
            double prevY = Double.NaN;
            for (int i = 0; i < s.x.length; i++) {
                if (!Double.isFinite(s.y[i])) {
                    prevX = Double.NaN;
                    continue;
                }
                double px = sx.applyAsDouble(s.x[i]);
                double py = sy.applyAsDouble(s.y[i]);
                if (bars) {
                    double base = sy.applyAsDouble(0);
                    c.rect(
                            px - 0.3 * pw / categories.size(),
                            Math.min(py, base),
                            0.6 * pw / categories.size(),
                            Math.abs(base - py),
                            col,
                            true);
                    c.text(px, Math.min(py, base) - 5, format(s.y[i]), 11, "middle", Color.BLACK);
                    continue;
                }
                if (!Double.isNaN(prevX)) {
                    c.line(prevX, prevY, px, py, col, 2);
                }
                c.rect(px - 3, py - 3, 6, 6, col, true);
                prevX = px;
                prevY = py;
            }
            if (!bars) {
                double ly = TOP + 10 + 20 * k;
                c.line(LEFT + pw + 15, ly, LEFT + pw + 40, ly, col, 2);
                c.text(LEFT + pw + 46, ly + 4, s.name, 12, "start", Color.BLACK);
            }
        }
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

    /** What the chart draws with. */
    private interface Canvas {
        void line(double x1, double y1, double x2, double y2, Color c, float width);

        void rect(double x, double y, double w, double h, Color c, boolean fill);

        /** anchor: start, middle, end, or vertical (rotated, centred). */
        void text(double x, double y, String s, int size, String anchor, Color c);
    }

    private static final class SvgCanvas implements Canvas {
        private final StringBuilder b =
                new StringBuilder(
                        String.format(
                                Locale.ROOT,
                                "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\""
                                        + " height=\"%d\" viewBox=\"0 0 %d %d\""
                                        + " font-family=\"sans-serif\">%n",
                                W,
                                H,
                                W,
                                H));

        public void line(double x1, double y1, double x2, double y2, Color c, float width) {
            b.append(
                    String.format(
                            Locale.ROOT,
                            "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\""
                                    + " stroke-width=\"%.1f\"/>%n",
                            x1,
                            y1,
                            x2,
                            y2,
                            hex(c),
                            width));
        }

        public void rect(double x, double y, double w, double h, Color c, boolean fill) {
            b.append(
                    String.format(
                            Locale.ROOT,
                            "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\""
                                    + " %s=\"%s\"%s/>%n",
                            x,
                            y,
                            w,
                            h,
                            fill ? "fill" : "stroke",
                            hex(c),
                            fill ? "" : " fill=\"none\""));
        }

        public void text(double x, double y, String s, int size, String anchor, Color c) {
            String esc = s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
            if (anchor.equals("vertical")) {
                b.append(
                        String.format(
                                Locale.ROOT,
                                "<text x=\"%.1f\" y=\"%.1f\" font-size=\"%d\""
                                    + " text-anchor=\"middle\" transform=\"rotate(-90 %.1f %.1f)\""
                                    + " fill=\"%s\">%s</text>%n",
                                x,
                                y,
                                size,
                                x,
                                y,
                                hex(c),
                                esc));
            } else {
                b.append(
                        String.format(
                                Locale.ROOT,
                                "<text x=\"%.1f\" y=\"%.1f\" font-size=\"%d\" text-anchor=\"%s\""
                                        + " fill=\"%s\">%s</text>%n",
                                x,
                                y,
                                size,
                                anchor,
                                hex(c),
                                esc));
            }
        }

        String finish() {
            return b.append("</svg>\n").toString();
        }

        private static String hex(Color c) {
            return String.format("#%06x", c.getRGB() & 0xffffff);
        }
    }

    private record PngCanvas(Graphics2D g) implements Canvas {
        public void line(double x1, double y1, double x2, double y2, Color c, float width) {
            g.setColor(c);
            g.setStroke(new BasicStroke(width));
            g.draw(new Line2D.Double(x1, y1, x2, y2));
        }

        public void rect(double x, double y, double w, double h, Color c, boolean fill) {
            g.setColor(c);
            Rectangle2D r = new Rectangle2D.Double(x, y, w, h);
            if (fill) {
                g.fill(r);
            } else {
                g.draw(r);
            }
        }

        public void text(double x, double y, String s, int size, String anchor, Color c) {
            g.setColor(c);
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, size));
            double w = g.getFontMetrics().stringWidth(s);
            if (anchor.equals("vertical")) {
                var saved = g.getTransform();
                g.rotate(-Math.PI / 2, x, y);
                g.drawString(s, (float) (x - w / 2), (float) y);
                g.setTransform(saved);
                return;
            }
            double dx =
                    switch (anchor) {
                        case "middle" -> -w / 2;
                        case "end" -> -w;
                        default -> 0;
                    };
            g.drawString(s, (float) (x + dx), (float) y);
        }
    }
}
