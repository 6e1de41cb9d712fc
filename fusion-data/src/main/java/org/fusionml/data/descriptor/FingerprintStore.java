package org.fusionml.data.descriptor;

import java.io.IOException;
import java.io.OutputStream;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ForkJoinPool;
import java.util.function.IntFunction;
import java.util.function.LongConsumer;
import java.util.stream.IntStream;
import org.fusionml.data.InvalidInputException;
import org.fusionml.data.io.AtomicFiles;
import org.fusionml.data.io.Sources;

/**
 * Fingerprints on disk for datasets too large for the heap: written in a stream, read back
 * memory-mapped in chunks.
 *
 * <p><b>Format</b> (version {@value #VERSION}, little-endian), a header of {@value #HEADER_BYTES}
 * bytes:
 *
 * <pre>
 *  0 int   magic 0x54535046 ("FPST" in file order)
 *  4 int   version
 *  8 int   bytes per value: 4 (float32) or 8 (float64)
 * 12 int   same-species block width (l_max + 1) n_max (n_max + 1) / 2
 * 16 int   cross-species block width (l_max + 1) n_max^2
 * 20 int   0
 * 24 long  rows in this file
 * 32 long  index of the first row in the dataset (0, or the start of a slice)
 * 40 long  rows of the whole dataset
 * 48 byte[32] SHA-256 of the key (the settings, and the dataset where the writer gives it)
 * 80 byte[16] zeros
 * </pre>
 *
 * then the rows, one per fingerprint in dataset order: {@code int P}, {@code P} ascending pair keys
 * ({@link Fingerprint#pairKey}), then the values of the P blocks in that order (each block as wide
 * as its pair: same or cross species), as float32 or float64; and last the row index: rows + 1
 * longs, the offset of every row from the end of the header and the end of the last row. A file is
 * written to a temporary name and renamed when complete.
 *
 * <p>A slice ({@link #write} with a first row other than 0 or fewer rows than the dataset) is a
 * file of the same format; {@link #merge} concatenates the slices of a dataset into the file a
 * single process writes, byte for byte.
 *
 * <p><b>Reading.</b> {@link #open} maps nothing but the index; {@link #chunk} maps the rows of one
 * chunk (at most {@code chunkBytes}, under 2 GiB, cut at row boundaries) and {@link Chunk#close}
 * unmaps them at once, so that a pass over the file holds one or two chunks resident at a time.
 */
public final class FingerprintStore implements AutoCloseable {
    public static final int VERSION = 1;
    public static final int HEADER_BYTES = 96;
    private static final int MAGIC = 0x54535046;

    /** Default bytes per chunk: 1 GiB. */
    public static final long DEFAULT_CHUNK_BYTES = 1L << 30;

    /** Largest chunk a {@link MappedByteBuffer} can map. */
    public static final long MAX_CHUNK_BYTES = Integer.MAX_VALUE - 8;

    /** Rows computed per parallel batch while writing. */
    private static final int BATCH = 4096;

    private final Path file;
    private final FileChannel channel;
    private final Header header;
    private final long[] offsets; // [rows + 1] from the end of the header
    private final long[] chunkStart; // [chunks + 1] first row of every chunk

    /**
     * The header of a store.
     *
     * @param valueBytes 4 (float32) or 8 (float64)
     * @param sameWidth width of a same-species block
     * @param crossWidth width of a cross-species block
     * @param rows rows in this file
     * @param first dataset index of its first row
     * @param total rows of the whole dataset
     * @param keyHash [32] SHA-256 of the key
     */
    public record Header(
            int valueBytes,
            int sameWidth,
            int crossWidth,
            long rows,
            long first,
            long total,
            byte[] keyHash) {
        /** The width of the block of pair key {@code key}. */
        public int width(int key) {
            return key / 256 == key % 256 ? sameWidth : crossWidth;
        }

        /** Same settings, key and dataset (rows and first may differ). */
        boolean compatible(Header o) {
            return valueBytes == o.valueBytes
                    && sameWidth == o.sameWidth
                    && crossWidth == o.crossWidth
                    && total == o.total
                    && Arrays.equals(keyHash, o.keyHash);
        }
    }

    /** Value type of the rows. */
    public enum Precision {
        FLOAT32(4),
        FLOAT64(8);

        final int bytes;

        Precision(int bytes) {
            this.bytes = bytes;
        }
    }

    private FingerprintStore(Path file, FileChannel channel, Header header, long[] offsets) {
        this.file = file;
        this.channel = channel;
        this.header = header;
        this.offsets = offsets;
        this.chunkStart = new long[] {0, header.rows};
    }

    private FingerprintStore(FingerprintStore s, long chunkBytes) {
        this.file = s.file;
        this.channel = s.channel;
        this.header = s.header;
        this.offsets = s.offsets;
        List<Long> starts = new ArrayList<>();
        starts.add(0L);
        long begin = 0;
        for (long r = 0; r < header.rows; r++) {
            long rowBytes = offsets[(int) r + 1] - offsets[(int) r];
            if (rowBytes > chunkBytes) {
                throw new IllegalArgumentException(
                        "row " + r + " (" + rowBytes + " bytes) exceeds chunkBytes " + chunkBytes);
            }
            if (offsets[(int) r + 1] - offsets[(int) begin] > chunkBytes) {
                starts.add(r);
                begin = r;
            }
        }
        starts.add(header.rows);
        this.chunkStart = starts.stream().mapToLong(Long::longValue).toArray();
    }

    /**
     * The key text of a store's settings: SOAP parameters, symmetry tolerance and format version.
     * Writers append what identifies the dataset.
     */
    public static String settingsKey(SoapConfig config, double symprec) {
        return String.format(
                Locale.ROOT,
                "fingerprint store v%d r_cut=%s n_max=%d l_max=%d sigma=%s periodic=%s symprec=%s",
                VERSION,
                config.rCut(),
                config.nMax(),
                config.lMax(),
                config.sigma(),
                config.periodic(),
                symprec);
    }

    /** Rows [start, end) of slice {@code k} of {@code slices} of {@code total} rows. */
    public static long[] sliceRange(long total, int k, int slices) {
        if (slices < 1 || k < 0 || k >= slices) {
            throw new IllegalArgumentException(
                    "slice " + k + "/" + slices + " must have 0 <= K < N and N >= 1");
        }
        return new long[] {total * k / slices, total * (k + 1) / slices};
    }

    /**
     * Computes the fingerprints of rows [first, first + rows) of a dataset of {@code total} and
     * writes them to {@code file} (atomically), {@code BATCH} at a time on {@code threads} threads:
     * only one batch is ever in the heap.
     *
     * @param fingerprint the fingerprint of a dataset index (called concurrently)
     * @param progress called with the number of rows written
     */
    public static void write(
            Path file,
            String key,
            SoapConfig config,
            Precision precision,
            long first,
            long rows,
            long total,
            IntFunction<Fingerprint> fingerprint,
            int threads,
            LongConsumer progress)
            throws IOException {
        if (first < 0 || rows < 0 || first + rows > total || total > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(
                    "rows [" + first + ", " + (first + rows) + ") of " + total);
        }
        Header h =
                new Header(
                        precision.bytes,
                        config.sameSpeciesBlock(),
                        config.crossSpeciesBlock(),
                        rows,
                        first,
                        total,
                        keyHash(key));
        ForkJoinPool pool = new ForkJoinPool(Math.max(1, threads));
        try {
            AtomicFiles.write(
                    file,
                    out -> {
                        out.write(headerBytes(h));
                        long[] index = new long[(int) rows + 1];
                        long at = 0;
                        for (long b = 0; b < rows; b += BATCH) {
                            int n = (int) Math.min(BATCH, rows - b);
                            long start = first + b;
                            Fingerprint[] batch = new Fingerprint[n];
                            run(
                                    pool,
                                    () ->
                                            IntStream.range(0, n)
                                                    .parallel()
                                                    .forEach(
                                                            i ->
                                                                    batch[i] =
                                                                            fingerprint.apply(
                                                                                    (int)
                                                                                            (start
                                                                                                    + i))));
                            for (int i = 0; i < n; i++) {
                                byte[] row = rowBytes(h, batch[i], start + i);
                                out.write(row);
                                at += row.length;
                                index[(int) (b + i) + 1] = at;
                            }
                            progress.accept(b + n);
                        }
                        writeIndex(out, index);
                    });
        } finally {
            pool.shutdown();
        }
    }

    /**
     * Merges the slices of one dataset (any order; together they must cover it exactly once) into
     * {@code out}, the file a single process writes for the whole dataset.
     */
    public static void merge(List<Path> slices, Path out) throws IOException {
        List<FingerprintStore> parts = new ArrayList<>();
        try {
            for (Path p : slices) {
                parts.add(open(p));
            }
            parts.sort((a, b) -> Long.compare(a.header.first, b.header.first));
            if (parts.isEmpty()) {
                throw new IllegalArgumentException("no slices to merge");
            }
            Header h0 = parts.get(0).header;
            long next = 0;
            for (FingerprintStore p : parts) {
                if (!p.header.compatible(h0)) {
                    throw new InvalidInputException(
                            p.file.toString(),
                            null,
                            "is a slice of another dataset or other settings than "
                                    + parts.get(0).file);
                }
                if (p.header.first != next) {
                    throw new InvalidInputException(
                            p.file.toString(),
                            null,
                            "starts at row "
                                    + p.header.first
                                    + ", expected "
                                    + next
                                    + " (slices missing or overlapping)");
                }
                next += p.header.rows;
            }
            if (next != h0.total) {
                throw new InvalidInputException(
                        parts.get(parts.size() - 1).file.toString(),
                        null,
                        "the slices end at row " + next + " of " + h0.total);
            }
            Header whole =
                    new Header(
                            h0.valueBytes,
                            h0.sameWidth,
                            h0.crossWidth,
                            h0.total,
                            0,
                            h0.total,
                            h0.keyHash);
            AtomicFiles.write(
                    out,
                    os -> {
                        os.write(headerBytes(whole));
                        long[] index = new long[(int) whole.rows + 1];
                        long base = 0;
                        int row = 0;
                        for (FingerprintStore p : parts) {
                            long bytes = p.offsets[(int) p.header.rows];
                            copy(p.channel, HEADER_BYTES, bytes, os);
                            for (int r = 1; r <= p.header.rows; r++) {
                                index[row + r] = base + p.offsets[r];
                            }
                            row += (int) p.header.rows;
                            base += bytes;
                        }
                        writeIndex(os, index);
                    });
        } finally {
            for (FingerprintStore p : parts) {
                p.close();
            }
        }
    }

    /** Opens {@code file} with chunks of {@link #DEFAULT_CHUNK_BYTES}. */
    public static FingerprintStore open(Path file) throws IOException {
        return open(file, DEFAULT_CHUNK_BYTES);
    }

    /**
     * Opens {@code file}, reading its header and row index (the rows stay on disk).
     *
     * @param chunkBytes most bytes of rows mapped by one {@link #chunk}, at most {@link
     *     #MAX_CHUNK_BYTES}
     * @throws InvalidInputException naming the file when it is not a complete store
     */
    public static FingerprintStore open(Path file, long chunkBytes) throws IOException {
        if (chunkBytes < 1 || chunkBytes > MAX_CHUNK_BYTES) {
            throw new IllegalArgumentException(
                    "chunkBytes (" + chunkBytes + ") must be in [1, " + MAX_CHUNK_BYTES + "]");
        }
        FileChannel ch;
        try {
            ch = FileChannel.open(file, StandardOpenOption.READ);
        } catch (NoSuchFileException e) {
            throw new InvalidInputException(file.toString(), null, "no such file");
        }
        try {
            long size = ch.size();
            if (size < HEADER_BYTES) {
                throw bad(file, "is not a fingerprint store (" + size + " bytes)");
            }
            ByteBuffer hb = ByteBuffer.allocate(HEADER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
            readFully(ch, hb, 0);
            hb.flip();
            if (hb.getInt(0) != MAGIC) {
                throw bad(file, "is not a fingerprint store (no FPST magic)");
            }
            int version = hb.getInt(4);
            if (version != VERSION) {
                throw bad(file, "has format version " + version + "; this build reads " + VERSION);
            }
            byte[] hash = new byte[32];
            hb.get(48, hash);
            Header h =
                    new Header(
                            hb.getInt(8),
                            hb.getInt(12),
                            hb.getInt(16),
                            hb.getLong(24),
                            hb.getLong(32),
                            hb.getLong(40),
                            hash);
            if ((h.valueBytes != 4 && h.valueBytes != 8)
                    || h.sameWidth < 1
                    || h.crossWidth < 1
                    || h.rows < 0
                    || h.first < 0
                    || h.first + h.rows > h.total
                    || h.rows >= Integer.MAX_VALUE) {
                throw bad(file, "has a corrupt header");
            }
            long indexBytes = 8 * (h.rows + 1);
            if (size < HEADER_BYTES + indexBytes) {
                throw bad(file, "is truncated (" + size + " bytes)");
            }
            ByteBuffer ib = ByteBuffer.allocate((int) indexBytes).order(ByteOrder.LITTLE_ENDIAN);
            readFully(ch, ib, size - indexBytes);
            ib.flip();
            long[] offsets = new long[(int) h.rows + 1];
            ib.asLongBuffer().get(offsets);
            if (offsets[0] != 0 || HEADER_BYTES + offsets[(int) h.rows] + indexBytes != size) {
                throw bad(file, "is truncated or corrupt (row index does not match its size)");
            }
            for (int r = 0; r < h.rows; r++) {
                if (offsets[r + 1] <= offsets[r]) {
                    throw bad(file, "has a corrupt row index at row " + r);
                }
            }
            FingerprintStore s = new FingerprintStore(file, ch, h, offsets);
            return new FingerprintStore(s, chunkBytes);
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    public Path file() {
        return file;
    }

    public Header header() {
        return header;
    }

    /** Whether the store was written under {@code key}. */
    public boolean hasKey(String key) {
        return Arrays.equals(keyHash(key), header.keyHash);
    }

    /** Rows in this file. */
    public int size() {
        return (int) header.rows;
    }

    /** Number of chunks. */
    public int chunks() {
        return chunkStart.length - 1;
    }

    /** First row of chunk {@code c}; {@code chunkStart(chunks())} is {@link #size()}. */
    public int chunkStart(int c) {
        return (int) chunkStart[c];
    }

    /** Maps chunk {@code c}; close it to unmap. */
    public Chunk chunk(int c) throws IOException {
        return new Chunk((int) chunkStart[c], (int) chunkStart[c + 1]);
    }

    /** Reads every row into the heap (for small stores and checks). */
    public List<Fingerprint> readAll() throws IOException {
        List<Fingerprint> out = new ArrayList<>(size());
        for (int c = 0; c < chunks(); c++) {
            try (Chunk k = chunk(c)) {
                for (int i = k.start(); i < k.end(); i++) {
                    out.add(k.fingerprint(i));
                }
            }
        }
        return out;
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }

    /** The rows [start, end) of one chunk, mapped read-only until {@link #close}. */
    public final class Chunk implements AutoCloseable {
        private final int start;
        private final int end;
        private final long base;
        private MappedByteBuffer map;

        private Chunk(int start, int end) throws IOException {
            this.start = start;
            this.end = end;
            this.base = offsets[start];
            long len = offsets[end] - base;
            map = channel.map(FileChannel.MapMode.READ_ONLY, HEADER_BYTES + base, len);
            map.order(ByteOrder.LITTLE_ENDIAN);
        }

        public int start() {
            return start;
        }

        public int end() {
            return end;
        }

        private int at(int row) {
            if (row < start || row >= end) {
                throw new IndexOutOfBoundsException(
                        "row " + row + " outside chunk [" + start + ", " + end + ")");
            }
            return (int) (offsets[row] - base);
        }

        /** Number of species pairs (blocks) of {@code row}. */
        public int pairs(int row) {
            return map.getInt(at(row));
        }

        /** The ascending pair keys of {@code row}. */
        public int[] pairKeys(int row) {
            int o = at(row);
            int p = map.getInt(o);
            int[] keys = new int[p];
            for (int k = 0; k < p; k++) {
                keys[k] = map.getInt(o + 4 + 4 * k);
            }
            return keys;
        }

        /**
         * Copies the values of {@code row} (all blocks, in order) into {@code dst} from {@code
         * off}; returns their number.
         */
        public int values(int row, double[] dst, int off) {
            int o = at(row);
            int p = map.getInt(o);
            int v = o + 4 + 4 * p;
            int n = (int) ((offsets[row + 1] - offsets[row] - 4 - 4L * p) / header.valueBytes);
            ByteBuffer slice = map.slice(v, n * header.valueBytes).order(ByteOrder.LITTLE_ENDIAN);
            if (header.valueBytes == 4) {
                float[] tmp = floats(n);
                slice.asFloatBuffer().get(tmp, 0, n);
                for (int k = 0; k < n; k++) {
                    dst[off + k] = tmp[k];
                }
            } else {
                slice.asDoubleBuffer().get(dst, off, n);
            }
            return n;
        }

        /** Number of values of {@code row}. */
        public int valueCount(int row) {
            int p = pairs(row);
            return (int) ((offsets[row + 1] - offsets[row] - 4 - 4L * p) / header.valueBytes);
        }

        /** Row {@code row} as a fingerprint in the heap. */
        public Fingerprint fingerprint(int row) {
            int[] keys = pairKeys(row);
            int[] offs = new int[keys.length + 1];
            for (int p = 0; p < keys.length; p++) {
                offs[p + 1] = offs[p] + header.width(keys[p]);
            }
            double[] values = new double[valueCount(row)];
            values(row, values, 0);
            if (values.length != offs[keys.length]) {
                throw bad(file, "row " + row + " has " + values.length + " values for its blocks");
            }
            return new Fingerprint(keys, offs, values);
        }

        /** Unmaps the chunk now (its pages leave the process's resident set). */
        @Override
        public void close() {
            if (map != null) {
                unmap(map);
                map = null;
            }
        }
    }

    /** A per-thread buffer of at least n floats. */
    private static float[] floats(int n) {
        float[] b = FLOATS.get();
        if (b.length < n) {
            b = new float[n];
            FLOATS.set(b);
        }
        return b;
    }

    private static final ThreadLocal<float[]> FLOATS = ThreadLocal.withInitial(() -> new float[0]);

    private static InvalidInputException bad(Path file, String problem) {
        return new InvalidInputException(file.toString(), null, problem);
    }

    private static byte[] keyHash(String key) {
        return Sources.sha256().digest(key.getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] headerBytes(Header h) {
        ByteBuffer b = ByteBuffer.allocate(HEADER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(MAGIC).putInt(VERSION).putInt(h.valueBytes).putInt(h.sameWidth);
        b.putInt(h.crossWidth).putInt(0).putLong(h.rows).putLong(h.first).putLong(h.total);
        b.put(h.keyHash);
        return b.array();
    }

    private static byte[] rowBytes(Header h, Fingerprint f, long index) {
        int[] keys = f.pairKeys();
        for (int p = 0; p < keys.length; p++) {
            int w = f.offsets()[p + 1] - f.offsets()[p];
            if (w != h.width(keys[p]) || (p > 0 && keys[p] <= keys[p - 1])) {
                throw new IllegalArgumentException(
                        "fingerprint "
                                + index
                                + " does not have the store's SOAP settings (block "
                                + keys[p]
                                + " of width "
                                + w
                                + ")");
            }
        }
        double[] v = f.values();
        ByteBuffer b =
                ByteBuffer.allocate(4 + 4 * keys.length + h.valueBytes * v.length)
                        .order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(keys.length);
        for (int k : keys) {
            b.putInt(k);
        }
        if (h.valueBytes == 4) {
            for (double x : v) {
                b.putFloat((float) x);
            }
        } else {
            for (double x : v) {
                b.putDouble(x);
            }
        }
        return b.array();
    }

    private static void writeIndex(OutputStream out, long[] index) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(8 * 8192).order(ByteOrder.LITTLE_ENDIAN);
        for (long x : index) {
            if (!b.hasRemaining()) {
                out.write(b.array(), 0, b.position());
                b.clear();
            }
            b.putLong(x);
        }
        out.write(b.array(), 0, b.position());
    }

    private static void copy(FileChannel from, long position, long bytes, OutputStream out)
            throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(1 << 20);
        long done = 0;
        while (done < bytes) {
            buf.clear();
            buf.limit((int) Math.min(buf.capacity(), bytes - done));
            int n = from.read(buf, position + done);
            if (n < 0) {
                throw new IOException("unexpected end of file");
            }
            out.write(buf.array(), 0, n);
            done += n;
        }
    }

    private static void readFully(FileChannel ch, ByteBuffer b, long position) throws IOException {
        long at = position;
        while (b.hasRemaining()) {
            int n = ch.read(b, at);
            if (n < 0) {
                throw new IOException("unexpected end of file");
            }
            at += n;
        }
    }

    private static void run(ForkJoinPool pool, Runnable job) {
        try {
            pool.submit(job).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("fingerprinting interrupted", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    /**
     * Unmaps a buffer at once through {@code sun.misc.Unsafe.invokeCleaner} (module
     * jdk.unsupported); where that is not available the mapping goes when the buffer is collected.
     */
    private static void unmap(MappedByteBuffer b) {
        Method clean = Unmapper.INVOKE_CLEANER;
        if (clean != null) {
            try {
                clean.invoke(Unmapper.UNSAFE, b);
            } catch (ReflectiveOperationException e) {
                // left to the garbage collector
            }
        }
    }

    /** Resolves {@code Unsafe.invokeCleaner} once. */
    private static final class Unmapper {
        static final Object UNSAFE;
        static final Method INVOKE_CLEANER;

        static {
            Object unsafe = null;
            Method m = null;
            try {
                Class<?> c = Class.forName("sun.misc.Unsafe");
                Field f = c.getDeclaredField("theUnsafe");
                f.setAccessible(true);
                unsafe = f.get(null);
                m = c.getMethod("invokeCleaner", ByteBuffer.class);
            } catch (ReflectiveOperationException | RuntimeException e) {
                unsafe = null;
                m = null;
            }
            UNSAFE = unsafe;
            INVOKE_CLEANER = m;
        }

        private Unmapper() {}
    }
}
