package org.fusionml.train.trainer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.util.Pair;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The trainable parameters of a model laid end to end as one vector of P elements (P the sum of
 * their sizes, in the block's parameter order): their gradients gathered into one array [P], and an
 * array [P] split back into one piece per parameter.
 *
 * <p>Why: DJL makes one JNI call per array operation, so an optimiser that loops over the 106
 * parameter arrays of the small ALIGNN costs ~20 engine calls per parameter and step; on the flat
 * vector the optimiser's arithmetic is a dozen calls in all, and each parameter costs a few (its
 * gradient, its piece of the update, clearing its gradient). This is PyTorch's "foreach" form of an
 * optimiser step.
 *
 * <p>The parameter objects are kept, not their arrays: loading parameters replaces the arrays.
 */
public final class FlatParameters {
    private final List<String> names = new ArrayList<>();
    private final List<Parameter> parameters = new ArrayList<>();

    /** Start of each parameter in the vector; the last entry is P. */
    private final long[] offsets;

    /** The parameters of {@code all} whose arrays require gradients (initialised blocks only). */
    public FlatParameters(PairList<String, Parameter> all) {
        for (Pair<String, Parameter> p : all) {
            if (p.getValue().getArray().hasGradient()) {
                names.add(p.getKey());
                parameters.add(p.getValue());
            }
        }
        if (parameters.isEmpty()) {
            throw new IllegalArgumentException(
                    "no trainable parameters (none requires a gradient)");
        }
        offsets = new long[parameters.size() + 1];
        for (int i = 0; i < parameters.size(); i++) {
            offsets[i + 1] = offsets[i] + parameters.get(i).getArray().size();
        }
    }

    /** Number of parameters. */
    public int count() {
        return parameters.size();
    }

    /** Total number of elements P. */
    public long size() {
        return offsets[offsets.length - 1];
    }

    public String name(int i) {
        return names.get(i);
    }

    public Parameter parameter(int i) {
        return parameters.get(i);
    }

    /**
     * The accumulated gradients as one array [P], float32, a copy owned by {@code manager} (a
     * parameter whose gradient is undefined contributes zeros, as DJL's own update does).
     */
    public NDArray gradient(NDManager manager) {
        NDList pieces = new NDList(parameters.size());
        try {
            for (Parameter p : parameters) {
                try (NDArray g = p.getArray().getGradient()) {
                    pieces.add(g.reshape(-1));
                }
            }
            NDArray flat = NDArrays.concat(pieces);
            flat.attach(manager);
            return flat;
        } finally {
            pieces.close();
        }
    }

    /**
     * {@code flat} [P] as one view per parameter, each shaped like it; closing the list releases
     * the views only.
     */
    public NDList split(NDArray flat) {
        if (flat.size() != size()) {
            throw new IllegalArgumentException(
                    "vector of " + flat.size() + " elements for " + size() + " parameter elements");
        }
        long[] cuts = Arrays.copyOfRange(offsets, 1, offsets.length - 1);
        NDList out = new NDList(parameters.size());
        try (NDList pieces = flat.split(cuts)) {
            for (int i = 0; i < parameters.size(); i++) {
                out.add(pieces.get(i).reshape(parameters.get(i).getArray().getShape()));
            }
        }
        return out;
    }

    /** Names of the parameters whose part of {@code flat} [P] holds a NaN or an infinity. */
    public List<String> nonFinite(NDArray flat) {
        List<String> bad = new ArrayList<>();
        try (NDList pieces = split(flat)) {
            for (int i = 0; i < pieces.size(); i++) {
                try (NDArray d = pieces.get(i).toType(DataType.FLOAT64, false);
                        NDArray sum = d.sum()) {
                    if (!Double.isFinite(sum.getDouble())) {
                        bad.add(names.get(i));
                    }
                }
            }
        }
        return bad;
    }

    /**
     * Clears every parameter's accumulated gradient (PyTorch accumulates across backward passes).
     */
    public void zeroGradients() {
        for (Parameter p : parameters) {
            JniUtils.zeroGrad((PtNDArray) p.getArray());
        }
    }
}
