package org.fusionml.models.layers;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import org.fusionml.models.ops.GraphOps;

/**
 * The per-bond, per-head rows of a graph transformer layer (Matformer's and ComFormer's node-wise
 * attention): the atoms' query, key and value projections gathered to each bond's ends and the
 * bond's own projection, each split into {@code heads} rows of {@code width}.
 *
 * @param qi query of the receiving atom i, [E heads, width]
 * @param ki key of i, [E heads, width]
 * @param kj key of the sending atom j, [E heads, width]
 * @param vi value of i, [E heads, width]
 * @param vj value of j, [E heads, width]
 * @param f the bond feature's projection, [E heads, width]
 */
record HeadedBonds(NDArray qi, NDArray ki, NDArray kj, NDArray vi, NDArray vj, NDArray f) {

    /**
     * Projects atoms {@code h} [N, F] and bonds {@code e} [E, Fe] with {@code query}, {@code key},
     * {@code value} and {@code edge} (each to heads x width) and gathers them to the bonds {@code
     * src} -> {@code dst} [E].
     */
    static HeadedBonds of(
            ParameterStore ps,
            Block query,
            Block key,
            Block value,
            Block edge,
            NDArray h,
            NDArray e,
            NDArray src,
            NDArray dst,
            int heads,
            int width,
            boolean training) {
        long rows = e.getShape().get(0) * heads; // one row per bond and head
        NDArray q = Blocks.apply(query, ps, h, training);
        NDArray k = Blocks.apply(key, ps, h, training);
        NDArray v = Blocks.apply(value, ps, h, training);
        return new HeadedBonds(
                GraphOps.gather(q, dst).reshape(rows, width),
                GraphOps.gather(k, dst).reshape(rows, width),
                GraphOps.gather(k, src).reshape(rows, width),
                GraphOps.gather(v, dst).reshape(rows, width),
                GraphOps.gather(v, src).reshape(rows, width),
                Blocks.apply(edge, ps, e, training).reshape(rows, width));
    }
}
