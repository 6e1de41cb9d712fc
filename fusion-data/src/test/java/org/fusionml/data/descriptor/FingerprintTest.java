package org.fusionml.data.descriptor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.fusionml.data.SharedData;
import org.fusionml.data.dataset.CrystalDataset;
import org.fusionml.data.dataset.DatasetLoader;
import org.fusionml.data.structure.Element;
import org.fusionml.data.structure.Lattice;
import org.fusionml.data.structure.Site;
import org.fusionml.data.structure.Structure;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class FingerprintTest {
    private static CrystalDataset data;
    private static final FingerprintBuilder BUILDER = FingerprintBuilder.fusionDefault();

    @BeforeAll
    static void load() {
        data = DatasetLoader.embeddedDefault();
    }

    /** Rutile TiO2 built with exact symmetry: equivalent sites are equivalent to round-off. */
    private static Structure rutile() {
        double x = 0.3049;
        var ti = Element.of("Ti");
        var o = Element.of("O");
        return new Structure(
                Lattice.fromParameters(4.5937, 4.5937, 2.9587, 90, 90, 90),
                List.of(
                        new Site(ti, new double[] {0, 0, 0}),
                        new Site(ti, new double[] {0.5, 0.5, 0.5}),
                        new Site(o, new double[] {x, x, 0}),
                        new Site(o, new double[] {1 - x, 1 - x, 0}),
                        new Site(o, new double[] {0.5 + x, 0.5 - x, 0.5}),
                        new Site(o, new double[] {0.5 - x, 0.5 + x, 0.5})));
    }

    @Test
    void symmetryShortcutChangesNothingForExactlySymmetricStructures() {
        Structure s = rutile();
        Fingerprint fast = BUILDER.build(s);
        Fingerprint slow = BUILDER.buildWithoutSymmetry(s);
        assertArrayEquals(slow.pairKeys(), fast.pairKeys());
        assertArrayEquals(slow.values(), fast.values(), 1e-13);
    }

    /**
     * jdft2d coordinates carry 6 decimals and spglib-style classes group sites equivalent within
     * symprec = 0.01 A, so the spectra of "equivalent" sites differ by up to ~1e-5 relative: the
     * shortcut's values agree with the plain average to that level, not to round-off.
     */
    @Test
    void symmetryShortcutAgreesWithThePlainAverageWithinTheSymmetryTolerance() {
        double worst = 0;
        for (int idx = 0; idx < data.size(); idx += 7) {
            Structure s = data.get(idx).structure();
            Fingerprint fast = BUILDER.build(s);
            Fingerprint slow = BUILDER.buildWithoutSymmetry(s);
            assertArrayEquals(slow.pairKeys(), fast.pairKeys());
            for (int k = 0; k < fast.values().length; k++) {
                worst = Math.max(worst, Math.abs(slow.values()[k] - fast.values()[k]));
            }
            assertTrue(
                    1 - fast.dot(slow) < 1e-6,
                    data.get(idx).id() + ": cosine distance " + (1 - fast.dot(slow)));
        }
        assertTrue(worst < 1e-4, "largest difference of a unit-norm fingerprint entry: " + worst);
    }

    @Test
    void fingerprintIsTheNormalisedDscribeOuterAverage() {
        JsonNode ref =
                SharedData.json(SharedData.require("refs/jdft2d_soap30.json.gz")).get("structures");
        for (JsonNode r : ref) {
            Structure s = data.get(data.indexOf(r.get("name").asText())).structure();
            double[] outer = new double[r.get("n_features").asInt()];
            double norm = 0;
            for (int k = 0; k < outer.length; k++) {
                outer[k] = r.get("soap").get("outer").get(k).asDouble();
                norm += outer[k] * outer[k];
            }
            for (int k = 0; k < outer.length; k++) {
                outer[k] /= Math.sqrt(norm);
            }
            double[] mine =
                    BUILDER.buildWithoutSymmetry(s).dense(Soap.speciesOf(s), BUILDER.config());
            assertArrayEquals(outer, mine, 1e-8, r.get("name").asText());
        }
    }

    @Test
    void denseOverASharedSpeciesListPlacesBlocksInDscribeOrder() {
        Structure s = data.get(0).structure(); // Hf2 Si2 Te2
        int[] shared = {8, 14, 52, 72}; // O, Si, Te, Hf
        double[] big = BUILDER.buildWithoutSymmetry(s).dense(shared, BUILDER.config());
        assertEquals(BUILDER.config().numFeatures(4), big.length);
        Soap soap = new Soap(BUILDER.config());
        double[] outer = soap.outer(s, shared);
        double norm = Math.sqrt(Arrays.stream(outer).map(v -> v * v).sum());
        for (int k = 0; k < big.length; k++) {
            assertEquals(outer[k] / norm, big[k], 1e-12);
        }
    }

    @Test
    void spectraAreInvariantUnderRotationTranslationAndSupercell() {
        Soap soap = new Soap(SoapConfig.fusionDefault());
        Structure s = data.get(57).structure();
        int[] sp = Soap.speciesOf(s);
        double[][] ref = soap.perSite(s, sp);
        double c = Math.cos(0.9);
        double si = Math.sin(0.9);
        double[][] rot = {{c, -si, 0}, {si * 0.6, c * 0.6, 0.8}, {-si * 0.8, -c * 0.8, 0.6}};
        double[][] moved = soap.perSite(s.transformed(rot, new double[] {0.3, -7.1, 2.2}), sp);
        for (int i = 0; i < ref.length; i++) {
            assertArrayEquals(ref[i], moved[i], 1e-9 * max(ref[i]));
        }
        Structure big = s.supercell(2, 1, 2);
        assertArrayEquals(soap.inner(s, sp), soap.inner(big, sp), 1e-9 * max(soap.inner(s, sp)));
        assertArrayEquals(soap.outer(s, sp), soap.outer(big, sp), 1e-9 * max(soap.outer(s, sp)));
        assertArrayEquals(
                BUILDER.buildWithoutSymmetry(s).values(),
                BUILDER.buildWithoutSymmetry(big).values(),
                1e-9);
    }

    @Test
    void nearestNeighboursEqualBruteForce() {
        List<Fingerprint> fps = new ArrayList<>();
        for (int i = 0; i < 150; i++) {
            fps.add(BUILDER.build(data.get(i).structure()));
        }
        fps.add(fps.get(7)); // an exact duplicate: distance 0
        NearestNeighbors.Result r = NearestNeighbors.search(fps, 2);
        for (int i = 0; i < fps.size(); i++) {
            int best = -1;
            double bestDot = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < fps.size(); j++) {
                double d = fps.get(i).dot(fps.get(j));
                if (j != i && d > bestDot) {
                    bestDot = d;
                    best = j;
                }
            }
            assertEquals(best, r.neighbor()[i], "structure " + i);
            assertEquals(1 - bestDot, r.cosineDistance()[i], 1e-12);
            assertEquals(Math.sqrt(Math.max(0, 2 - 2 * bestDot)), r.euclideanDistance()[i], 1e-7);
        }
        assertEquals(150, r.neighbor()[7]);
        assertEquals(0, r.cosineDistance()[150], 1e-12);
        assertTrue(fps.get(0).bytes() < 40_000, "sparse storage: " + fps.get(0).bytes() + " bytes");
    }

    private static double max(double[] v) {
        double m = 0;
        for (double x : v) {
            m = Math.max(m, Math.abs(x));
        }
        return m;
    }
}
