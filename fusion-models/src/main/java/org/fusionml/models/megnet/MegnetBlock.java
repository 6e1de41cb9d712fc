package org.fusionml.models.megnet;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.List;
import org.fusionml.data.descriptor.AtomFeatures;
import org.fusionml.models.batch.GraphBatch;
import org.fusionml.models.layers.Blocks;
import org.fusionml.models.layers.Perceptron;
import org.fusionml.models.layers.RadialBasis;
import org.fusionml.models.layers.Set2Set;
import org.fusionml.models.ops.GraphOps;
import org.fusionml.models.ops.Segments;

/**
 * MEGNet (Chen, Ye, Zuo, Zheng and Ong, "Graph Networks as a Universal Machine Learning Framework
 * for Molecules and Crystals", Chem. Mater. 31, 3564, 2019), as in the paper's code for crystals.
 * With n1 = {@code dense}, n2 = {@code features}, n3 = {@code readout}, ssp(x) = softplus(x) - ln 2
 * (the paper's softplus2) and FF(x) = ssp(W2 ssp(W1 x + b1) + b2) a two-layer feed-forward network
 * of widths n1, n2:
 *
 * <pre>
 *   v_i  = FF_v(W_emb x_i + b)            atoms    [N, 92] -> [N, embedding] -> [N, n2]
 *   e_k  = FF_e(g(d_k))                   bonds    [E]     -> [E, gaussians] -> [E, n2]
 *   u    = FF_u(0)                        state    [B, 2]  -> [B, n2]
 *   block t = 1..T (the first without its FF; the others with their own FF_v, FF_e, FF_u first):
 *     e'_k = phi_e([v_dst(k), v_src(k), e_k, u_g(k)])                     [E, n2]
 *     v'_i = phi_v([mean_{k: dst(k) = i} e'_k, v_i, u_g(i)])              [N, n2]
 *     u'   = phi_u([mean_k e'_k, mean_i v'_i, u])  (means over the graph)  [B, n2]
 *     v <- v + v', e <- e + e', u <- u + u'                                (skip connections)
 *   y    = W5 ssp(W4 ssp(W3 [Set2Set(v), Set2Set(e), u] + b3) + b4) + b5   [B, outputs]
 * </pre>
 *
 * phi_e, phi_v, phi_u are dense networks of widths n1, n1, n2 with ssp between the layers and a
 * linear last layer (the paper's code); each set2set ({@link Set2Set}, n3 wide, output 2 n3) runs
 * over the atoms or bonds of each graph. g(d)_k = exp(-(d - mu_k)^2 / sigma^2) with mu from 0 to
 * cutoff + 1 Angstrom. The bonds are those of the radius graph (both directions), and the mean of
 * bonds into an atom is over the bonds that end there (an atom without bonds gets 0).
 *
 * <p>Where this differs from the paper's code, and why: the atoms enter as the framework's 92 CGCNN
 * features through a linear layer (a learnt embedding of the element, as the paper's 16-wide
 * embedding of Z, since the batch carries features rather than atomic numbers); the state input is
 * the paper's default for crystals, two zeros, so FF_u(0) is a learnt constant; the set2set LSTM
 * uses sigmoid gates (not Keras' hard sigmoid) and carries its cell state between steps.
 *
 * <p>Input: {@link GraphBatch#toNDList()} of a radius graph; output [B, outputs].
 */
public final class MegnetBlock extends AbstractBlock {
    private static final byte VERSION = 1;
    private static final float LN2 = (float) Math.log(2);

    /** Width of the state input: megnet's default state of a crystal is [0, 0]. */
    static final int STATE_INPUTS = 2;

    private final MegnetConfig config;
    private final RadialBasis distances;
    private final Linear embedding;
    private final Perceptron atomIn;
    private final Perceptron bondIn;
    private final Perceptron stateIn;
    private final List<Perceptron[]> feedForward = new ArrayList<>(); // atom, bond, state
    private final List<Perceptron[]> updates = new ArrayList<>(); // phi_e, phi_v, phi_u
    private final Set2Set atomReadout;
    private final Set2Set bondReadout;
    private final Perceptron output;

    public MegnetBlock(MegnetConfig config) {
        super(VERSION);
        this.config = config;
        distances = new RadialBasis(0, config.cutoff() + 1, config.gaussians());
        embedding =
                addChildBlock("embedding", Linear.builder().setUnits(config.embedding()).build());
        atomIn = addChildBlock("atom_ff", feedForward());
        bondIn = addChildBlock("bond_ff", feedForward());
        stateIn = addChildBlock("state_ff", feedForward());
        int n1 = config.dense();
        int n2 = config.features();
        for (int t = 0; t < config.blocks(); t++) {
            if (t > 0) {
                feedForward.add(
                        new Perceptron[] {
                            addChildBlock("block_" + t + "_atom_ff", feedForward()),
                            addChildBlock("block_" + t + "_bond_ff", feedForward()),
                            addChildBlock("block_" + t + "_state_ff", feedForward()),
                        });
            }
            updates.add(
                    new Perceptron[] {
                        addChildBlock("block_" + t + "_phi_e", dense(false, n1, n1, n2)),
                        addChildBlock("block_" + t + "_phi_v", dense(false, n1, n1, n2)),
                        addChildBlock("block_" + t + "_phi_u", dense(false, n1, n1, n2)),
                    });
        }
        Set2Set.Builder s2s =
                Set2Set.builder().setHidden(config.readout()).optSteps(config.set2setSteps());
        atomReadout = addChildBlock("atom_set2set", s2s.build());
        bondReadout = addChildBlock("bond_set2set", s2s.build());
        output = addChildBlock("readout", dense(false, n2, config.readout(), config.outputs()));
    }

    public MegnetConfig config() {
        return config;
    }

    /** The paper's softplus2: softplus(x) - ln 2, zero at zero. */
    private static NDArray ssp(NDArray x) {
        return Activation.softPlus(x).sub(LN2);
    }

    private static Perceptron dense(boolean activateLast, int... units) {
        return Perceptron.builder()
                .setUnits(units)
                .setActivation(MegnetBlock::ssp)
                .optActivateLast(activateLast)
                .build();
    }

    private Perceptron feedForward() {
        return dense(true, config.dense(), config.features());
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        GraphBatch b = GraphBatch.fromNDList(inputs);
        NDManager manager = b.atomFeatures().getManager();
        DataType type = b.atomFeatures().getDataType();
        int graphs = Math.toIntExact(b.numGraphs());
        int[] graphOfAtom = b.graphOfAtom();
        int[] dst = b.edgeDestinations();
        int[] graphOfBond = new int[dst.length];
        for (int k = 0; k < dst.length; k++) {
            graphOfBond[k] = graphOfAtom[dst[k]];
        }
        Segments atoms = Segments.of(manager, graphOfAtom, graphs, type);
        Segments bonds = Segments.of(manager, graphOfBond, graphs, type);
        Segments incoming = Segments.of(manager, dst, graphOfAtom.length, type);

        NDArray gamma = distances(b.bondLengths());
        NDArray v =
                Blocks.apply(
                        atomIn,
                        ps,
                        Blocks.apply(embedding, ps, b.atomFeatures(), training),
                        training);
        NDArray e = Blocks.apply(bondIn, ps, gamma, training);
        NDArray u =
                Blocks.apply(
                        stateIn,
                        ps,
                        manager.zeros(new Shape(graphs, STATE_INPUTS), type),
                        training);
        for (int t = 0; t < updates.size(); t++) {
            NDArray vIn = v;
            NDArray eIn = e;
            NDArray uIn = u;
            if (t > 0) {
                Perceptron[] ff = feedForward.get(t - 1);
                vIn = Blocks.apply(ff[0], ps, v, training);
                eIn = Blocks.apply(ff[1], ps, e, training);
                uIn = Blocks.apply(ff[2], ps, u, training);
            }
            Perceptron[] phi = updates.get(t);
            NDArray ePrime =
                    Blocks.apply(
                            phi[0],
                            ps,
                            incoming.broadcast(vIn)
                                    .concat(GraphOps.gather(vIn, b.edgeSrc()), 1)
                                    .concat(eIn, 1)
                                    .concat(bonds.broadcast(uIn), 1),
                            training);
            NDArray vPrime =
                    Blocks.apply(
                            phi[1],
                            ps,
                            incoming.mean(ePrime).concat(vIn, 1).concat(atoms.broadcast(uIn), 1),
                            training);
            NDArray uPrime =
                    Blocks.apply(
                            phi[2],
                            ps,
                            bonds.mean(ePrime).concat(atoms.mean(vPrime), 1).concat(uIn, 1),
                            training);
            v = v.add(vPrime);
            e = e.add(ePrime);
            u = u.add(uPrime);
        }
        NDArray pooled =
                atomReadout
                        .apply(ps, v, atoms, training)
                        .concat(bondReadout.apply(ps, e, bonds, training), 1)
                        .concat(u, 1);
        return output.forward(ps, new NDList(pooled), training);
    }

    private NDArray distances(NDArray lengths) {
        double width = config.gaussianWidth();
        return distances.expand(lengths, 1 / (width * width));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputs) {
        return Blocks.graphOutputShape(inputs, config.outputs());
    }

    @Override
    protected void initializeChildBlocks(
            NDManager manager, DataType dataType, Shape... inputShapes) {
        int n2 = config.features();
        embedding.initialize(manager, dataType, new Shape(1, AtomFeatures.SIZE));
        atomIn.initialize(manager, dataType, new Shape(1, config.embedding()));
        bondIn.initialize(manager, dataType, new Shape(1, config.gaussians()));
        stateIn.initialize(manager, dataType, new Shape(1, STATE_INPUTS));
        for (Perceptron[] ff : feedForward) {
            for (Perceptron p : ff) {
                p.initialize(manager, dataType, new Shape(1, n2));
            }
        }
        for (Perceptron[] phi : updates) {
            phi[0].initialize(manager, dataType, new Shape(1, 4L * n2));
            phi[1].initialize(manager, dataType, new Shape(1, 3L * n2));
            phi[2].initialize(manager, dataType, new Shape(1, 3L * n2));
        }
        Shape[] s2sShapes = set2setShapes(n2);
        atomReadout.initialize(manager, dataType, s2sShapes);
        bondReadout.initialize(manager, dataType, s2sShapes);
        output.initialize(manager, dataType, new Shape(1, 4L * config.readout() + n2));
    }

    /** Placeholder shapes of a set2set input: x [1, F] and the four arrays of {@link Segments}. */
    private static Shape[] set2setShapes(int features) {
        return new Shape[] {
            new Shape(1, features), new Shape(1), new Shape(1, 1), new Shape(1, 1), new Shape(1)
        };
    }
}
