package org.fusionml.data.descriptor;

import java.util.Arrays;
import java.util.List;
import org.fusionml.data.structure.Structure;
import org.fusionml.data.symmetry.SpaceGroupFinder;
import org.fusionml.data.symmetry.SymmetryDataset;

/**
 * Builds fingerprints F(x) = normalise((1 / N) sum_j m_j s_j) (FUSION Eq. 4): one SOAP spectrum s_j
 * per class of symmetry-equivalent sites (equivalent sites have equal spectra), weighted by the
 * class size m_j. The result equals the plain mean over all sites; symmetry only saves work.
 */
public final class FingerprintBuilder {
    private final Soap soap;
    private final SpaceGroupFinder symmetry;

    /**
     * @param config SOAP settings
     * @param symprec tolerance of the symmetry search, Angstrom
     */
    public FingerprintBuilder(SoapConfig config, double symprec) {
        this.soap = new Soap(config);
        this.symmetry = new SpaceGroupFinder(symprec);
    }

    /** FUSION's settings: SOAP r_cut 5, n_max 8, l_max 6, sigma 0.5; symprec 0.01. */
    public static FingerprintBuilder fusionDefault() {
        return new FingerprintBuilder(SoapConfig.fusionDefault(), SpaceGroupFinder.DEFAULT_SYMPREC);
    }

    public SoapConfig config() {
        return soap.config();
    }

    /** The fingerprint of {@code s}, one spectrum per symmetry class. */
    public Fingerprint build(Structure s) {
        SymmetryDataset sym = symmetry.find(s);
        List<int[]> classes = sym.equivalenceClasses();
        int[] reps = new int[classes.size()];
        double[] weights = new double[classes.size()];
        for (int c = 0; c < reps.length; c++) {
            reps[c] = classes.get(c)[0];
            weights[c] = classes.get(c).length / (double) s.size();
        }
        return fromSpectra(s, soap.perSite(s, Soap.speciesOf(s), reps), weights);
    }

    /** The fingerprint from the spectra of every site (no symmetry shortcut), for checks. */
    public Fingerprint buildWithoutSymmetry(Structure s) {
        double[] weights = new double[s.size()];
        Arrays.fill(weights, 1.0 / s.size());
        return fromSpectra(s, soap.perSite(s, Soap.speciesOf(s)), weights);
    }

    private Fingerprint fromSpectra(Structure s, double[][] spectra, double[] weights) {
        int[] species = Soap.speciesOf(s);
        SoapConfig config = soap.config();
        int pairs = species.length * (species.length + 1) / 2;
        int[] keys = new int[pairs];
        int[] offsets = new int[pairs + 1];
        int k = 0;
        for (int a = 0; a < species.length; a++) {
            for (int b = a; b < species.length; b++) {
                keys[k] = Fingerprint.pairKey(species[a], species[b]);
                offsets[k + 1] =
                        offsets[k]
                                + (a == b ? config.sameSpeciesBlock() : config.crossSpeciesBlock());
                k++;
            }
        }
        double[] values = new double[offsets[pairs]];
        for (int c = 0; c < spectra.length; c++) {
            for (int q = 0; q < values.length; q++) {
                values[q] += weights[c] * spectra[c][q];
            }
        }
        double norm = 0;
        for (double v : values) {
            norm += v * v;
        }
        norm = Math.sqrt(norm);
        if (!(norm > 0)) {
            throw new IllegalArgumentException("SOAP fingerprint of " + s.formula() + " is zero");
        }
        for (int q = 0; q < values.length; q++) {
            values[q] /= norm;
        }
        return new Fingerprint(keys, offsets, values);
    }
}
