package org.fusionml.models.ops;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.pytorch.jni.IValueUtils;
import ai.djl.pytorch.jni.JniUtils;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * libtorch operators that DJL 0.36's PyTorch JNI does not expose, reached through TorchScript.
 *
 * <p>Each operator is a parameterless TorchScript module whose {@code forward} calls the aten
 * operator. The module is written here as TorchScript source and packed into the archive layout
 * that {@code torch::jit::load} reads (the code, a pickled module object, the format version); no
 * Python is involved: libtorch compiles the source when the archive is loaded, once per process.
 * Calls run with autograd as the caller has it, so gradients flow through the operators' own
 * derivatives (the same kernels PyTorch's {@code silu} and {@code scatter_add} use).
 *
 * <ul>
 *   <li>{@link #silu}: one pass forward and one backward, where {@code x * sigmoid(x)} takes two
 *       and four.
 *   <li>{@link #scatterAdd}: {@code scatter_add} with the segment index broadcast over the feature
 *       axis, whose forward and backward (a gather) take libtorch's sorted, parallel path; the
 *       sparse COO product it replaces runs its backward on one thread into a zero-filled array of
 *       the input's size.
 * </ul>
 */
public final class ScriptedOps {
    private ScriptedOps() {}

    /** The body of Silu's forward(x). */
    private static final String SILU =
            """
            return torch.silu(x)
            """;

    /**
     * The body of ScatterAdd's forward(x, matrix). The segment of each row is the matrix's first
     * index row; its columns are 0..R-1 in order (as built by GraphOps.segmentSum and segmentMean),
     * so x needs no reordering; weights other than 1 (means) scale the rows first.
     */
    private static final String SCATTER_ADD =
            """
            vector = x.dim() == 1
            y = x
            if vector:
              y = x.unsqueeze(1)
            weights = matrix._values()
            if not bool(torch.all(torch.eq(weights, 1.0))):
              y = y * weights.unsqueeze(1)
            index = matrix._indices()[0].unsqueeze(1).expand(-1, y.size(1))
            out = torch.zeros([matrix.size(0), y.size(1)], dtype=y.dtype, device=y.device)
            out = torch.scatter_add(out, 0, index, y.contiguous())
            if vector:
              out = out.squeeze(1)
            return out
            """;

    /** The modules, compiled on first use. */
    private static final class Modules {
        private static final NDManager MANAGER = NDManager.newBaseManager(Device.cpu(), "PyTorch");
        static final PtSymbolBlock SILU_MODULE = load("Silu", List.of("x"), SILU);
        static final PtSymbolBlock SCATTER_ADD_MODULE =
                load("ScatterAdd", List.of("x", "matrix"), SCATTER_ADD);
    }

    /**
     * SiLU, x * sigmoid(x), as one operator.
     *
     * @param x any shape
     * @return the shape of x
     */
    public static NDArray silu(NDArray x) {
        return run(Modules.SILU_MODULE, x);
    }

    /**
     * out = S x for a matrix S from {@link GraphOps#segmentSum} or {@link GraphOps#segmentMean}:
     * out[s] = sum over the rows r of segment s of w_r x[r].
     *
     * @param x [R, F] (or [R])
     * @param matrix sparse [S, R] with columns 0..R-1 in order
     * @return [S, F] (or [S])
     */
    public static NDArray scatterAdd(NDArray x, NDArray matrix) {
        return run(Modules.SCATTER_ADD_MODULE, x, matrix);
    }

    /** Threads on which TorchScript's graph optimisation has been switched off. */
    private static final ThreadLocal<Boolean> PLAIN_INTERPRETER = new ThreadLocal<>();

    /**
     * Runs {@code module}; the result belongs to the manager of the first input. The inputs must be
     * unnamed: DJL packs named arrays differently (a name with '.', "[]" or "()" makes them a
     * dictionary or list).
     */
    private static NDArray run(PtSymbolBlock module, NDArray... inputs) {
        if (PLAIN_INTERPRETER.get() == null) {
            // The graph executor's profiling and re-specialisation on every new shape (each
            // batch has its own) is pure cost for a graph of one operator; the switch is per
            // thread in libtorch.
            JniUtils.setGraphExecutorOptimize(false);
            PLAIN_INTERPRETER.set(Boolean.TRUE);
        }
        // isTrain = true only means "with autograd as the caller has it": the module holds no
        // state that differs between training and inference.
        return IValueUtils.forward(module, new NDList(inputs), true).singletonOrThrow();
    }

    private static PtSymbolBlock load(String name, List<String> tensors, String body) {
        try {
            return JniUtils.loadModule(
                    (PtNDManager) Modules.MANAGER,
                    new ByteArrayInputStream(archive(name, source(name, tensors, body))),
                    false,
                    false);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * TorchScript source of a parameterless module {@code __torch__.NAME} whose {@code forward}
     * takes the tensors named {@code tensors} and runs {@code body} (statements at no indent).
     */
    static String source(String name, List<String> tensors, String body) {
        StringBuilder code = new StringBuilder();
        code.append("class ").append(name).append("(Module):\n");
        code.append("  __parameters__ = []\n  __buffers__ = []\n  training : bool\n");
        code.append("  def forward(self: __torch__.").append(name);
        for (String t : tensors) {
            code.append(",\n    ").append(t).append(": Tensor");
        }
        code.append(") -> Tensor:\n");
        body.lines().forEach(line -> code.append("    ").append(line).append('\n'));
        return code.toString();
    }

    /**
     * A TorchScript archive holding one parameterless module of class {@code __torch__.NAME}
     * defined by {@code code}: the part of the layout {@code torch.jit.save} writes that {@code
     * torch::jit::load} needs for a module without tensors (no byteorder, no data records), format
     * version 3.
     */
    static byte[] archive(String name, String code) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            stored(zip, "module/data.pkl", moduleObject(name));
            stored(zip, "module/code/__torch__.py", code.getBytes(StandardCharsets.UTF_8));
            // the constants table: an empty tuple
            stored(zip, "module/constants.pkl", new byte[] {(byte) 0x80, 2, ')', 'q', 0, '.'});
            stored(zip, "module/version", "3\n".getBytes(StandardCharsets.US_ASCII));
        }
        return bytes.toByteArray();
    }

    /** Pickle (protocol 2) of an instance of __torch__.NAME whose one attribute is training. */
    private static byte[] moduleObject(String name) throws IOException {
        ByteArrayOutputStream p = new ByteArrayOutputStream();
        p.write(new byte[] {(byte) 0x80, 2}); // PROTO 2
        p.write(("c__torch__\n" + name + "\n").getBytes(StandardCharsets.US_ASCII)); // GLOBAL
        p.write(new byte[] {'q', 0, ')', (byte) 0x81}); // BINPUT, EMPTY_TUPLE, NEWOBJ
        p.write(new byte[] {'}', 'q', 1, 'X', 8, 0, 0, 0}); // EMPTY_DICT, BINPUT, BINUNICODE
        p.write("training".getBytes(StandardCharsets.US_ASCII));
        p.write(new byte[] {'q', 2, (byte) 0x88, 's', 'b', '.'}); // True, SETITEM, BUILD, STOP
        return p.toByteArray();
    }

    private static void stored(ZipOutputStream zip, String path, byte[] content)
            throws IOException {
        ZipEntry entry = new ZipEntry(path);
        entry.setMethod(ZipEntry.STORED);
        entry.setSize(content.length);
        CRC32 crc = new CRC32();
        crc.update(content);
        entry.setCrc(crc.getValue());
        zip.putNextEntry(entry);
        zip.write(content);
        zip.closeEntry();
    }
}
