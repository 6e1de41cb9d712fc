package org.fusionml.train.report;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.ToDoubleFunction;
import org.fusionml.data.io.AtomicFiles;
import org.fusionml.data.io.CsvTable;
import org.fusionml.train.loop.CellResult;

/**
 * What the tables of a {@link LoopReport} share: the grids of cell values they are computed from
 * (architecture -> method -> ratio -> pair key -> value), means, ratio labels, and writing a
 * table's Markdown and CSV files.
 */
final class Tables {
    private Tables() {}

    /** architecture -> method -> ratio -> pair key (seed/fold) -> test MAE. */
    static Map<String, Map<String, Map<Double, Map<String, Double>>>> byArchitecture(
            List<CellResult> cells) {
        return byArchitecture(cells, CellResult::testMae);
    }

    /** architecture -> method -> ratio -> pair key (seed/fold) -> {@code value} of the cell. */
    static Map<String, Map<String, Map<Double, Map<String, Double>>>> byArchitecture(
            List<CellResult> cells, ToDoubleFunction<CellResult> value) {
        Map<String, Map<String, Map<Double, Map<String, Double>>>> all = new TreeMap<>();
        for (CellResult c : cells) {
            all.computeIfAbsent(c.architecture(), k -> new TreeMap<>())
                    .computeIfAbsent(c.method(), k -> new TreeMap<>())
                    .computeIfAbsent(c.ratio(), k -> new TreeMap<>())
                    .put(c.pairKey(), value.applyAsDouble(c));
        }
        return all;
    }

    /** The ratio as a percentage, without decimals when whole at the printed precision. */
    static String percent(double r) {
        double p = 100 * r; // 0.07 * 100 = 7.000000000000001: compare at the printed precision
        return Math.abs(p - Math.rint(p)) < 1e-9
                ? String.format(Locale.ROOT, "%.0f", p)
                : String.format(Locale.ROOT, "%.1f", p);
    }

    /** The mean over the pair keys; NaN when there are none. */
    static double mean(Map<String, Double> v) {
        return average(v.values());
    }

    /** The mean of {@code values} in their order; NaN when there are none. */
    static double average(Collection<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
    }

    /** {@code format} applied to {@code args} with {@link Locale#ROOT}: one CSV cell. */
    /**
     * How many decimals show {@code magnitude} with four significant digits, and at least {@code
     * atLeast}: 68.03 and 0.08420 with two at least, so that tables in eV/cell or of a
     * dimensionless target keep the digits that tell methods apart.
     */
    static int decimals(double magnitude, int atLeast) {
        double a = Math.abs(magnitude);
        if (!(a > 0) || Double.isInfinite(a)) {
            return atLeast;
        }
        return Math.max(atLeast, 3 - (int) Math.floor(Math.log10(a)));
    }

    /** {@code x} with {@code decimals} decimals. */
    static String fixed(double x, int decimals) {
        return String.format(Locale.ROOT, "%." + decimals + "f", x);
    }

    /** {@code x} with four significant digits and at least {@code atLeast} decimals. */
    static String significant(double x, int atLeast) {
        return fixed(x, decimals(x, atLeast));
    }

    static String cell(String format, Object... args) {
        return String.format(Locale.ROOT, format, args);
    }

    /** Writes {@code name}.md, then {@code name}.csv, into {@code outDir}. */
    static void write(Path outDir, String name, CharSequence md, CsvTable csv) throws IOException {
        AtomicFiles.writeString(outDir.resolve(name + ".md"), md.toString());
        csv.write(outDir.resolve(name + ".csv"));
    }
}
