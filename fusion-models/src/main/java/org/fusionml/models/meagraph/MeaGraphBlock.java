package org.fusionml.models.meagraph;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.List;
import org.fusionml.models.ops.GraphOps;

/**
 * The MEAGraph autoencoder: encoder layers F -> hidden[0] -> ... -> hidden[last], each followed by
 * edge pruning, and a decoder that mirrors the widths back to F on the edges the encoder kept.
 *
 * <p>Edge pruning (after every encoder layer): an edge j -> i is kept when its normalised attention
 * (mean over kernels, summing to 1 over i's incoming edges) is at least the mean over i's incoming
 * edges, 1 / deg(i), up to a relative 1e-6 for ties. So every node keeps its strongest edges and a
 * cluster of equal attention keeps all of them. (MEAGraph's code instead min-max normalises the raw
 * attention over all edges of the graph and keeps those above the global mean; with two or more
 * layers that isolates the outer nodes of a uniform cluster: two well-separated synthetic clusters
 * of 20 came out as 5 components.) The choice is not differentiated; the kept edges of the last
 * encoder layer are the graph whose connected components are MEAGraph's clusters.
 *
 * <p>Input: x [N, F] (float32), src [E], dst [E] (int64, both directions of an undirected edge
 * listed). Output, by name: {@code reconstruction} [N, F], {@code embedding} [N, hidden[last]],
 * {@code src} and {@code dst} [E'] (int64), the kept edges.
 */
public final class MeaGraphBlock extends AbstractBlock {
    private static final byte VERSION = 1;

    private final MeaGraphConfig config;
    private final List<MeaGraphLayer> encoder = new ArrayList<>();
    private final List<MeaGraphLayer> decoder = new ArrayList<>();

    public MeaGraphBlock(MeaGraphConfig config) {
        super(VERSION);
        this.config = config;
        List<Integer> widths = new ArrayList<>();
        widths.add(config.inputFeatures());
        widths.addAll(config.hidden());
        for (int l = 0; l + 1 < widths.size(); l++) {
            encoder.add(addChildBlock("encoder_" + l, layer(widths.get(l), widths.get(l + 1))));
        }
        for (int l = widths.size() - 1; l > 0; l--) {
            decoder.add(
                    addChildBlock(
                            "decoder_" + (widths.size() - 1 - l),
                            layer(widths.get(l), widths.get(l - 1))));
        }
    }

    private MeaGraphLayer layer(int in, int out) {
        return MeaGraphLayer.builder()
                .setInFeatures(in)
                .setOutFeatures(out)
                .optKernels(config.kernels())
                .build();
    }

    public MeaGraphConfig config() {
        return config;
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList in, boolean training, PairList<String, Object> params) {
        NDArray h = in.get(0);
        NDManager manager = h.getManager();
        int n = Math.toIntExact(h.getShape().get(0));
        int[] src = toInt(in.get(1));
        int[] dst = toInt(in.get(2));
        for (MeaGraphLayer layer : encoder) {
            NDList out = layer.forward(ps, edges(manager, h, src, dst, n), training);
            h = out.get(0);
            boolean[] keep = keepAboveNodeMean(out.get(1).toFloatArray(), dst, n);
            src = select(src, keep);
            dst = select(dst, keep);
        }
        NDArray embedding = h;
        for (MeaGraphLayer layer : decoder) {
            h = layer.forward(ps, edges(manager, h, src, dst, n), training).get(0);
        }
        h.setName("reconstruction");
        embedding.setName("embedding");
        NDArray keptSrc = GraphOps.index(manager, src);
        keptSrc.setName("src");
        NDArray keptDst = GraphOps.index(manager, dst);
        keptDst.setName("dst");
        return new NDList(h, embedding, keptSrc, keptDst);
    }

    private static NDList edges(NDManager manager, NDArray h, int[] src, int[] dst, int n) {
        return new NDList(
                h,
                GraphOps.index(manager, src),
                GraphOps.index(manager, dst),
                GraphOps.segmentSum(manager, dst, n));
    }

    /**
     * Which edges survive pruning: those whose normalised attention is at least 1 / deg of their
     * destination (the mean over its incoming edges), with a relative tolerance of 1e-6.
     *
     * @param attention [E] normalised attention
     * @param dst [E] destination of each edge
     * @param n number of nodes
     */
    public static boolean[] keepAboveNodeMean(float[] attention, int[] dst, int n) {
        int[] degree = new int[n];
        for (int d : dst) {
            degree[d]++;
        }
        boolean[] keep = new boolean[attention.length];
        for (int e = 0; e < keep.length; e++) {
            keep[e] = (double) attention[e] * degree[dst[e]] >= 1 - 1e-6;
        }
        return keep;
    }

    private static int[] select(int[] values, boolean[] keep) {
        int count = 0;
        for (boolean k : keep) {
            count += k ? 1 : 0;
        }
        int[] out = new int[count];
        for (int e = 0, o = 0; e < keep.length; e++) {
            if (keep[e]) {
                out[o++] = values[e];
            }
        }
        return out;
    }

    private static int[] toInt(NDArray a) {
        long[] v = a.toLongArray();
        int[] out = new int[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = Math.toIntExact(v[i]);
        }
        return out;
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputs) {
        long n = inputs[0].get(0);
        long e = inputs[1].get(0);
        return new Shape[] {
            new Shape(n, config.inputFeatures()),
            new Shape(n, config.hidden().get(config.hidden().size() - 1)),
            new Shape(e),
            new Shape(e)
        };
    }

    @Override
    protected void initializeChildBlocks(
            NDManager manager, DataType dataType, Shape... inputShapes) {
        long n = inputShapes[0].get(0);
        long e = inputShapes[1].get(0);
        List<Integer> widths = new ArrayList<>();
        widths.add(config.inputFeatures());
        widths.addAll(config.hidden());
        for (int l = 0; l < encoder.size(); l++) {
            encoder.get(l).initialize(manager, dataType, layerShapes(n, e, widths.get(l)));
        }
        for (int l = 0; l < decoder.size(); l++) {
            decoder.get(l)
                    .initialize(
                            manager,
                            dataType,
                            layerShapes(n, e, widths.get(widths.size() - 1 - l)));
        }
    }

    private static Shape[] layerShapes(long n, long e, long width) {
        return new Shape[] {new Shape(n, width), new Shape(e), new Shape(e), new Shape(n, e)};
    }
}
