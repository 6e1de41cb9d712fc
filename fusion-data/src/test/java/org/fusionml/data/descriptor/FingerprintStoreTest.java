package org.fusionml.data.descriptor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.fusionml.data.InvalidInputException;
import org.fusionml.data.dataset.CrystalDataset;
import org.fusionml.data.dataset.DatasetLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The on-disk fingerprint format: round trip, header, chunks, slices and their merge. */
class FingerprintStoreTest {
    @TempDir Path dir;

    private static Path write(
            Path file,
            List<Fingerprint> fps,
            FingerprintStore.Precision precision,
            long first,
            long rows)
            throws Exception {
        FingerprintStore.write(
                file,
                "test",
                StoreFingerprints.CONFIG,
                precision,
                first,
                rows,
                fps.size(),
                fps::get,
                2,
                n -> {});
        return file;
    }

    @Test
    void float64RoundTripIsExactOverManyChunks() throws Exception {
        List<Fingerprint> fps = StoreFingerprints.families(40, 3, 0.01, 1);
        Path file = write(dir.resolve("a.fps"), fps, FingerprintStore.Precision.FLOAT64, 0, 160);
        try (FingerprintStore s = FingerprintStore.open(file, 2000)) {
            assertTrue(s.chunks() > 10, "small chunks: " + s.chunks());
            assertEquals(fps, s.readAll());
            FingerprintStore.Header h = s.header();
            assertEquals(8, h.valueBytes());
            assertEquals(6, h.sameWidth());
            assertEquals(8, h.crossWidth());
            assertEquals(160, h.rows());
            assertEquals(0, h.first());
            assertEquals(160, h.total());
        }
        // The documented layout: header fields, the first row, the index at the end.
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals('F', b.get(0));
        assertEquals('P', b.get(1));
        assertEquals('S', b.get(2));
        assertEquals('T', b.get(3));
        assertEquals(FingerprintStore.VERSION, b.getInt(4));
        assertEquals(160L, b.getLong(24));
        Fingerprint f0 = fps.get(0);
        int at = FingerprintStore.HEADER_BYTES;
        assertEquals(f0.pairKeys().length, b.getInt(at));
        assertEquals(f0.pairKeys()[0], b.getInt(at + 4));
        int values = at + 4 + 4 * f0.pairKeys().length;
        assertEquals(f0.values()[0], b.getDouble(values));
        long last = b.getLong(b.capacity() - 8);
        assertEquals(b.capacity() - FingerprintStore.HEADER_BYTES - 8L * 161, last);
    }

    @Test
    void float32RowsAreTheValuesRounded() throws Exception {
        List<Fingerprint> fps = StoreFingerprints.families(10, 2, 0.01, 2);
        Path file =
                write(dir.resolve("f.fps"), fps, FingerprintStore.Precision.FLOAT32, 0, fps.size());
        try (FingerprintStore s = FingerprintStore.open(file)) {
            List<Fingerprint> back = s.readAll();
            for (int i = 0; i < fps.size(); i++) {
                assertArrayEquals(fps.get(i).pairKeys(), back.get(i).pairKeys());
                double[] v = fps.get(i).values();
                for (int q = 0; q < v.length; q++) {
                    assertEquals((double) (float) v[q], back.get(i).values()[q]);
                }
            }
        }
        assertEquals(
                Files.size(
                                write(
                                        dir.resolve("d.fps"),
                                        fps,
                                        FingerprintStore.Precision.FLOAT64,
                                        0,
                                        fps.size()))
                        - FingerprintStore.HEADER_BYTES,
                2 * (Files.size(file) - FingerprintStore.HEADER_BYTES)
                        - 8L * (fps.size() + 1)
                        - 4L * fps.stream().mapToInt(f -> 1 + f.pairKeys().length).sum(),
                "float32 values take half the bytes; keys and index the same");
    }

    @Test
    void slicesMergedEqualTheSingleFileByteForByte() throws Exception {
        List<Fingerprint> fps = StoreFingerprints.families(25, 3, 0.02, 3); // 100 rows
        for (FingerprintStore.Precision p : FingerprintStore.Precision.values()) {
            Path single = write(dir.resolve("single-" + p), fps, p, 0, fps.size());
            for (int slices : new int[] {1, 3, 7}) {
                List<Path> parts = new ArrayList<>();
                for (int k = slices - 1; k >= 0; k--) { // any order
                    long[] r = FingerprintStore.sliceRange(fps.size(), k, slices);
                    parts.add(
                            write(
                                    dir.resolve(p + "-" + k + "of" + slices),
                                    fps,
                                    p,
                                    r[0],
                                    r[1] - r[0]));
                }
                Path merged = dir.resolve("merged-" + p + "-" + slices);
                FingerprintStore.merge(parts, merged);
                assertArrayEquals(
                        Files.readAllBytes(single),
                        Files.readAllBytes(merged),
                        p + " in " + slices + " slices");
            }
        }
    }

    @Test
    void shardedRealFingerprintsEqualTheSingleFile() throws Exception {
        CrystalDataset data =
                DatasetLoader.embeddedDefault().select(new int[] {0, 1, 2, 3, 4, 5, 6});
        FingerprintBuilder builder = new FingerprintBuilder(StoreFingerprints.CONFIG, 0.01);
        java.util.function.IntFunction<Fingerprint> fp =
                i -> builder.build(data.get(i).structure());
        Path single = dir.resolve("single.fps");
        FingerprintStore.write(
                single,
                "jdft2d",
                StoreFingerprints.CONFIG,
                FingerprintStore.Precision.FLOAT32,
                0,
                7,
                7,
                fp,
                2,
                n -> {});
        List<Path> parts = new ArrayList<>();
        for (int k = 0; k < 3; k++) {
            long[] r = FingerprintStore.sliceRange(7, k, 3);
            Path part = dir.resolve("part" + k);
            FingerprintStore.write(
                    part,
                    "jdft2d",
                    StoreFingerprints.CONFIG,
                    FingerprintStore.Precision.FLOAT32,
                    r[0],
                    r[1] - r[0],
                    7,
                    fp,
                    1,
                    n -> {});
            parts.add(part);
        }
        Path merged = dir.resolve("merged.fps");
        FingerprintStore.merge(parts, merged);
        assertArrayEquals(Files.readAllBytes(single), Files.readAllBytes(merged));
    }

    @Test
    void sliceRangesCoverTheDatasetOnce() {
        long next = 0;
        for (int k = 0; k < 7; k++) {
            long[] r = FingerprintStore.sliceRange(100, k, 7);
            assertEquals(next, r[0]);
            assertTrue(r[1] - r[0] == 14 || r[1] - r[0] == 15);
            next = r[1];
        }
        assertEquals(100, next);
        assertThrows(IllegalArgumentException.class, () -> FingerprintStore.sliceRange(10, 3, 3));
    }

    @Test
    void mergeRefusesGapsOverlapsAndOtherKeys() throws Exception {
        List<Fingerprint> fps = StoreFingerprints.families(10, 1, 0.02, 4); // 20 rows
        FingerprintStore.Precision p = FingerprintStore.Precision.FLOAT32;
        Path a = write(dir.resolve("a"), fps, p, 0, 10);
        Path b = write(dir.resolve("b"), fps, p, 10, 10);
        Path c = write(dir.resolve("c"), fps, p, 5, 10);
        InvalidInputException gap =
                assertThrows(
                        InvalidInputException.class,
                        () -> FingerprintStore.merge(List.of(b), dir.resolve("m")));
        assertTrue(gap.getMessage().contains("starts at row 10, expected 0"), gap.getMessage());
        assertThrows(
                InvalidInputException.class,
                () -> FingerprintStore.merge(List.of(a, c), dir.resolve("m")));
        assertThrows(
                InvalidInputException.class,
                () -> FingerprintStore.merge(List.of(a), dir.resolve("m")));
        Path other = dir.resolve("o");
        FingerprintStore.write(
                other,
                "another dataset",
                StoreFingerprints.CONFIG,
                p,
                10,
                10,
                20,
                fps::get,
                1,
                n -> {});
        InvalidInputException key =
                assertThrows(
                        InvalidInputException.class,
                        () -> FingerprintStore.merge(List.of(a, other), dir.resolve("m")));
        assertTrue(key.getMessage().startsWith(other.toString()), key.getMessage());
        assertTrue(Files.notExists(dir.resolve("m")));
    }

    @Test
    void truncatedOrForeignFilesAreNamedInputErrors() throws Exception {
        List<Fingerprint> fps = StoreFingerprints.families(5, 1, 0.02, 5);
        Path file = write(dir.resolve("t.fps"), fps, FingerprintStore.Precision.FLOAT32, 0, 10);
        byte[] bytes = Files.readAllBytes(file);
        Path cut = dir.resolve("cut.fps");
        Files.write(cut, Arrays.copyOf(bytes, bytes.length - 5));
        InvalidInputException e =
                assertThrows(InvalidInputException.class, () -> FingerprintStore.open(cut));
        assertTrue(e.getMessage().startsWith(cut.toString()), e.getMessage());
        Path text = dir.resolve("text.fps");
        Files.writeString(text, "x".repeat(200));
        assertTrue(
                assertThrows(InvalidInputException.class, () -> FingerprintStore.open(text))
                        .getMessage()
                        .contains("not a fingerprint store"));
        assertThrows(InvalidInputException.class, () -> FingerprintStore.open(dir.resolve("none")));
    }

    @Test
    void rowsOfOtherSettingsAreRefused() {
        Fingerprint wrong =
                new Fingerprint(
                        new int[] {Fingerprint.pairKey(8, 8)}, new int[] {0, 5}, new double[5]);
        IllegalArgumentException e =
                assertThrows(
                        IllegalArgumentException.class,
                        () ->
                                write(
                                        dir.resolve("w"),
                                        List.of(wrong),
                                        FingerprintStore.Precision.FLOAT32,
                                        0,
                                        1));
        assertTrue(e.getMessage().contains("SOAP settings"), e.getMessage());
    }
}
