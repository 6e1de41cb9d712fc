package org.fusionml.train.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.geom.Line2D;
import java.awt.geom.Rectangle2D;

/** A {@link Canvas} that draws on a {@link Graphics2D} (the PNG). */
record PngCanvas(Graphics2D g) implements Canvas {
    public void line(double x1, double y1, double x2, double y2, Color c, float width) {
        g.setColor(c);
        g.setStroke(new BasicStroke(width));
        g.draw(new Line2D.Double(x1, y1, x2, y2));
    }

    public void dashedLine(double x1, double y1, double x2, double y2, Color c, float width) {
        g.setColor(c);
        g.setStroke(
                new BasicStroke(
                        width,
                        BasicStroke.CAP_BUTT,
                        BasicStroke.JOIN_MITER,
                        10,
                        new float[] {6, 6},
                        0));
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
