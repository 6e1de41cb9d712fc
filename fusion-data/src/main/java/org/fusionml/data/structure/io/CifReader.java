package org.fusionml.data.structure.io;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalDouble;
import org.fusionml.data.InvalidInputException;
import org.fusionml.data.structure.Element;
import org.fusionml.data.structure.Lattice;
import org.fusionml.data.structure.Site;
import org.fusionml.data.structure.Structure;
import org.fusionml.data.structure.io.CifSyntax.Block;
import org.fusionml.data.symmetry.SpaceGroupSetting;
import org.fusionml.data.symmetry.SymmetryOperation;

/**
 * Reads ordered crystal structures from CIF (1.1 syntax; one structure per data block).
 *
 * <p>The cell comes from {@code _cell_length_*} and {@code _cell_angle_*} (a along x, b in the xy
 * plane); sites from the {@code _atom_site_*} loop (element from {@code _atom_site_type_symbol},
 * else from the label's leading letters; fractional coordinates; {@code _atom_site_occupancy}). The
 * asymmetric unit is expanded by the operations of {@code _space_group_symop_operation_xyz} (or the
 * older {@code _symmetry_equiv_pos_as_xyz}); images closer than {@link #MERGE_TOLERANCE} to a site
 * already generated are the same site. Policy for disorder: a site with occupancy other than 1, or
 * two sites of the input on the same position, is an error.
 *
 * <p>A block that lists no operations but names its space group is expanded by the operations of
 * that group ({@link SpaceGroupSetting}), taken from, in this order, the Hall symbol ({@code
 * _space_group_name_Hall}, {@code _symmetry_space_group_name_Hall}: it fixes the setting and the
 * origin), the Hermann-Mauguin symbol ({@code _space_group_name_H-M_alt}, {@code
 * _symmetry_space_group_name_H-M}; without a {@code :1}/{@code :2}/{@code :H}/{@code :R} suffix
 * origin choice 1 and hexagonal axes, as pymatgen reads a bare symbol), or the number ({@code
 * _space_group_IT_number}, {@code _symmetry_Int_Tables_number}; its first setting likewise). A
 * symbol that names no setting is an error naming it, as are two of these items that name different
 * space groups; never a silent P1. A block that names no space group and lists no operations is P1.
 */
public final class CifReader {
    /** Generated positions closer than this are one site, Angstrom. */
    public static final double MERGE_TOLERANCE = 0.01;

    /** Largest accepted |occupancy - 1| (CIF occupancies often carry 2-3 digits). */
    public static final double OCCUPANCY_TOLERANCE = 1e-3;

    private static final List<String> CELL_TAGS =
            List.of(
                    "_cell_length_a",
                    "_cell_length_b",
                    "_cell_length_c",
                    "_cell_angle_alpha",
                    "_cell_angle_beta",
                    "_cell_angle_gamma");

    private CifReader() {}

    /**
     * Parses every data block of {@code text} that holds atom sites.
     *
     * @param source file name for messages
     */
    public static List<StructureEntry> read(String text, String source) {
        List<Block> blocks = CifSyntax.parse(text, source);
        List<StructureEntry> out = new ArrayList<>();
        for (Block b : blocks) {
            if (!b.loops.containsKey("_atom_site_fract_x")
                    && !b.items.containsKey("_atom_site_fract_x")) {
                continue;
            }
            try {
                out.add(
                        new StructureEntry(
                                b.name,
                                StructureValidator.check(build(b)),
                                OptionalDouble.empty()));
            } catch (IllegalArgumentException e) {
                throw new InvalidInputException(source, b.name, e.getMessage(), e);
            }
        }
        if (out.isEmpty()) {
            throw new InvalidInputException(
                    source,
                    null,
                    "no data block with _atom_site_fract_x/y/z: not a crystal structure CIF");
        }
        return out;
    }

    /** The structure of one data block: cell, symmetry operations, expanded atom sites. */
    private static Structure build(Block b) {
        double[] p = new double[6];
        for (int k = 0; k < 6; k++) {
            String tag = CELL_TAGS.get(k);
            p[k] = b.number(tag);
            if (k < 3 && !(p[k] > 0)) {
                throw new IllegalArgumentException(tag + " (" + p[k] + ") must be > 0 Angstrom");
            }
            if (k >= 3 && !(p[k] > 0 && p[k] < 180)) {
                throw new IllegalArgumentException(
                        tag + " (" + p[k] + ") must be in (0, 180) degrees");
            }
        }
        Lattice lattice = Lattice.fromParameters(p[0], p[1], p[2], p[3], p[4], p[5]);
        ExpandedSites expanded = new ExpandedSites(lattice, symmetryOperations(b));
        List<String> xs = b.required("_atom_site_fract_x");
        List<String> ys = b.required("_atom_site_fract_y");
        List<String> zs = b.required("_atom_site_fract_z");
        List<String> labels = b.column("_atom_site_label");
        List<String> types = b.column("_atom_site_type_symbol");
        List<String> occs = b.column("_atom_site_occupancy");

        for (int a = 0; a < xs.size(); a++) {
            String label = labels != null ? labels.get(a) : null;
            String symbol = elementOf(types != null ? types.get(a) : label, label);
            double occ =
                    occs == null || isUnknown(occs.get(a))
                            ? 1.0
                            : parseNumber(occs.get(a), "occupancy");
            if (Math.abs(occ - 1) > OCCUPANCY_TOLERANCE) {
                throw new IllegalArgumentException(
                        "partial occupancy "
                                + occs.get(a)
                                + " on site "
                                + (label == null ? a : label)
                                + ": disordered structures are not supported");
            }
            double[] f = {
                parseNumber(xs.get(a), "fract_x"),
                parseNumber(ys.get(a), "fract_y"),
                parseNumber(zs.get(a), "fract_z")
            };
            expanded.add(a, Element.of(symbol), label, f);
        }
        return new Structure(lattice, expanded.sites);
    }

    /**
     * The block's symmetry operations as 3x4 matrices [R | t]: {@code
     * _space_group_symop_operation_xyz}, else {@code _symmetry_equiv_pos_as_xyz}, else the
     * identity.
     */
    private static List<double[][]> symmetryOperations(Block b) {
        List<double[][]> ops = new ArrayList<>();
        List<String> opText = b.column("_space_group_symop_operation_xyz");
        if (opText == null) {
            opText = b.column("_symmetry_equiv_pos_as_xyz");
        }
        if (opText == null) {
            SpaceGroupSetting named = namedSetting(b);
            if (named == null) {
                opText = List.of("x,y,z");
            } else {
                for (SymmetryOperation o : named.operations()) {
                    int[] r = o.rotation();
                    double[] t = o.translation();
                    ops.add(
                            new double[][] {
                                {r[0], r[1], r[2], t[0]},
                                {r[3], r[4], r[5], t[1]},
                                {r[6], r[7], r[8], t[2]}
                            });
                }
                return ops;
            }
        }
        for (String op : opText) {
            ops.add(parseOperation(op));
        }
        return ops;
    }

    /** The items that name a space group, in the order they are read, lower case as parsed. */
    private static final List<String> HALL_TAGS =
            List.of("_space_group_name_hall", "_symmetry_space_group_name_hall");

    private static final List<String> HERMANN_MAUGUIN_TAGS =
            List.of("_space_group_name_h-m_alt", "_symmetry_space_group_name_h-m");

    private static final List<String> NUMBER_TAGS =
            List.of("_space_group_it_number", "_symmetry_int_tables_number");

    /**
     * The space-group setting the block names by Hall symbol, Hermann-Mauguin symbol or number (in
     * that order of preference), or null when it names none.
     *
     * @throws IllegalArgumentException for a symbol or number that names no setting, or two items
     *     that name different space groups
     */
    static SpaceGroupSetting namedSetting(Block b) {
        SpaceGroupSetting chosen = null;
        String chosenFrom = null;
        List<String> tags = new ArrayList<>(HALL_TAGS);
        tags.addAll(HERMANN_MAUGUIN_TAGS);
        tags.addAll(NUMBER_TAGS);
        for (String tag : tags) {
            String v = b.items.get(tag);
            if (v == null || v.isBlank() || isUnknown(v.strip())) {
                continue;
            }
            SpaceGroupSetting s;
            if (HALL_TAGS.contains(tag)) {
                s = SpaceGroupSetting.ofHall(v);
            } else if (HERMANN_MAUGUIN_TAGS.contains(tag)) {
                s = SpaceGroupSetting.ofHermannMauguin(v);
            } else {
                int number;
                try {
                    number = Integer.parseInt(v.strip());
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException(
                            tag + " '" + v.strip() + "' is not an integer");
                }
                s = SpaceGroupSetting.ofNumber(number);
            }
            if (chosen == null) {
                chosen = s;
                chosenFrom = tag + " '" + v.strip() + "'";
            } else if (s.number() != chosen.number()) {
                throw new IllegalArgumentException(
                        chosenFrom
                                + " is space group "
                                + chosen.number()
                                + " but "
                                + tag
                                + " '"
                                + v.strip()
                                + "' is "
                                + s.number());
            }
        }
        return chosen;
    }

    /**
     * The sites generated from an asymmetric unit by the symmetry operations; images closer than
     * {@link #MERGE_TOLERANCE} to a site already generated are that site.
     */
    private static final class ExpandedSites {
        private final Lattice lattice;
        private final List<double[][]> ops;
        final List<Site> sites = new ArrayList<>();

        /** Index of the input site each generated site comes from. */
        private final List<Integer> origin = new ArrayList<>();

        ExpandedSites(Lattice lattice, List<double[][]> ops) {
            this.lattice = lattice;
            this.ops = ops;
        }

        /**
         * Adds the images of input site {@code a} at fractional coordinates f.
         *
         * @throws IllegalArgumentException when an image falls on a site of another input site
         */
        void add(int a, Element element, String label, double[] f) {
            for (double[][] op : ops) {
                double[] g = new double[3];
                for (int k = 0; k < 3; k++) {
                    double v = op[k][0] * f[0] + op[k][1] * f[1] + op[k][2] * f[2] + op[k][3];
                    v -= Math.floor(v);
                    g[k] = v >= 1 ? 0 : v;
                }
                int same = find(sites, lattice, g);
                if (same < 0) {
                    sites.add(new Site(element, g, label));
                    origin.add(a);
                } else if (origin.get(same) != a) {
                    throw new IllegalArgumentException(
                            "sites "
                                    + sites.get(same).label()
                                    + " and "
                                    + (label == null ? a : label)
                                    + " occupy the same position: disordered structures are not"
                                    + " supported");
                }
            }
        }
    }

    /** The index of the site within {@link #MERGE_TOLERANCE} of g (fractional), or -1. */
    private static int find(List<Site> sites, Lattice lattice, double[] g) {
        for (int s = 0; s < sites.size(); s++) {
            double[] d = new double[3];
            for (int k = 0; k < 3; k++) {
                double x = g[k] - sites.get(s).frac(k);
                d[k] = x - Math.rint(x);
            }
            double[] r = lattice.toCartesian(d);
            if (r[0] * r[0] + r[1] * r[1] + r[2] * r[2] < MERGE_TOLERANCE * MERGE_TOLERANCE) {
                return s;
            }
        }
        return -1;
    }

    /** Element symbol from a CIF type symbol or label: its leading one or two letters. */
    static String elementOf(String type, String label) {
        if (type == null) {
            throw new IllegalArgumentException(
                    "site has neither _atom_site_type_symbol nor a label");
        }
        String t = type.trim();
        int end = 0;
        while (end < t.length() && end < 2 && Character.isLetter(t.charAt(end))) {
            end++;
        }
        String two = end >= 2 ? capitalise(t.substring(0, 2)) : null;
        if (two != null && Element.isKnown(two)) {
            return two;
        }
        String one = end >= 1 ? capitalise(t.substring(0, 1)) : "";
        if (Element.isKnown(one)) {
            return one;
        }
        throw new IllegalArgumentException(
                "unknown element '" + t + "'" + (label != null ? " on site " + label : ""));
    }

    private static String capitalise(String s) {
        return s.substring(0, 1).toUpperCase(Locale.ROOT) + s.substring(1).toLowerCase(Locale.ROOT);
    }

    /**
     * Parses a symmetry operation such as {@code "-x+1/2, y, z+0.25"} into a 3x4 matrix [R | t].
     */
    static double[][] parseOperation(String text) {
        String[] parts = text.replace(" ", "").toLowerCase(Locale.ROOT).split(",");
        if (parts.length != 3) {
            throw new IllegalArgumentException("symmetry operation '" + text + "' has not 3 parts");
        }
        double[][] op = new double[3][4];
        for (int row = 0; row < 3; row++) {
            String p = parts[row];
            int i = 0;
            while (i < p.length()) {
                double sign = 1;
                if (p.charAt(i) == '+' || p.charAt(i) == '-') {
                    sign = p.charAt(i) == '-' ? -1 : 1;
                    i++;
                }
                int start = i;
                while (i < p.length()
                        && (Character.isDigit(p.charAt(i))
                                || p.charAt(i) == '.'
                                || p.charAt(i) == '/')) {
                    i++;
                }
                double coef = start == i ? Double.NaN : fraction(p.substring(start, i), text);
                if (i < p.length() && p.charAt(i) == '*') {
                    i++;
                }
                if (i < p.length() && p.charAt(i) >= 'x' && p.charAt(i) <= 'z') {
                    op[row][p.charAt(i) - 'x'] += sign * (Double.isNaN(coef) ? 1 : coef);
                    i++;
                } else if (!Double.isNaN(coef)) {
                    op[row][3] += sign * coef;
                } else {
                    throw new IllegalArgumentException(
                            "cannot read symmetry operation '" + text + "'");
                }
            }
        }
        return op;
    }

    private static double fraction(String s, String op) {
        try {
            int slash = s.indexOf('/');
            if (slash < 0) {
                return Double.parseDouble(s);
            }
            return Double.parseDouble(s.substring(0, slash))
                    / Double.parseDouble(s.substring(slash + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("cannot read symmetry operation '" + op + "'");
        }
    }

    private static boolean isUnknown(String v) {
        return v.equals("?") || v.equals(".");
    }

    /** A CIF number without its standard uncertainty: {@code "5.431(2)"} is 5.431. */
    static double parseNumber(String v, String what) {
        String s = v;
        int paren = s.indexOf('(');
        if (paren >= 0) {
            s = s.substring(0, paren);
        }
        try {
            double d = Double.parseDouble(s);
            if (!Double.isFinite(d)) {
                throw new IllegalArgumentException(what + " is not finite: " + v);
            }
            return d;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(what + " is not a number: '" + v + "'");
        }
    }
}
