package org.fusionml.data.descriptor;

import java.util.List;
import org.fusionml.data.structure.Element;
import org.fusionml.data.structure.Site;
import org.fusionml.data.structure.Structure;
import org.fusionml.data.symmetry.SpaceGroupFinder;

/**
 * The distinct atomic environments of one structure as species-agnostic SOAP power spectra: one
 * spectrum per class of symmetry-equivalent sites, with the class size.
 *
 * <p>Species-agnostic means every atom is treated as the same species (a single density channel),
 * so spectra of structures with different elements live in one space of (l_max + 1) n_max (n_max +
 * 1) / 2 features (252 at FUSION's settings) instead of a species-pair space that grows with the
 * dataset's element count (10 MB per dense vector over jdft2d's 77 elements). For elemental
 * systems, the setting MEAGraph was introduced for, it is plain SOAP.
 *
 * @param spectra [classes][features] power spectrum of each class's first site
 * @param multiplicity [classes] sites in each class
 */
public record SiteEnvironments(double[][] spectra, int[] multiplicity) {
    public SiteEnvironments {
        if (spectra.length != multiplicity.length) {
            throw new IllegalArgumentException(
                    spectra.length + " spectra for " + multiplicity.length + " classes");
        }
    }

    public int size() {
        return spectra.length;
    }

    /** Computes the environments of structures with one SOAP setting and symmetry tolerance. */
    public static final class Builder {
        private static final Element ANY = Element.ofZ(1);
        private final Soap soap;
        private final SpaceGroupFinder symmetry;

        /**
         * @param config SOAP settings (a single species channel is used)
         * @param symprec symmetry tolerance, Angstrom
         */
        public Builder(SoapConfig config, double symprec) {
            soap = new Soap(config);
            symmetry = new SpaceGroupFinder(symprec);
        }

        public SiteEnvironments build(Structure s) {
            List<int[]> classes = symmetry.find(s).equivalenceClasses();
            int[] reps = new int[classes.size()];
            int[] multiplicity = new int[classes.size()];
            for (int c = 0; c < reps.length; c++) {
                reps[c] = classes.get(c)[0];
                multiplicity[c] = classes.get(c).length;
            }
            Structure single =
                    new Structure(
                            s.lattice(),
                            s.sites().stream().map(site -> new Site(ANY, site.frac())).toList());
            return new SiteEnvironments(
                    soap.perSite(single, new int[] {ANY.z()}, reps), multiplicity);
        }

        /** Features per spectrum. */
        public int features() {
            return soap.numFeatures(new int[] {ANY.z()});
        }
    }
}
