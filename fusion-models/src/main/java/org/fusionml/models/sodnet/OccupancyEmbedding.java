package org.fusionml.models.sodnet;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * SODNet's site-occupancy embedding: a site's scalar features are the occupancy-weighted sum of the
 * embeddings of the species that may occupy it,
 *
 * <pre>
 *   h_i = sum_s o_is (W x_s + b)                   x_s [F] atom features, h_i [C]
 * </pre>
 *
 * (the paper's code sums o_is times a fixed per-element vector; here the species embedding W x_s +
 * b is learned from the framework's atom features). For an ordered site, one species with o = 1, it
 * is exactly the linear embedding W x + b of that species; a vacancy (sum_s o_is &lt; 1) scales the
 * site down.
 *
 * <p>Input: {@link SiteOccupancy#speciesFeatures()} [N, S, F], {@link SiteOccupancy#occupancies()}
 * [N, S]; output h [N, C].
 */
final class OccupancyEmbedding extends AbstractBlock {
    private static final byte VERSION = 1;

    private final int units;
    private final Linear species;

    OccupancyEmbedding(int units) {
        super(VERSION);
        this.units = units;
        species = addChildBlock("species", Linear.builder().setUnits(units).build());
    }

    /** Named form of {@link #forward}: h [N, C]. */
    NDArray apply(ParameterStore ps, SiteOccupancy sites, boolean training) {
        return forward(ps, new NDList(sites.speciesFeatures(), sites.occupancies()), training)
                .singletonOrThrow();
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList in, boolean training, PairList<String, Object> params) {
        NDArray e = species.forward(ps, new NDList(in.get(0)), training).singletonOrThrow();
        return new NDList(e.mul(in.get(1).expandDims(2)).sum(new int[] {1}));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputs) {
        return new Shape[] {new Shape(inputs[0].get(0), units)};
    }

    @Override
    protected void initializeChildBlocks(
            NDManager manager, DataType dataType, Shape... inputShapes) {
        species.initialize(manager, dataType, new Shape(1, inputShapes[0].get(2)));
    }
}
