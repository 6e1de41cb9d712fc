package org.fusionml.data.symmetry;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One of the 530 settings of the 230 space-group types (International Tables for Crystallography A,
 * Table 4.3.2.1), found from its Hermann-Mauguin symbol, its Hall symbol or its number, with the
 * operations its Hall symbol generates in its conventional cell: what a CIF that names its space
 * group but lists no operations means.
 *
 * <p>Hermann-Mauguin symbols are matched without regard to spaces, underscores and case ({@code F m
 * -3 m}, {@code Fm-3m}, {@code P 21/c}, {@code P 1 21/n 1}, {@code Pnma}), in the full or the short
 * form; the old cubic spelling without the bar ({@code Fm3m}, {@code Pm3n}, {@code Ia3d}) is read
 * as the one with it, since a mirror or glide followed by 3 can only be -3. A suffix {@code :1},
 * {@code :2}, {@code :H}, {@code :R} (or a monoclinic or orthorhombic setting code such as {@code
 * :b2}, {@code :cab}) picks the setting. Without one a symbol is the first setting that has it in
 * the tables' order: <b>origin choice 1</b>, <b>hexagonal axes</b> for the rhombohedral groups,
 * unique axis b and cell choice 1 for the monoclinic ones. That is what pymatgen's {@code
 * SpaceGroup} gives for a bare symbol (the first match in its {@code symm_ops.json}: {@code F d -3
 * m :1} before {@code :2}, {@code R -3 m :H} before {@code :R}) and spglib's order of Hall numbers.
 * A number alone is the first setting of its type likewise.
 *
 * @param number International Tables number, 1..230
 * @param setting the setting code ({@code 1}, {@code 2}, {@code H}, {@code R}, {@code b1}, {@code
 *     cab}, ...; empty when the type has one setting)
 * @param hall Hall symbol (S. R. Hall, Acta Cryst. A37, 517 (1981))
 * @param hermannMauguin full Hermann-Mauguin symbol, e.g. {@code F 4_1/d -3 2/m}
 */
public record SpaceGroupSetting(int number, String setting, String hall, String hermannMauguin) {
    private static final List<SpaceGroupSetting> ALL = new ArrayList<>();
    private static final Map<String, SpaceGroupSetting> BY_SYMBOL = new HashMap<>();
    private static final Map<String, SpaceGroupSetting> BY_HALL = new HashMap<>();
    private static final Map<Integer, SpaceGroupSetting> BY_NUMBER = new HashMap<>();

    static {
        try (InputStream in =
                SpaceGroupSetting.class.getResourceAsStream("space_group_settings.tsv")) {
            BufferedReader r =
                    new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            String line;
            while ((line = r.readLine()) != null) {
                if (line.startsWith("#") || line.startsWith("number")) {
                    continue;
                }
                String[] f = line.split("\t", -1);
                SpaceGroupSetting s =
                        new SpaceGroupSetting(Integer.parseInt(f[0]), f[1], f[2], f[3]);
                ALL.add(s);
                BY_NUMBER.putIfAbsent(s.number, s);
                BY_HALL.putIfAbsent(hallKey(s.hall), s);
                List<String> names = new ArrayList<>(List.of(f[3]));
                if (!f[4].isEmpty()) {
                    names.addAll(List.of(f[4].split(";")));
                }
                for (String name : names) {
                    BY_SYMBOL.putIfAbsent(symbolKey(name), s);
                    if (!s.setting.isEmpty()) {
                        BY_SYMBOL.putIfAbsent(
                                symbolKey(name) + ":" + s.setting.toLowerCase(Locale.ROOT), s);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** All 530 settings in the order of International Tables. */
    public static List<SpaceGroupSetting> all() {
        return List.copyOf(ALL);
    }

    /**
     * The setting a Hermann-Mauguin symbol names, e.g. {@code F m -3 m}, {@code Fd-3m:2}, {@code
     * R-3m:R}, {@code P 1 21/n 1}.
     *
     * @throws IllegalArgumentException naming the symbol when no setting has it
     */
    public static SpaceGroupSetting ofHermannMauguin(String symbol) {
        String key = symbolKey(symbol);
        SpaceGroupSetting s = BY_SYMBOL.get(key);
        if (s == null) {
            s = BY_SYMBOL.get(key.replaceAll("([mnad])3", "$1-3"));
        }
        if (s == null) {
            throw new IllegalArgumentException(
                    "unknown Hermann-Mauguin space-group symbol '" + symbol.strip() + "'");
        }
        return s;
    }

    /**
     * The setting of a Hall symbol, e.g. {@code -F 4 2 3} or {@code -R 3 2"} (spglib's {@code =}
     * for the double quote is accepted); only the 530 tabulated ones.
     *
     * @throws IllegalArgumentException naming the symbol when it is not one of them
     */
    public static SpaceGroupSetting ofHall(String symbol) {
        SpaceGroupSetting s = BY_HALL.get(hallKey(symbol));
        if (s == null) {
            throw new IllegalArgumentException(
                    "unknown Hall space-group symbol '" + symbol.strip() + "'");
        }
        return s;
    }

    /**
     * The first setting of type {@code number} (origin choice 1, hexagonal axes, unique axis b).
     *
     * @throws IllegalArgumentException when {@code number} is not in 1..230
     */
    public static SpaceGroupSetting ofNumber(int number) {
        SpaceGroupSetting s = BY_NUMBER.get(number);
        if (s == null) {
            throw new IllegalArgumentException(
                    "space-group number " + number + " is not in 1..230");
        }
        return s;
    }

    /** The full symbol with its setting, e.g. {@code F 4_1/d -3 2/m :1}. */
    public String name() {
        return setting.isEmpty() ? hermannMauguin : hermannMauguin + " :" + setting;
    }

    /**
     * The operations of the group modulo lattice translations in the conventional cell of this
     * setting, centring translations included (192 for Fm-3m), translations in [0, 1).
     */
    public List<SymmetryOperation> operations() {
        List<SymmetryOperation> out = new ArrayList<>();
        for (HallSymbol.Op op : HallSymbol.operations(hall)) {
            int[] t = op.twelfths();
            out.add(
                    new SymmetryOperation(
                            op.rotation(), new double[] {t[0] / 12.0, t[1] / 12.0, t[2] / 12.0}));
        }
        return out;
    }

    /** A symbol without spaces and underscores, lower case; the setting after ':' kept. */
    private static String symbolKey(String symbol) {
        String s = symbol.strip();
        String setting = "";
        int colon = s.indexOf(':');
        if (colon >= 0) {
            setting = ":" + s.substring(colon + 1).strip();
            s = s.substring(0, colon);
        }
        return (s + setting).replaceAll("[\\s_]", "").toLowerCase(Locale.ROOT);
    }

    /** A Hall symbol with single spaces, {@code "} for spglib's {@code =}, lower case. */
    private static String hallKey(String hall) {
        return hall.strip().replaceAll("\\s+", " ").replace('=', '"').toLowerCase(Locale.ROOT);
    }
}
