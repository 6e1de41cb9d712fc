package org.fusionml.data.descriptor;

import java.util.Arrays;
import org.fusionml.data.Ranges;

/**
 * Settings of the SOAP power spectrum (DScribe 2.1, {@code rbf="gto"}).
 *
 * @param rCut radial cutoff in (1, 20] Angstrom (> 1 for the GTO basis)
 * @param nMax number of radial basis functions, 1..20
 * @param lMax largest spherical-harmonic degree (<= 19)
 * @param sigma width of the atomic Gaussians, finite and > 0 Angstrom
 * @param periodic whether periodic images are neighbours
 */
public record SoapConfig(double rCut, int nMax, int lMax, double sigma, boolean periodic) {
    public SoapConfig {
        checkRadialCutoff("r_cut", rCut);
        Ranges.between("n_max", nMax, 1, MAX_N_MAX);
        Ranges.between("l_max", lMax, 0, 19);
        Ranges.positive("sigma", sigma, "Angstrom");
    }

    /**
     * Largest radial cutoff, Angstrom. SOAP describes a local environment; at 20 A a solid of 0.1
     * atoms/A^3 puts about 3,400 neighbours in every sphere, 60 times FUSION's 5 A, and the
     * neighbour lists of a cell grow as r_cut^3 (a 1000 A cutoff needs tens of GB).
     */
    public static final double MAX_R_CUT = 20;

    /**
     * Largest number of radial functions. The spectrum holds (l_max + 1) n_max^2 values per pair of
     * species; 20 keeps a pair block at most 8,000 values (FUSION uses 8), where a mistyped n_max
     * of 10^5 would ask for 10^11 values per block.
     */
    public static final int MAX_N_MAX = 20;

    /**
     * {@code rCut} when it is in (1, {@link #MAX_R_CUT}] Angstrom (the GTO basis needs r_cut > 1).
     *
     * @param key the setting's name for the message
     */
    public static double checkRadialCutoff(String key, double rCut) {
        return Ranges.inLeftOpen(key, rCut, 1, MAX_R_CUT, "Angstrom");
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
