package org.fusionml.data.descriptor;

import java.util.Arrays;

/**
 * A structure's geometric fingerprint F(x) (FUSION Eq. 4): the multiplicity-weighted mean of the
 * SOAP spectra of its symmetry classes, L2-normalised, stored sparse by species pair.
 *
 * <p>The spectrum block of species pair (Z1, Z2) depends only on the atoms of Z1 and Z2, so a
 * fingerprint holds just the blocks of the pairs present in its structure; over a dataset-wide
 * species list the other blocks are zero. Blocks are ordered by pair key {@code Z1 * 256 + Z2} (Z1
 * <= Z2), which is DScribe's order of pairs for any species list. Memory: 8 bytes per stored value,
 * i.e. 8 (k (l+1) n(n+1)/2 + k(k-1)/2 (l+1) n^2) bytes for k species in the structure (16.8 kB for
 * 3 species at the FUSION settings, against 10 MB for the dense vector over jdft2d's 77 elements).
 *
 * @param pairKeys [P] ascending pair keys
 * @param offsets [P + 1] start of each block in {@code values}
 * @param values concatenated blocks, unit L2 norm overall
 */
public record Fingerprint(int[] pairKeys, int[] offsets, double[] values) {
    /** Pair key of species (z1, z2), z1 <= z2. */
    public static int pairKey(int z1, int z2) {
        return Math.min(z1, z2) * 256 + Math.max(z1, z2);
    }

    /** Number of stored values. */
    public int storedValues() {
        return values.length;
    }

    /** Memory of the stored values and keys, bytes. */
    public long bytes() {
        return 8L * values.length + 4L * (pairKeys.length + offsets.length);
    }

    /** F_a . F_b over the blocks both hold (cosine similarity: both have unit norm). */
    public double dot(Fingerprint other) {
        double sum = 0;
        int i = 0;
        int j = 0;
        while (i < pairKeys.length && j < other.pairKeys.length) {
            if (pairKeys[i] < other.pairKeys[j]) {
                i++;
            } else if (pairKeys[i] > other.pairKeys[j]) {
                j++;
            } else {
                for (int a = offsets[i], b = other.offsets[j]; a < offsets[i + 1]; a++, b++) {
                    sum += values[a] * other.values[b];
                }
                i++;
                j++;
            }
        }
        return sum;
    }

    /**
     * The dense vector over {@code species} (ascending Z) in DScribe's layout.
     *
     * @param config the SOAP settings the fingerprint was made with
     */
    public double[] dense(int[] species, SoapConfig config) {
        double[] out = new double[config.numFeatures(species.length)];
        int at = 0;
        for (int a = 0; a < species.length; a++) {
            for (int b = a; b < species.length; b++) {
                int size = a == b ? config.sameSpeciesBlock() : config.crossSpeciesBlock();
                int k = Arrays.binarySearch(pairKeys, pairKey(species[a], species[b]));
                if (k >= 0) {
                    System.arraycopy(values, offsets[k], out, at, size);
                }
                at += size;
            }
        }
        return out;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Fingerprint f
                && Arrays.equals(pairKeys, f.pairKeys)
                && Arrays.equals(offsets, f.offsets)
                && Arrays.equals(values, f.values);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(values);
    }

    @Override
    public String toString() {
        return "Fingerprint(" + pairKeys.length + " pairs, " + values.length + " values)";
    }
}
