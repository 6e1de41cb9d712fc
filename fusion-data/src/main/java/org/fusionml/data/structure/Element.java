package org.fusionml.data.structure;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A chemical element and the facts used for atom features.
 *
 * <p>The table is {@code elements.csv} beside this class (Z = 1..100); its header names the sources
 * (pymatgen 2022.11.7 periodic-table data, ASE 3.22 covalent radii after Cordero et al. 2008).
 * Unknown values are {@code NaN}.
 *
 * @param z atomic number
 * @param symbol chemical symbol, e.g. {@code "Fe"}
 * @param name English name
 * @param group IUPAC group 1..18 (lanthanides and actinides are given group 3)
 * @param period period 1..7
 * @param block orbital block, one of {@code s p d f}
 * @param electronegativity Pauling electronegativity (NaN for He, Ne, Ar)
 * @param covalentRadius covalent radius, Angstrom
 * @param ionizationEnergy first ionisation energy, eV
 * @param electronAffinity electron affinity, eV
 * @param molarVolume molar volume, cm^3/mol (NaN where unknown)
 * @param mass atomic mass, u
 * @param electronicStructure ground-state configuration, e.g. {@code [Ar].3d6.4s2}
 */
public record Element(
        int z,
        String symbol,
        String name,
        int group,
        int period,
        char block,
        double electronegativity,
        double covalentRadius,
        double ionizationEnergy,
        double electronAffinity,
        double molarVolume,
        double mass,
        String electronicStructure) {

    /** Largest atomic number in the table. */
    public static final int MAX_Z = 100;

    private static final List<Element> BY_Z;
    private static final Map<String, Element> BY_SYMBOL;

    static {
        List<Element> all = load();
        BY_Z = Collections.unmodifiableList(all);
        Map<String, Element> bySymbol = new HashMap<>();
        for (Element e : all) {
            bySymbol.put(e.symbol, e);
        }
        BY_SYMBOL = Collections.unmodifiableMap(bySymbol);
    }

    /**
     * Returns the element with this symbol.
     *
     * @throws IllegalArgumentException if the symbol is not an element with Z in 1..100
     */
    public static Element of(String symbol) {
        Element e = BY_SYMBOL.get(symbol);
        if (e == null) {
            throw new IllegalArgumentException("unknown element '" + symbol + "'");
        }
        return e;
    }

    /**
     * Returns the element with this atomic number.
     *
     * @throws IllegalArgumentException unless 1 <= z <= 100
     */
    public static Element ofZ(int z) {
        if (z < 1 || z > MAX_Z) {
            throw new IllegalArgumentException(
                    "unknown atomic number " + z + " (expected 1.." + MAX_Z + ")");
        }
        return BY_Z.get(z - 1);
    }

    /** Returns {@code true} if {@code symbol} names an element of the table. */
    public static boolean isKnown(String symbol) {
        return BY_SYMBOL.containsKey(symbol);
    }

    /** All elements, ordered by atomic number. */
    public static List<Element> all() {
        return BY_Z;
    }

    /**
     * Number of valence electrons: the electrons outside the preceding noble-gas core, not counting
     * a filled d10 or f14 subshell below the outermost shell (so Ga has 3, Fe 8, Hg 2, Xe 8).
     */
    public int valenceElectrons() {
        int maxN = 0;
        for (String orbital : electronicStructure.split("\\.")) {
            if (!orbital.startsWith("[")) {
                maxN = Math.max(maxN, orbital.charAt(0) - '0');
            }
        }
        int count = 0;
        for (String orbital : electronicStructure.split("\\.")) {
            if (orbital.startsWith("[")) {
                continue;
            }
            int n = orbital.charAt(0) - '0';
            char l = orbital.charAt(1);
            int electrons = Integer.parseInt(orbital.substring(2));
            boolean filledInner =
                    n < maxN && ((l == 'd' && electrons == 10) || (l == 'f' && electrons == 14));
            if (!filledInner) {
                count += electrons;
            }
        }
        return count;
    }

    private static List<Element> load() {
        try (InputStream in = Element.class.getResourceAsStream("elements.csv")) {
            if (in == null) {
                throw new IllegalStateException("elements.csv is missing from the class path");
            }
            BufferedReader reader =
                    new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            List<Element> out = new ArrayList<>();
            String line;
            boolean header = true;
            while ((line = reader.readLine()) != null) {
                if (line.startsWith("#") || line.isBlank()) {
                    continue;
                }
                if (header) {
                    header = false;
                    continue;
                }
                String[] f = line.split(",", -1);
                out.add(
                        new Element(
                                Integer.parseInt(f[0]),
                                f[1],
                                f[2],
                                Integer.parseInt(f[3]),
                                Integer.parseInt(f[4]),
                                f[5].charAt(0),
                                number(f[6]),
                                number(f[7]),
                                number(f[8]),
                                number(f[9]),
                                number(f[10]),
                                number(f[11]),
                                f[12]));
            }
            for (int i = 0; i < out.size(); i++) {
                if (out.get(i).z() != i + 1) {
                    throw new IllegalStateException(
                            "elements.csv is not ordered by Z at row " + (i + 1));
                }
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static double number(String s) {
        return s.isEmpty() ? Double.NaN : Double.parseDouble(s);
    }

    @Override
    public String toString() {
        return symbol;
    }
}
