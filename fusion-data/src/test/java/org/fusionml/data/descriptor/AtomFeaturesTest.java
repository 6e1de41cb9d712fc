package org.fusionml.data.descriptor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.stream.IntStream;
import org.fusionml.data.structure.Element;
import org.junit.jupiter.api.Test;

class AtomFeaturesTest {
    private static int[] bits(int z) {
        float[] f = AtomFeatures.of(z);
        return IntStream.range(0, AtomFeatures.SIZE).filter(k -> f[k] == 1f).toArray();
    }

    @Test
    void ironHasOneBitPerProperty() {
        // Fe: group 8, period 4, d block, 8 valence electrons, X 1.83, r 1.32 A, ln(7.90) = 2.067,
        // EA 0.153 eV, ln(7.09) = 1.959.
        int[] expected = {
            7, // group 8
            18 + 3, // period 4
            25 + 2, // d
            29 + 7, // 8 valence electrons
            41 + 3, // (1.83 - 0.5) / 3.5 * 10 = 3.8
            51 + 4, // (1.32 - 0.25) / 2.25 * 10 = 4.76
            61 + 3, // (2.067 - 1.3) / 2.0 * 10 = 3.8
            71 + 4, // (0.153 + 3) / 6.7 * 10 = 4.7
            81 + 1, // (1.959 - 1.5) / 2.8 * 10 = 1.6
        };
        assertArrayEquals(expected, bits(26));
    }

    @Test
    void everyElementHasNineBitsOrEightPlusTheUnknownFlag() {
        for (Element e : Element.all()) {
            int[] b = bits(e.z());
            boolean unknown = Double.isNaN(e.electronegativity()) || Double.isNaN(e.molarVolume());
            assertEquals(9, b.length, e.symbol());
            assertEquals(unknown, b[b.length - 1] == 91, e.symbol());
        }
    }

    @Test
    void valenceElectrons() {
        assertEquals(1, Element.of("H").valenceElectrons());
        assertEquals(3, Element.of("Ga").valenceElectrons());
        assertEquals(8, Element.of("Fe").valenceElectrons());
        assertEquals(2, Element.of("Hg").valenceElectrons());
        assertEquals(8, Element.of("Xe").valenceElectrons());
        assertEquals(6, Element.of("Te").valenceElectrons());
    }
}
