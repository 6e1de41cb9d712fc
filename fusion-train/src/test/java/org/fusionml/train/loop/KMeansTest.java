package org.fusionml.train.loop;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import org.fusionml.data.dataset.DatasetLoader;
import org.fusionml.data.descriptor.Fingerprint;
import org.fusionml.data.descriptor.FingerprintBuilder;
import org.fusionml.data.descriptor.SoapConfig;
import org.junit.jupiter.api.Test;

class KMeansTest {
    @Test
    void deterministicForASeedAndSeparatesDuplicatedGroups() {
        var data = DatasetLoader.embeddedDefault();
        FingerprintBuilder b = new FingerprintBuilder(new SoapConfig(4.0, 4, 3, 0.5, true), 0.01);
        List<Fingerprint> base =
                IntStream.of(0, 100, 200, 300)
                        .mapToObj(i -> b.build(data.get(i).structure()))
                        .toList();
        List<Fingerprint> points = new ArrayList<>();
        for (int copy = 0; copy < 5; copy++) {
            points.addAll(base); // four well-separated groups of five identical points
        }
        int[] a = KMeans.cluster(points, 4, 7, 100);
        assertArrayEquals(a, KMeans.cluster(points, 4, 7, 100), "same seed, same clusters");
        for (int g = 0; g < 4; g++) {
            for (int copy = 1; copy < 5; copy++) {
                assertEquals(a[g], a[copy * 4 + g], "duplicates share a cluster");
            }
        }
        assertEquals(4, Arrays.stream(a).distinct().count(), "each group its own cluster");
        List<Fingerprint> many =
                IntStream.range(0, 80).mapToObj(i -> b.build(data.get(i).structure())).toList();
        assertNotEquals(
                Arrays.toString(KMeans.cluster(many, 6, 1, 100)),
                Arrays.toString(KMeans.cluster(many, 6, 2, 100)));
    }
}
