package org.fusionml.train.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class TablesTest {
    /** Four significant digits, two decimals at least, whatever the unit's scale. */
    @Test
    void meansKeepFourSignificantDigits() {
        assertEquals("68.03", Tables.significant(68.0349, 2));
        assertEquals("1604.20", Tables.significant(1604.2, 2));
        assertEquals("8.897", Tables.significant(8.8971, 2));
        assertEquals("0.2506", Tables.significant(0.25061, 2));
        assertEquals("0.08420", Tables.significant(0.0842, 2));
        assertEquals("-0.001234", Tables.significant(-0.0012341, 2));
        // 0.0999... rounds up a decade: still at least four significant digits
        assertEquals("0.09999", Tables.significant(0.099994, 2));
        assertEquals(3, Tables.decimals(0, 3));
        assertEquals(3, Tables.decimals(Double.NaN, 3));
        assertEquals(2, Tables.decimals(Double.POSITIVE_INFINITY, 2));
    }
}
