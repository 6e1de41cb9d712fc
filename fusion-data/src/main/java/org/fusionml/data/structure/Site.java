package org.fusionml.data.structure;

import java.util.Arrays;
import java.util.Objects;

/**
 * One fully occupied atomic site.
 *
 * @param element the element on the site
 * @param frac fractional coordinates (not wrapped into [0, 1)); copied on the way in and out
 * @param label site label as given by the source (CIF {@code _atom_site_label}, pymatgen {@code
 *     label}); the element symbol when the source has none
 */
public record Site(Element element, double[] frac, String label) {
    public Site {
        Objects.requireNonNull(element, "element");
        if (frac == null || frac.length != 3) {
            throw new IllegalArgumentException("a site needs 3 fractional coordinates");
        }
        frac = frac.clone();
        for (double f : frac) {
            if (!Double.isFinite(f)) {
                throw new IllegalArgumentException(
                        "site " + label + " has a non-finite coordinate " + Arrays.toString(frac));
            }
        }
        label = label == null || label.isEmpty() ? element.symbol() : label;
    }

    /** A site labelled with its element symbol. */
    public Site(Element element, double[] frac) {
        this(element, frac, null);
    }

    @Override
    public double[] frac() {
        return frac.clone();
    }

    /** Fractional coordinate {@code k} without copying the array. */
    public double frac(int k) {
        return frac[k];
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Site s
                && element.equals(s.element)
                && Arrays.equals(frac, s.frac)
                && label.equals(s.label);
    }

    @Override
    public int hashCode() {
        return Objects.hash(element, Arrays.hashCode(frac), label);
    }

    @Override
    public String toString() {
        return label + Arrays.toString(frac);
    }
}
