package org.fusionml.models.batch;

import ai.djl.ndarray.types.Shape;
import org.fusionml.data.descriptor.AtomFeatures;

/** Placeholder input shapes of a {@link GraphBatch} for block initialisation (sizes vary). */
public final class GraphBatchShapes {
    private GraphBatchShapes() {}

    /** One shape per array of {@link GraphBatch#toNDList()}, with 1 for every variable size. */
    public static Shape[] shapes() {
        return new Shape[] {
            new Shape(1, AtomFeatures.SIZE),
            new Shape(1),
            new Shape(1),
            new Shape(1, 3),
            new Shape(1, 3),
            new Shape(1, 3),
            new Shape(1),
            new Shape(1),
            new Shape(1),
            new Shape(1),
            new Shape(1, 1),
            new Shape(1, 1),
            new Shape(1, 1),
            new Shape(1, 3),
            new Shape(1, 3),
        };
    }
}
