package org.fusionml.data.structure.io;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.fusionml.data.structure.Element;
import org.fusionml.data.structure.Lattice;
import org.fusionml.data.structure.Site;
import org.fusionml.data.structure.Structure;

/**
 * VASP 5 POSCAR / CONTCAR: comment, scale (negative = target volume in A^3), three lattice rows,
 * element symbols, counts, optional "Selective dynamics", "Direct" or "Cartesian", coordinates.
 * Symbols such as {@code Fe_pv} or {@code Fe/1a2b3c} (potential suffixes) are read as the element.
 */
public final class Poscar {
    private Poscar() {}

    /** A structure and the POSCAR comment line. */
    public record Parsed(String comment, Structure structure) {}

    /**
     * Parses POSCAR text.
     *
     * @throws IllegalArgumentException describing the first problem found
     */
    public static Parsed read(String text) {
        String[] lines = text.split("\r?\n|\r");
        if (lines.length < 8) {
            throw new IllegalArgumentException(
                    "POSCAR has " + lines.length + " lines, needs at least 8");
        }
        String comment = lines[0].trim();
        double scale = number(lines[1].trim().split("\\s+")[0], "scale (line 2)");
        double[][] m = new double[3][];
        for (int i = 0; i < 3; i++) {
            m[i] = numbers(lines[2 + i], 3, "lattice vector (line " + (3 + i) + ")");
        }
        Species species = species(lines[5], lines[6]);
        int line = 7;
        if (lines[line].trim().toLowerCase(Locale.ROOT).startsWith("s")) {
            line++;
        }
        boolean cartesian = isCartesian(lines[line], line);
        line++;
        double factor = scaleFactor(scale, m);
        for (double[] row : m) {
            for (int k = 0; k < 3; k++) {
                row[k] *= factor;
            }
        }
        Lattice lattice = Lattice.of(m);
        if (lines.length < (long) line + species.total()) {
            throw new IllegalArgumentException(
                    "POSCAR lists "
                            + species.total()
                            + " atoms but has "
                            + (lines.length - line)
                            + " coordinate lines");
        }
        List<Site> sites = sites(lines, line, species, cartesian, factor, lattice);
        return new Parsed(comment, StructureValidator.check(new Structure(lattice, sites)));
    }

    /**
     * Element symbols (line 6) and atom counts (line 7).
     *
     * @param symbols the symbols as written, potential suffixes included
     * @param counts atoms of each symbol
     * @param total sum of the counts
     */
    private record Species(String[] symbols, int[] counts, int total) {}

    /** Reads the symbols line (6) and the counts line (7). */
    private static Species species(String symbolLine, String countLine) {
        String[] symbols = symbolLine.trim().split("\\s+");
        if (symbols[0].isEmpty() || !Character.isLetter(symbols[0].charAt(0))) {
            throw new IllegalArgumentException(
                    "line 6 holds no element symbols: VASP 4 POSCARs (without them) are not"
                            + " supported");
        }
        String[] countText = countLine.trim().split("\\s+");
        if (countText.length != symbols.length) {
            throw new IllegalArgumentException(
                    symbols.length
                            + " element symbols but "
                            + countText.length
                            + " counts (line 7)");
        }
        int[] counts = new int[countText.length];
        long total = 0;
        for (int s = 0; s < counts.length; s++) {
            try {
                counts[s] = Integer.parseInt(countText[s]);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(
                        "atom count '" + countText[s] + "' (line 7) is not an integer");
            }
            if (counts[s] < 0) {
                throw new IllegalArgumentException(
                        "atom count " + counts[s] + " of " + symbols[s] + " (line 7) is negative");
            }
            total += counts[s];
        }
        if (total == 0) {
            throw new IllegalArgumentException("the atom counts (line 7) add up to 0 atoms");
        }
        if (total > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("the atom counts (line 7) add up to " + total);
        }
        return new Species(symbols, counts, (int) total);
    }

    /**
     * Whether the coordinate mode line (0-based index {@code line}) says Cartesian (c or k) rather
     * than Direct (d).
     */
    private static boolean isCartesian(String modeLine, int line) {
        char mode =
                modeLine.trim().isEmpty() ? '?' : Character.toLowerCase(modeLine.trim().charAt(0));
        boolean cartesian = mode == 'c' || mode == 'k';
        if (!cartesian && mode != 'd') {
            throw new IllegalArgumentException(
                    "line "
                            + (line + 1)
                            + " must say Direct or Cartesian, not '"
                            + modeLine.trim()
                            + "'");
        }
        return cartesian;
    }

    /**
     * The factor the lattice rows (and Cartesian coordinates) are multiplied by: the scale, or for
     * a negative scale the one that makes the cell volume -scale (A^3).
     *
     * @param m unscaled lattice rows, Angstrom
     */
    private static double scaleFactor(double scale, double[][] m) {
        double factor = scale;
        if (scale < 0) {
            double v = Lattice.of(m).volume();
            factor = Math.cbrt(-scale / v);
        } else if (scale == 0) {
            throw new IllegalArgumentException("scale (line 2) is zero");
        }
        return factor;
    }

    /**
     * Reads the sites, species after species, from 0-based line {@code line} on.
     *
     * @param cartesian whether coordinates are Cartesian (scaled by {@code factor}, Angstrom)
     *     rather than fractional
     */
    private static List<Site> sites(
            String[] lines,
            int line,
            Species species,
            boolean cartesian,
            double factor,
            Lattice lattice) {
        String[] symbols = species.symbols();
        List<Site> sites = new ArrayList<>(species.total());
        for (int s = 0; s < symbols.length; s++) {
            String symbol = symbols[s].split("[_/]")[0];
            if (!Element.isKnown(symbol)) {
                throw new IllegalArgumentException("unknown element '" + symbols[s] + "' (line 6)");
            }
            Element e = Element.of(symbol);
            for (int c = 0; c < species.counts()[s]; c++, line++) {
                double[] v = numbers(lines[line], 3, "coordinates (line " + (line + 1) + ")");
                if (cartesian) {
                    for (int k = 0; k < 3; k++) {
                        v[k] *= factor;
                    }
                    v = lattice.toFractional(v);
                }
                sites.add(new Site(e, v));
            }
        }
        return sites;
    }

    /** Writes {@code s} as a VASP 5 POSCAR with fractional coordinates (scale 1). */
    public static String write(Structure s, String comment) {
        StringBuilder sb = new StringBuilder();
        sb.append(comment == null || comment.isBlank() ? s.formula() : comment.replace('\n', ' '))
                .append('\n');
        sb.append("1.0\n");
        for (int i = 0; i < 3; i++) {
            sb.append(
                    String.format(
                            Locale.ROOT,
                            "  %22.16f %22.16f %22.16f%n",
                            s.lattice().get(i, 0),
                            s.lattice().get(i, 1),
                            s.lattice().get(i, 2)));
        }
        List<String> symbols = new ArrayList<>();
        List<Integer> counts = new ArrayList<>();
        for (int i = 0; i < s.size(); i++) {
            String sym = s.element(i).symbol();
            if (!symbols.isEmpty() && symbols.get(symbols.size() - 1).equals(sym)) {
                counts.set(counts.size() - 1, counts.get(counts.size() - 1) + 1);
            } else {
                symbols.add(sym);
                counts.add(1);
            }
        }
        sb.append(' ').append(String.join(" ", symbols)).append('\n');
        for (int c : counts) {
            sb.append(' ').append(c);
        }
        sb.append("\nDirect\n");
        for (int i = 0; i < s.size(); i++) {
            sb.append(
                    String.format(
                            Locale.ROOT,
                            "  %22.16f %22.16f %22.16f %s%n",
                            s.site(i).frac(0),
                            s.site(i).frac(1),
                            s.site(i).frac(2),
                            s.element(i).symbol()));
        }
        return sb.toString();
    }

    private static double[] numbers(String line, int count, String what) {
        String[] parts = line.trim().split("\\s+");
        if (parts.length < count) {
            throw new IllegalArgumentException(
                    what + " needs " + count + " numbers: '" + line.trim() + "'");
        }
        double[] v = new double[count];
        for (int k = 0; k < count; k++) {
            v[k] = number(parts[k], what);
        }
        return v;
    }

    private static double number(String s, String what) {
        try {
            double d = Double.parseDouble(s);
            if (!Double.isFinite(d)) {
                throw new IllegalArgumentException(what + " is not finite: " + s);
            }
            return d;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(what + " is not a number: '" + s + "'");
        }
    }
}
