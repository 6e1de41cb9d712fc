package org.fusionml.models.sodnet;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import org.fusionml.models.ops.Segments;

/**
 * What SODNet's layers read of the bonds j -&gt; i, computed once per batch.
 *
 * @param harmonics [E, (L + 1)^2], sqrt(4 pi) Y_lm(r_ij / |r_ij|) ({@link Irreps#harmonics})
 * @param radial [E, B], the invariant bond features: the Gaussian expansion of |r_ij| times the
 *     bond's occupancy weight
 * @param src [E] int64, j
 * @param dst [E] int64, i
 * @param edgeToAtom sparse [N, E]: sums bond rows into their destination atoms
 * @param incoming the bonds grouped by destination atom (for the attention's softmax)
 */
record Bonds(
        NDArray harmonics,
        NDArray radial,
        NDArray src,
        NDArray dst,
        NDArray edgeToAtom,
        Segments incoming) {

    /** Number of arrays in {@link #toNDList()}. */
    static final int SIZE = 5 + Segments.SIZE;

    NDList toNDList() {
        NDList list = new NDList(harmonics, radial, src, dst, edgeToAtom);
        list.addAll(incoming.toNDList());
        return list;
    }

    /** Reads {@link #SIZE} arrays of {@code list} from {@code from} on. */
    static Bonds fromNDList(NDList list, int from) {
        return new Bonds(
                list.get(from),
                list.get(from + 1),
                list.get(from + 2),
                list.get(from + 3),
                list.get(from + 4),
                Segments.fromNDList(list, from + 5));
    }

    /** Number of bonds E. */
    long size() {
        return src.getShape().get(0);
    }
}
