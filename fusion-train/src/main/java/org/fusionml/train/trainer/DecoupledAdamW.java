package org.fusionml.train.trainer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.training.tracker.ParameterTracker;
import ai.djl.util.PairList;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.fusionml.data.InvalidInputException;
import org.fusionml.models.ops.Scalars;

/**
 * AdamW (Loshchilov and Hutter, ICLR 2019) as PyTorch implements it: w <- w (1 - lr wd), then w <-
 * w - lr m^ / (sqrt(v^) + eps) with bias-corrected moments; weight decay is skipped for the
 * parameters named in {@code noDecay} (biases and normalisation scales and shifts).
 *
 * <p>One step updates all parameters at once: the moments are vectors over the {@link
 * FlatParameters} vector, the arithmetic is done once on the whole gradient vector, and only the
 * last subtraction (and the decay) is done per parameter. Per element the operations, their order
 * and their float32 constants are those of PyTorch's single-tensor AdamW, so the parameters come
 * out bit for bit as from updating each parameter on its own ({@code DecoupledAdamWTest} checks
 * it); the number of engine calls falls from ~20 per parameter and step to ~4.
 */
public final class DecoupledAdamW {
    /** Adam's beta1 when no schedule changes it (PyTorch's default). */
    public static final float BETA1 = 0.9f;

    private final FlatParameters parameters;
    private final ParameterTracker learningRate;

    /**
     * Adam's beta1 per step (0.9 throughout unless a schedule cycles it, see {@link
     * Schedules#oneCycleBeta1}).
     */
    private final ParameterTracker beta1;

    private final float beta2 = 0.999f;
    private final float epsilon = 1e-8f;
    private final float weightDecay;
    private final boolean[] decays;

    /** Owns the moments; a sub-manager of the parameters' manager, released with the model. */
    private final NDManager manager;

    private NDArray mean;
    private NDArray variance;

    /** Updates made with the current moments (the t of the bias correction). */
    private int updates;

    /** Schedule steps taken before the current moments started (a run resumed without them). */
    private int stepOffset;

    private DecoupledAdamW(Builder b) {
        parameters = b.parameters;
        learningRate = b.learningRate;
        beta1 = b.beta1;
        weightDecay = b.weightDecay;
        decays = new boolean[parameters.count()];
        Set<String> unknown = new TreeSet<>(b.noDecay);
        for (int i = 0; i < decays.length; i++) {
            decays[i] = weightDecay > 0 && !b.noDecay.contains(parameters.name(i));
            unknown.remove(parameters.name(i));
        }
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException(
                    "no trained parameter is named " + unknown + " (exempt from weight decay)");
        }
        manager = parameters.parameter(0).getArray().getManager().newSubManager();
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Names of the biases and of the normalisation scales and shifts among {@code parameters}: the
     * parameters that, as usual in PyTorch training code, get no weight decay.
     */
    public static Set<String> biasesAndNorms(PairList<String, Parameter> parameters) {
        Set<String> out = new TreeSet<>();
        for (var p : parameters) {
            Parameter.Type type = p.getValue().getType();
            if (type == Parameter.Type.BIAS
                    || type == Parameter.Type.GAMMA
                    || type == Parameter.Type.BETA) {
                out.add(p.getKey());
            }
        }
        return out;
    }

    public FlatParameters parameters() {
        return parameters;
    }

    /** Continues the schedule after {@code steps} steps (resumed runs without saved moments). */
    public void setStepOffset(int steps) {
        this.stepOffset = steps;
    }

    /**
     * The training step after a backward pass: gathers the parameters' accumulated gradients into a
     * vector owned by {@code manager}, clears them, checks the vector (and clips it to {@code
     * maxNorm} when that is > 0, see {@link Gradients#clip}) and, if every element is finite,
     * updates the parameters with it; otherwise no parameter changes.
     *
     * @return the check: whether the update was made, the gradient norm, the non-finite parameters
     */
    public Gradients.Check update(NDManager manager, double maxNorm) {
        NDArray gradient = parameters.gradient(manager);
        parameters.zeroGradients();
        Gradients.Check check = Gradients.clip(parameters, gradient, maxNorm);
        if (check.finite()) {
            step(gradient);
        }
        return check;
    }

    /**
     * One update of every parameter from {@code gradient}, the gradient vector [P] of {@link
     * #parameters()} (see {@link FlatParameters#gradient}); it may be modified. Does not clear the
     * parameters' own gradients.
     */
    public void step(NDArray gradient) {
        if (mean == null) {
            mean = manager.zeros(gradient.getShape(), gradient.getDataType(), gradient.getDevice());
            variance =
                    manager.zeros(
                            gradient.getShape(), gradient.getDataType(), gradient.getDevice());
        }
        int t = ++updates;
        float lr = learningRate.getNewValue("all", stepOffset + t - 1);
        float beta1 = this.beta1.getNewValue("all", stepOffset + t - 1);
        // as PyTorch: the bias correction uses this step's beta1, also when a schedule changes it
        float c1 = (float) (1 - Math.pow(beta1, t));
        float c2Root = (float) Math.sqrt(1 - Math.pow(beta2, t));
        // PyTorch's operation order: moments; denominator sqrt(v) / sqrt(1 - beta2^t) + eps;
        // w <- w (1 - lr wd); w <- w - (lr / (1 - beta1^t)) m / denominator. Temporaries made from
        // the
        // moments would live in this optimiser's manager for the whole training: all are closed
        // here.
        try (NDArray b1 = Scalars.of(gradient, beta1);
                NDArray oneMinusB1 = Scalars.of(gradient, 1 - beta1);
                NDArray b2 = Scalars.of(gradient, beta2);
                NDArray oneMinusB2 = Scalars.of(gradient, 1 - beta2);
                NDArray gScaled = gradient.mul(oneMinusB1);
                NDArray g2 = gradient.square()) {
            mean.muli(b1).addi(gScaled);
            variance.muli(b2).addi(g2.muli(oneMinusB2));
        }
        try (NDArray c2 = Scalars.of(gradient, c2Root);
                NDArray eps = Scalars.of(gradient, epsilon);
                NDArray size = Scalars.of(gradient, lr / c1);
                NDArray decay = Scalars.of(gradient, 1 - lr * weightDecay);
                NDArray denominator = variance.sqrt();
                NDArray step = mean.div(denominator.divi(c2).addi(eps));
                NDList pieces = parameters.split(step.muli(size))) {
            for (int i = 0; i < decays.length; i++) {
                NDArray w = parameters.parameter(i).getArray();
                if (decays[i]) {
                    w.muli(decay);
                }
                w.subi(pieces.get(i));
            }
        }
    }

    /**
     * Writes the moments and the update count, per parameter name (DJL's parameter ids are random
     * per model instance), so that a resumed run continues with the same Adam state.
     */
    public byte[] state() {
        if (mean == null) {
            return new byte[0]; // no update yet: nothing to resume
        }
        byte[] bytes;
        try (NDList list = new NDList();
                NDList m = parameters.split(mean);
                NDList v = parameters.split(variance)) {
            for (int i = 0; i < parameters.count(); i++) {
                String name = parameters.name(i);
                list.add(named(m.get(i).duplicate(), "m:" + name));
                list.add(named(v.get(i).duplicate(), "v:" + name));
                list.add(named(manager.create(new int[] {updates}), "t:" + name));
            }
            bytes = list.encode();
        }
        return bytes;
    }

    private static NDArray named(NDArray a, String name) {
        a.setName(name);
        return a;
    }

    /**
     * Restores what {@link #state} returned, read from {@code file}; every parameter must be in it,
     * with one update count.
     *
     * @throws InvalidInputException naming {@code file} when the state does not fit the parameters
     */
    public void loadState(byte[] state, Path file) {
        Map<String, NDArray> byName = new HashMap<>();
        try (NDManager read = manager.newSubManager()) {
            try {
                for (NDArray a : NDList.decode(read, state)) {
                    byName.put(a.getName(), a);
                }
            } catch (RuntimeException e) {
                throw new InvalidInputException(
                        file.toString(), null, "its optimiser state cannot be decoded");
            }
            NDList m = new NDList();
            NDList v = new NDList();
            Integer t = null;
            for (int i = 0; i < parameters.count(); i++) {
                String name = parameters.name(i);
                NDArray mi = byName.get("m:" + name);
                NDArray vi = byName.get("v:" + name);
                NDArray ti = byName.get("t:" + name);
                if (mi == null || vi == null || ti == null) {
                    throw new InvalidInputException(
                            file.toString(), null, "no optimiser state for parameter " + name);
                }
                int count = ti.toIntArray()[0];
                if (t != null && t != count) {
                    throw new InvalidInputException(
                            file.toString(),
                            null,
                            "parameter " + name + " has " + count + " updates, others " + t);
                }
                t = count;
                m.add(mi.reshape(-1));
                v.add(vi.reshape(-1));
            }
            NDArray newMean = NDArrays.concat(m);
            NDArray newVariance = NDArrays.concat(v);
            newMean.attach(manager);
            newVariance.attach(manager);
            if (mean != null) {
                mean.close();
                variance.close();
            }
            mean = newMean;
            variance = newVariance;
            updates = t;
        }
    }

    /** Builds a {@link DecoupledAdamW}. */
    public static final class Builder {
        private FlatParameters parameters;
        private ParameterTracker learningRate = Schedules.constant(1e-3f);
        private ParameterTracker beta1 = Schedules.constant(BETA1);
        private float weightDecay = 1e-2f;
        private Set<String> noDecay = Set.of();

        /** The parameters to update (required). */
        public Builder setParameters(FlatParameters parameters) {
            this.parameters = parameters;
            return this;
        }

        public Builder optLearningRateTracker(ParameterTracker t) {
            this.learningRate = t;
            return this;
        }

        /** Adam's beta1 per step; {@link #BETA1} throughout by default. */
        public Builder optBeta1Tracker(ParameterTracker t) {
            this.beta1 = t;
            return this;
        }

        public Builder optWeightDecay(float wd) {
            this.weightDecay = wd;
            return this;
        }

        /** Names of the parameters exempt from weight decay. */
        public Builder optNoDecay(Set<String> names) {
            this.noDecay = names;
            return this;
        }

        public DecoupledAdamW build() {
            if (parameters == null) {
                throw new IllegalArgumentException("AdamW needs the parameters to update");
            }
            if (!(weightDecay >= 0)) {
                throw new IllegalArgumentException(
                        "weight decay (" + weightDecay + ") must be >= 0");
            }
            return new DecoupledAdamW(this);
        }
    }
}
