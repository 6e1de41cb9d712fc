package org.fusionml.data.descriptor;

import java.util.Arrays;

/**
 * Settings of the SOAP power spectrum (DScribe 2.1, {@code rbf="gto"}).
 *
 * @param rCut radial cutoff, Angstrom (> 1 for the GTO basis)
 * @param nMax number of radial basis functions
 * @param lMax largest spherical-harmonic degree (<= 19)
 * @param sigma width of the atomic Gaussians, Angstrom
 * @param periodic whether periodic images are neighbours
 */
public record SoapConfig(double rCut, int nMax, int lMax, double sigma, boolean periodic) {
    public SoapConfig {
        if (!(rCut > 1)) {
            throw new IllegalArgumentException(
                    "r_cut (" + rCut + ") must be > 1 Angstrom for the GTO basis");
        }
        if (nMax < 1) {
            throw new IllegalArgumentException("n_max (" + nMax + ") must be >= 1");
        }
        if (lMax < 0 || lMax > 19) {
            throw new IllegalArgumentException("l_max (" + lMax + ") must be in 0..19");
        }
        if (!(sigma > 0)) {
            throw new IllegalArgumentException("sigma (" + sigma + ") must be > 0 Angstrom");
        }
    }

    /** The FUSION reference code's settings: r_cut 5, n_max 8, l_max 6, sigma 0.5, periodic. */
    /** FUSION's default cutoff, Angstrom, as text (command-line defaults). */
    public static final String DEFAULT_R_CUT = "5";

    /** FUSION's default number of radial functions, as text. */
    public static final String DEFAULT_N_MAX = "8";

    /** FUSION's default largest degree, as text. */
    public static final String DEFAULT_L_MAX = "6";

    /** FUSION's default Gaussian width, Angstrom, as text. */
    public static final String DEFAULT_SIGMA = "0.5";

    public static SoapConfig fusionDefault() {
        return new SoapConfig(
                Double.parseDouble(DEFAULT_R_CUT),
                Integer.parseInt(DEFAULT_N_MAX),
                Integer.parseInt(DEFAULT_L_MAX),
                Double.parseDouble(DEFAULT_SIGMA),
                true);
    }

    /** Length of a same-species block: (l_max + 1) n_max (n_max + 1) / 2. */
    public int sameSpeciesBlock() {
        return (lMax + 1) * nMax * (nMax + 1) / 2;
    }

    /** Length of a cross-species block: (l_max + 1) n_max^2. */
    public int crossSpeciesBlock() {
        return (lMax + 1) * nMax * nMax;
    }

    /** Number of features for {@code species} species. */
    public int numFeatures(int species) {
        return species * sameSpeciesBlock() + species * (species - 1) / 2 * crossSpeciesBlock();
    }

    @Override
    public String toString() {
        return "SoapConfig" + Arrays.asList(rCut, nMax, lMax, sigma, periodic);
    }
}
