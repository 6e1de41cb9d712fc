package org.fusionml.train.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class TablesTest {
    /** Four significant digits, two decimals at least, whatever the unit's scale. */
    @Test
    void meansKeepFourSignificantDigits() {
        assertEquals("68.03", Tables.fixed(68.0349, Tables.decimals(68.0349, 4, 2)));
        assertEquals("1604.20", Tables.fixed(1604.2, Tables.decimals(1604.2, 4, 2)));
        assertEquals("8.897", Tables.fixed(8.8971, Tables.decimals(8.8971, 4, 2)));
        assertEquals("0.2506", Tables.fixed(0.25061, Tables.decimals(0.25061, 4, 2)));
        assertEquals("0.08420", Tables.fixed(0.0842, Tables.decimals(0.0842, 4, 2)));
        assertEquals("-0.001234", Tables.fixed(-0.0012341, Tables.decimals(-0.0012341, 4, 2)));
        // 0.0999... rounds up a decade: still at least four significant digits
        assertEquals("0.09999", Tables.fixed(0.099994, Tables.decimals(0.099994, 4, 2)));
        assertEquals(3, Tables.decimals(0, 4, 3));
        assertEquals(3, Tables.decimals(Double.NaN, 4, 3));
        assertEquals(2, Tables.decimals(Double.POSITIVE_INFINITY, 4, 2));
    }
}
