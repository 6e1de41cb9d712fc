package org.fusionml.notebook;

import java.util.Base64;
import org.dflib.jjava.jupyter.kernel.display.DisplayData;

/**
 * Rich output for notebook cells, statically imported into every notebook. Return one of these as a
 * cell's last expression, or pass it to {@link #display(Object)} mid-cell:
 *
 * <pre>{@code
 * svg(chart.svg())            // an SVG drawing, inline
 * png(Files.readAllBytes(p))  // a PNG image, inline
 * markdown("| a | b |\n| --- | --- |\n| 1 | 2 |")
 * }</pre>
 */
public final class Display {
    private static volatile FusionKernel kernel;

    private Display() {}

    static void bind(FusionKernel k) {
        kernel = k;
    }

    /** Shows {@code value} now: display data as it is, anything else as its {@code toString()}. */
    public static void display(Object value) {
        FusionKernel k = kernel;
        if (k == null) {
            throw new IllegalStateException(
                    "display() works inside a running notebook kernel only");
        }
        k.display(value instanceof DisplayData d ? d : new DisplayData(String.valueOf(value)));
    }

    /** An SVG document (the text of an {@code <svg>} element). */
    public static DisplayData svg(String svg) {
        DisplayData d = new DisplayData("[SVG image, " + svg.length() + " characters]");
        d.putSVG(svg);
        return d;
    }

    /** A PNG image from its bytes. */
    public static DisplayData png(byte[] png) {
        DisplayData d = new DisplayData("[PNG image, " + png.length + " bytes]");
        d.putData("image/png", Base64.getEncoder().encodeToString(png));
        return d;
    }

    /** Markdown text (tables render as tables). */
    public static DisplayData markdown(String markdown) {
        DisplayData d = new DisplayData(markdown);
        d.putMarkdown(markdown);
        return d;
    }

    /** HTML. */
    public static DisplayData html(String html) {
        DisplayData d = new DisplayData(html);
        d.putHTML(html);
        return d;
    }
}
