package org.fusionml.models;

import ai.djl.nn.Block;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.util.List;
import org.fusionml.data.graph.LatticeLoops;

/**
 * The configuration of one architecture, chosen in a configuration file by {@code type:} (one
 * record per architecture, as ALIGNN's per-architecture config classes; the names are those of
 * {@link Architectures}). It builds the block and says which graph the block reads. All blocks take
 * {@link org.fusionml.models.batch.GraphBatch#toNDList()} and return [B, outputs].
 *
 * <p>The same snake_case spelling is used in YAML, in a run's {@code config.yaml} and in a saved
 * model's {@code model.json}. Configuration files may leave {@code type} out: the loader reads such
 * a section as ALIGNN.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.PROPERTY, property = "type")
public interface ArchitectureConfig {
    /** The heads a model can have. */
    List<String> HEADS = List.of("evidential", "regression");

    /** The initialisations of the linear layers. */
    List<String> INITS = List.of("pytorch", "xavier");

    /**
     * {@code evidential} (four outputs: the Normal-Inverse-Gamma gamma, nu, alpha, beta) or {@code
     * regression} (one output).
     */
    String head();

    /**
     * Initialisation of the linear layers: {@code pytorch} (U(-1/sqrt(fan_in), 1/sqrt(fan_in)) for
     * weights and biases, as PyTorch's nn.Linear and so the published models) or {@code xavier}
     * (DJL's default: Gaussian Xavier weights, zero biases).
     */
    String init();

    /** Values per structure: 4 for the evidential head, 1 for plain regression. */
    default int outputs() {
        return head().equals("evidential") ? 4 : 1;
    }

    /** Graph cutoff, Angstrom. */
    double cutoff();

    /** True for the ALIGNN k-nearest-neighbour graph, false for a plain radius graph. */
    boolean knnGraph();

    /** k of the k-nearest-neighbour graph (unused by radius graphs). */
    int maxNeighbors();

    /** Whether the block reads the line graph (bond angles). */
    boolean lineGraph();

    /**
     * The self-connecting edges that carry the lattice into the graph (Matformer, ComFormer); none
     * unless an architecture asks for them.
     */
    default LatticeLoops latticeLoops() {
        return LatticeLoops.NONE;
    }

    /**
     * Whether the block reads PotNet's infinite edges: one edge per ordered atom pair of the cell
     * after the bonds, with the lattice sums of pair potentials ({@link
     * org.fusionml.models.batch.GraphSample#edgePotentials()}); they cost a lattice sum per atom
     * pair and N^2 edges per structure, so other architectures get the bonds only.
     */
    default boolean edgePotentials() {
        return false;
    }

    /** A new, uninitialised block. */
    Block newBlock();

    /** The architecture's {@code type} name. */
    String name();

    /** The same architecture with another head. */
    ArchitectureConfig withHead(String head);

    /** {@code head}, or the default {@code evidential} when null; an unknown head is an error. */
    static String checkHead(String head) {
        String h = head == null ? "evidential" : head;
        if (!HEADS.contains(h)) {
            throw new IllegalArgumentException(
                    "model.head '" + h + "' is not known; valid: " + String.join(", ", HEADS));
        }
        return h;
    }

    /** {@code init}, or the default {@code pytorch} when null; an unknown one is an error. */
    static String checkInit(String init) {
        String i = init == null ? "pytorch" : init;
        if (!INITS.contains(i)) {
            throw new IllegalArgumentException(
                    "model.init '" + i + "' is not known; valid: " + String.join(", ", INITS));
        }
        return i;
    }

    /** {@code value}, or {@code fallback} when null; below {@code min} is an error. */
    static int atLeast(String key, Integer value, int fallback, int min) {
        int v = value == null ? fallback : value;
        if (v < min) {
            throw new IllegalArgumentException("model." + key + " (" + v + ") must be >= " + min);
        }
        return v;
    }

    /** The largest neighbour cutoff a model may take, Angstrom (as SOAP's r_cut). */
    static final double MAX_CUTOFF = 20.0;

    /**
     * A neighbour cutoff in Angstrom, or {@code fallback} when null: in (0, {@link #MAX_CUTOFF}].
     */
    static double cutoff(Double value, double fallback) {
        double v = positive("cutoff", value, fallback);
        if (v > MAX_CUTOFF) {
            throw new IllegalArgumentException(
                    "model.cutoff ("
                            + v
                            + ") must be at most "
                            + MAX_CUTOFF
                            + " Angstrom (neighbour graphs grow as its cube)");
        }
        return v;
    }

    /** {@code value} in Angstrom, or {@code fallback} when null; it must be finite and > 0. */
    static double positive(String key, Double value, double fallback) {
        double v = value == null ? fallback : value;
        if (!(v > 0 && Double.isFinite(v))) {
            throw new IllegalArgumentException(
                    "model." + key + " (" + v + ") must be > 0 Angstrom");
        }
        return v;
    }
}
