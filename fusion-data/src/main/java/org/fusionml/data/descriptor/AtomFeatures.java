package org.fusionml.data.descriptor;

import org.fusionml.data.structure.Element;

/**
 * CGCNN-style atom features: 92 one-hot bits per element (Xie and Grossman, PRL 120, 145301, 2018,
 * Table S1), generated from {@code elements.csv} rather than copied from CGCNN's {@code
 * atom_init.json}.
 *
 * <p>Layout (offset, width, rule):
 *
 * <pre>
 *   0  18  group 1..18 (lanthanides and actinides: group 3)
 *  18   7  period 1..7
 *  25   4  block s, p, d, f
 *  29  12  valence electrons 1..12 (12 = 12 or more; see Element#valenceElectrons)
 *  41  10  Pauling electronegativity, 10 equal bins on [0.5, 4.0]
 *  51  10  covalent radius, 10 equal bins on [0.25, 2.5] A
 *  61  10  ln(first ionisation energy / eV), 10 equal bins on [1.3, 3.3]
 *  71  10  electron affinity, 10 equal bins on [-3.0, 3.7] eV
 *  81  10  ln(molar volume / (cm^3/mol)), 10 equal bins on [1.5, 4.3]
 *  91   1  some property above is unknown (He, Ne, Ar electronegativity; At, Fr, Fm volume)
 * </pre>
 *
 * Values outside a range go to its first or last bin; an unknown value sets no bit of its block.
 */
public final class AtomFeatures {
    /** Feature length. */
    public static final int SIZE = 92;

    private static final float[][] TABLE = new float[Element.MAX_Z + 1][];

    static {
        for (Element e : Element.all()) {
            TABLE[e.z()] = compute(e);
        }
    }

    private AtomFeatures() {}

    /** The 92 features of the element with atomic number {@code z} (a copy). */
    public static float[] of(int z) {
        if (z < 1 || z > Element.MAX_Z) {
            throw new IllegalArgumentException("no atom features for Z = " + z);
        }
        return TABLE[z].clone();
    }

    /** Features of {@code atomicNumbers}, [N, 92] flattened row-major. */
    public static float[] of(int[] atomicNumbers) {
        float[] out = new float[atomicNumbers.length * SIZE];
        for (int i = 0; i < atomicNumbers.length; i++) {
            int z = atomicNumbers[i];
            if (z < 1 || z > Element.MAX_Z) {
                throw new IllegalArgumentException("no atom features for Z = " + z);
            }
            System.arraycopy(TABLE[z], 0, out, i * SIZE, SIZE);
        }
        return out;
    }

    private static float[] compute(Element e) {
        float[] f = new float[SIZE];
        boolean unknown = false;
        f[e.group() - 1] = 1;
        f[18 + e.period() - 1] = 1;
        f[25 + "spdf".indexOf(e.block())] = 1;
        f[29 + Math.min(12, Math.max(1, e.valenceElectrons())) - 1] = 1;
        unknown |= !bin(f, 41, e.electronegativity(), 0.5, 4.0);
        unknown |= !bin(f, 51, e.covalentRadius(), 0.25, 2.5);
        unknown |= !bin(f, 61, Math.log(e.ionizationEnergy()), 1.3, 3.3);
        unknown |= !bin(f, 71, e.electronAffinity(), -3.0, 3.7);
        unknown |= !bin(f, 81, Math.log(e.molarVolume()), 1.5, 4.3);
        f[91] = unknown ? 1 : 0;
        return f;
    }

    /** Sets one of 10 equal bins on [lo, hi]; returns false (and sets none) for NaN. */
    private static boolean bin(float[] f, int offset, double v, double lo, double hi) {
        if (Double.isNaN(v)) {
            return false;
        }
        int b = (int) Math.floor((v - lo) / (hi - lo) * 10);
        f[offset + Math.max(0, Math.min(9, b))] = 1;
        return true;
    }
}
