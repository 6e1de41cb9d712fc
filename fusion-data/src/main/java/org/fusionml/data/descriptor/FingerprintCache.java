package org.fusionml.data.descriptor;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;
import java.util.stream.IntStream;
import java.util.zip.CRC32;
import java.util.zip.CheckedInputStream;
import java.util.zip.CheckedOutputStream;
import org.fusionml.data.InvalidInputException;
import org.fusionml.data.dataset.CrystalDataset;
import org.fusionml.data.dataset.DatasetEntry;
import org.fusionml.data.io.AtomicFiles;
import org.fusionml.data.io.Sources;

/**
 * Fingerprints on disk, keyed by the dataset (source SHA-256 and entry ids), every SOAP and
 * symmetry parameter and the file format version.
 *
 * <p>The file name is the SHA-256 of the key, and the key is stored in the file and compared on
 * load, so a cache made with other parameters is never reused. A file that fails its CRC-32, is
 * truncated or holds another key is rebuilt, with a warning. Files are written atomically.
 */
public final class FingerprintCache {
    /** Bump when the file layout or the fingerprint definition changes. */
    public static final int FORMAT_VERSION = 1;

    private static final int MAGIC = 0x46505243; // "FPRC"
    private static final System.Logger LOG = System.getLogger(FingerprintCache.class.getName());

    private final Path dir;

    public FingerprintCache(Path dir) {
        this.dir = dir;
    }

    /** The cache key of {@code data} fingerprinted by {@code builder} with {@code symprec}. */
    public static String key(CrystalDataset data, SoapConfig config, double symprec) {
        StringBuilder ids = new StringBuilder();
        for (DatasetEntry e : data.entries()) {
            ids.append(e.id()).append('\n');
        }
        return "fingerprints v"
                + FORMAT_VERSION
                + " source="
                + data.provenance().sha256()
                + " ids="
                + Sources.sha256(ids.toString().getBytes(StandardCharsets.UTF_8))
                + " r_cut="
                + config.rCut()
                + " n_max="
                + config.nMax()
                + " l_max="
                + config.lMax()
                + " sigma="
                + config.sigma()
                + " periodic="
                + config.periodic()
                + " symprec="
                + symprec;
    }

    /** Where the fingerprints of {@code key} live. */
    public Path file(String key) {
        return dir.resolve(Sources.sha256(key.getBytes(StandardCharsets.UTF_8)) + ".fp");
    }

    /**
     * Loads the fingerprints of {@code data}, or computes them (on {@code threads} threads, calling
     * {@code progress} with the number done) and stores them.
     */
    public List<Fingerprint> getOrCompute(
            CrystalDataset data,
            SoapConfig config,
            double symprec,
            int threads,
            IntConsumer progress)
            throws IOException {
        String key = key(data, config, symprec);
        Path file = file(key);
        List<Fingerprint> cached = load(file, key, data.size());
        if (cached != null) {
            progress.accept(data.size());
            return cached;
        }
        List<Fingerprint> fps =
                compute(data, new FingerprintBuilder(config, symprec), threads, progress);
        store(file, key, fps);
        return fps;
    }

    /**
     * The fingerprint of entry {@code i}; a structure it cannot be computed for (a neighbour search
     * too large for the heap) is bad input naming the dataset and the entry.
     */
    public static Fingerprint build(FingerprintBuilder builder, CrystalDataset data, int i) {
        try {
            return builder.build(data.get(i).structure());
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException(
                    data.provenance().source(), data.get(i).id(), e.getMessage(), e);
        }
    }

    /** Computes the fingerprints of every entry, in order. */
    public static List<Fingerprint> compute(
            CrystalDataset data, FingerprintBuilder builder, int threads, IntConsumer progress) {
        Fingerprint[] out = new Fingerprint[data.size()];
        AtomicInteger done = new AtomicInteger();
        ForkJoinPool pool = new ForkJoinPool(Math.max(1, threads));
        try {
            pool.submit(
                            () ->
                                    IntStream.range(0, data.size())
                                            .parallel()
                                            .forEach(
                                                    i -> {
                                                        out[i] = build(builder, data, i);
                                                        progress.accept(done.incrementAndGet());
                                                    }))
                    .get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("fingerprinting interrupted", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException(e.getCause());
        } finally {
            pool.shutdown();
        }
        return Arrays.asList(out);
    }

    private static List<Fingerprint> load(Path file, String key, int expected) {
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
            CRC32 crc = new CRC32();
            DataInputStream in = new DataInputStream(new CheckedInputStream(raw, crc));
            if (in.readInt() != MAGIC) {
                throw new IOException("not a fingerprint cache file");
            }
            String stored = in.readUTF();
            if (!stored.equals(key)) {
                LOG.log(
                        System.Logger.Level.WARNING,
                        "fingerprint cache " + file + " holds another key; rebuilding");
                return null;
            }
            int n = in.readInt();
            if (n != expected) {
                throw new IOException("holds " + n + " fingerprints, expected " + expected);
            }
            List<Fingerprint> out = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                int pairs = in.readInt();
                int[] keys = new int[pairs];
                int[] offsets = new int[pairs + 1];
                for (int p = 0; p < pairs; p++) {
                    keys[p] = in.readInt();
                }
                for (int p = 0; p <= pairs; p++) {
                    offsets[p] = in.readInt();
                }
                double[] values = new double[offsets[pairs]];
                for (int v = 0; v < values.length; v++) {
                    values[v] = in.readDouble();
                }
                out.add(new Fingerprint(keys, offsets, values));
            }
            long computed = crc.getValue();
            long stored32 = new DataInputStream(raw).readLong();
            if (computed != stored32) {
                throw new IOException("checksum mismatch");
            }
            return out;
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException | RuntimeException e) {
            LOG.log(
                    System.Logger.Level.WARNING,
                    "fingerprint cache "
                            + file
                            + " is corrupt ("
                            + e.getMessage()
                            + "); rebuilding");
            return null;
        }
    }

    private static void store(Path file, String key, List<Fingerprint> fps) throws IOException {
        AtomicFiles.write(
                file,
                os -> {
                    CRC32 crc = new CRC32();
                    BufferedOutputStream buffered = new BufferedOutputStream(os, 1 << 16);
                    DataOutputStream out =
                            new DataOutputStream(new CheckedOutputStream(buffered, crc));
                    out.writeInt(MAGIC);
                    out.writeUTF(key);
                    out.writeInt(fps.size());
                    for (Fingerprint f : fps) {
                        out.writeInt(f.pairKeys().length);
                        for (int k : f.pairKeys()) {
                            out.writeInt(k);
                        }
                        for (int o : f.offsets()) {
                            out.writeInt(o);
                        }
                        for (double v : f.values()) {
                            out.writeDouble(v);
                        }
                    }
                    out.flush();
                    new DataOutputStream(buffered).writeLong(crc.getValue());
                    buffered.flush();
                });
    }
}
