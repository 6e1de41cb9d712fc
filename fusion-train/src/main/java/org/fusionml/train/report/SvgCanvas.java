package org.fusionml.train.report;

import java.awt.Color;
import java.util.Locale;

/** A {@link Canvas} that writes SVG elements; {@link #finish} closes the document. */
final class SvgCanvas implements Canvas {
    private final StringBuilder b;

    SvgCanvas(int width, int height) {
        b =
                new StringBuilder(
                        String.format(
                                Locale.ROOT,
                                "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\""
                                        + " height=\"%d\" viewBox=\"0 0 %d %d\""
                                        + " font-family=\"sans-serif\">%n",
                                width,
                                height,
                                width,
                                height));
    }

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

    public void dashedLine(double x1, double y1, double x2, double y2, Color c, float width) {
        b.append(
                String.format(
                        Locale.ROOT,
                        "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\""
                                + " stroke-width=\"%.1f\" stroke-dasharray=\"6 6\"/>%n",
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
