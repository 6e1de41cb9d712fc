package org.fusionml.train.report;

import java.awt.Color;

/** What a {@link Chart} draws with: lines, rectangles and anchored text, in pixels. */
interface Canvas {
    void line(double x1, double y1, double x2, double y2, Color c, float width);

    /** A dashed line (dashes and gaps of 6 px). */
    void dashedLine(double x1, double y1, double x2, double y2, Color c, float width);

    void rect(double x, double y, double w, double h, Color c, boolean fill);

    /** anchor: start, middle, end, or vertical (rotated, centred). */
    void text(double x, double y, String s, int size, String anchor, Color c);
}
