package org.fusionml.models.sodnet;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/**
 * The species that may occupy each site and their occupancies: what SODNet's site-occupancy
 * embedding reads. Up to S species per site, padded with occupancy 0.
 *
 * <p>The framework reads ordered structures only ({@link org.fusionml.data.structure.Site} holds
 * one element), so {@link SodnetBlock} builds {@link #ordered}: one species per site, occupancy 1.
 * A disordered input would need a reader that keeps the partial occupancies of a CIF's {@code
 * _atom_site_occupancy} (several species on one site, or one species below 1: a vacancy), a site
 * type holding species and occupancies, and {@link org.fusionml.models.batch.GraphSample} fields
 * for them ([N, S] atomic numbers and occupancies) from which the batch builds this record.
 *
 * @param speciesFeatures [N, S, F], the atom features of each candidate species (zeros for padding)
 * @param occupancies [N, S], each in [0, 1], at most 1 per site (less: a vacancy)
 */
public record SiteOccupancy(NDArray speciesFeatures, NDArray occupancies) {

    /** One species per site with occupancy 1, from the batch's atom features [N, F]. */
    public static SiteOccupancy ordered(NDArray atomFeatures) {
        long n = atomFeatures.getShape().get(0);
        return new SiteOccupancy(
                atomFeatures.expandDims(1),
                atomFeatures.getManager().ones(new Shape(n, 1), atomFeatures.getDataType()));
    }

    /** The total occupancy o_i = sum_s o_is of each site: [N] (1 for an ordered site). */
    public NDArray siteTotals() {
        return occupancies.sum(new int[] {1});
    }
}
