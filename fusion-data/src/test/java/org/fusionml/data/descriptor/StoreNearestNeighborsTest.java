package org.fusionml.data.descriptor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The search over a store against the in-heap search and brute force. */
class StoreNearestNeighborsTest {
    @TempDir Path dir;

    private StoreNearestNeighbors.Outcome search(
            List<Fingerprint> fps, FingerprintStore.Precision p, long chunkBytes, int threads)
            throws Exception {
        Path file = dir.resolve("s" + System.nanoTime() + ".fps");
        FingerprintStore.write(
                file,
                "test",
                StoreFingerprints.CONFIG,
                p,
                0,
                fps.size(),
                fps.size(),
                fps::get,
                2,
                n -> {});
        try (FingerprintStore s = FingerprintStore.open(file, chunkBytes)) {
            return StoreNearestNeighbors.search(s, threads);
        }
    }

    /** Same neighbours as the in-heap search, and distances to 1e-12. */
    private static void assertSame(NearestNeighbors.Result expected, NearestNeighbors.Result got) {
        assertArrayEquals(expected.neighbor(), got.neighbor());
        assertArrayEquals(expected.cosineDistance(), got.cosineDistance(), 1e-12);
        assertArrayEquals(expected.euclideanDistance(), got.euclideanDistance(), 1e-10);
    }

    @Test
    void nearCopiesEqualTheInHeapSearchAcrossChunksAndThreads() throws Exception {
        List<Fingerprint> fps = StoreFingerprints.families(60, 4, 0.02, 11); // 300 rows
        NearestNeighbors.Result heap = NearestNeighbors.search(fps, 2);
        for (long chunk : new long[] {FingerprintStore.DEFAULT_CHUNK_BYTES, 3000}) {
            for (int threads : new int[] {1, 2}) {
                StoreNearestNeighbors.Outcome o =
                        search(fps, FingerprintStore.Precision.FLOAT64, chunk, threads);
                assertSame(heap, o.result());
                // Near-copies: after the groups' own pairs the bound rules out most others.
                long all = (long) fps.size() * (fps.size() - 1) / 2;
                assertTrue(o.dots() < all / 3, o.dots() + " of " + all + " pairs computed");
            }
        }
    }

    @Test
    void unrelatedStructuresStillGiveTheExactNeighbour() throws Exception {
        // No copies: the bounds rule out little, and every round runs.
        List<Fingerprint> fps = StoreFingerprints.families(250, 0, 0, 12);
        NearestNeighbors.Result heap = NearestNeighbors.search(fps, 2);
        StoreNearestNeighbors.Outcome o = search(fps, FingerprintStore.Precision.FLOAT64, 6000, 2);
        assertSame(heap, o.result());
        assertTrue(o.rounds() > 2, "rounds " + o.rounds());
    }

    @Test
    void disjointSpeciesGiveDotZeroToTheSmallestIndex() throws Exception {
        SplittableRandom rng = new SplittableRandom(5);
        List<Fingerprint> fps = new ArrayList<>();
        fps.add(StoreFingerprints.random(new int[] {8}, rng)); // O only
        fps.add(StoreFingerprints.random(new int[] {1, 3}, rng));
        fps.add(StoreFingerprints.random(new int[] {22}, rng));
        fps.add(StoreFingerprints.random(new int[] {1, 3}, rng));
        NearestNeighbors.Result heap = NearestNeighbors.search(fps, 1);
        StoreNearestNeighbors.Outcome o =
                search(fps, FingerprintStore.Precision.FLOAT64, 1 << 20, 1);
        assertSame(heap, o.result());
        assertEquals(1, o.result().neighbor()[0]); // every other dot is 0: smallest index
        assertEquals(1.0, o.result().cosineDistance()[0], 0);
        assertEquals(0, o.result().neighbor()[2]);
    }

    @Test
    void float32RowsGiveTheNeighboursOfTheRoundedFingerprints() throws Exception {
        List<Fingerprint> fps = StoreFingerprints.families(50, 3, 0.02, 13);
        Path file = dir.resolve("f32.fps");
        FingerprintStore.write(
                file,
                "test",
                StoreFingerprints.CONFIG,
                FingerprintStore.Precision.FLOAT32,
                0,
                fps.size(),
                fps.size(),
                fps::get,
                1,
                n -> {});
        try (FingerprintStore s = FingerprintStore.open(file, 4000)) {
            NearestNeighbors.Result heap = NearestNeighbors.search(s.readAll(), 2);
            assertSame(heap, StoreNearestNeighbors.search(s, 2).result());
            // and within float rounding of the double fingerprints' distances
            assertArrayEquals(
                    NearestNeighbors.search(fps, 2).cosineDistance(), heap.cosineDistance(), 1e-6);
        }
    }

    @Test
    void singleRowHasNoNeighbour() throws Exception {
        List<Fingerprint> one = StoreFingerprints.families(1, 0, 0, 14);
        StoreNearestNeighbors.Outcome o =
                search(one, FingerprintStore.Precision.FLOAT32, 1 << 20, 2);
        assertEquals(-1, o.result().neighbor()[0]);
        assertTrue(Double.isNaN(o.result().cosineDistance()[0]));
    }
}
