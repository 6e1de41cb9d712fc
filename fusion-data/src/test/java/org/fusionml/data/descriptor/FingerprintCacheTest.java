package org.fusionml.data.descriptor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.fusionml.data.dataset.CrystalDataset;
import org.fusionml.data.dataset.DatasetLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FingerprintCacheTest {
    @TempDir Path dir;

    private static final SoapConfig SMALL = new SoapConfig(4.0, 3, 2, 0.5, true);

    @Test
    void storesReloadsAndNeverReusesOtherParameters() throws Exception {
        CrystalDataset data = DatasetLoader.embeddedDefault().select(new int[] {0, 1, 2, 3, 4, 5});
        FingerprintCache cache = new FingerprintCache(dir);
        List<Fingerprint> first = cache.getOrCompute(data, SMALL, 0.01, 2, n -> {});
        Path file = cache.file(FingerprintCache.key(data, SMALL, 0.01));
        assertTrue(Files.exists(file));
        long stamp = Files.getLastModifiedTime(file).toMillis();

        AtomicInteger computed = new AtomicInteger();
        List<Fingerprint> again = cache.getOrCompute(data, SMALL, 0.01, 2, computed::set);
        assertEquals(first, again);
        assertEquals(stamp, Files.getLastModifiedTime(file).toMillis(), "loaded, not rewritten");

        SoapConfig other = new SoapConfig(4.0, 3, 2, 0.6, true);
        assertNotEquals(file, cache.file(FingerprintCache.key(data, other, 0.01)));
        assertNotEquals(file, cache.file(FingerprintCache.key(data, SMALL, 0.1)));
        assertNotEquals(
                file, cache.file(FingerprintCache.key(data.select(new int[] {1, 0}), SMALL, 0.01)));
        List<Fingerprint> changed = cache.getOrCompute(data, other, 0.01, 2, n -> {});
        assertNotEquals(first.get(0), changed.get(0));
    }

    @Test
    void corruptFileIsRebuilt() throws Exception {
        CrystalDataset data = DatasetLoader.embeddedDefault().select(new int[] {10, 11, 12});
        FingerprintCache cache = new FingerprintCache(dir);
        List<Fingerprint> first = cache.getOrCompute(data, SMALL, 0.01, 1, n -> {});
        Path file = cache.file(FingerprintCache.key(data, SMALL, 0.01));
        byte[] bytes = Files.readAllBytes(file);
        bytes[bytes.length / 2] ^= 0x55;
        Files.write(file, bytes);
        assertEquals(first, cache.getOrCompute(data, SMALL, 0.01, 1, n -> {}));
        Files.write(file, Arrays.copyOf(bytes, 100));
        assertEquals(first, cache.getOrCompute(data, SMALL, 0.01, 1, n -> {}));
        assertEquals(bytes.length, Files.size(file), "rewritten whole");
    }
}
