package org.fusionml.data.symmetry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SpaceGroupSettingTest {
    /**
     * Every one of the 530 Hall symbols generates a group of its tabulated type, and its full
     * symbol with its setting leads back to it; its Hall symbol leads to a setting with the same
     * Hall symbol (settings 1 and 1ba-c of Ccce share one).
     */
    @Test
    void everySettingGeneratesItsTypeAndIsFoundByItsSymbols() {
        List<SpaceGroupSetting> all = SpaceGroupSetting.all();
        assertEquals(530, all.size());
        Set<Integer> numbers = new HashSet<>();
        for (SpaceGroupSetting s : all) {
            numbers.add(s.number());
            assertEquals(s.number(), SpaceGroupType.identifyHall(s.hall()).number(), s.name());
            assertEquals(s.hall(), SpaceGroupSetting.ofHall(s.hall()).hall(), s.name());
            SpaceGroupSetting byName =
                    SpaceGroupSetting.ofHermannMauguin(
                            s.hermannMauguin() + (s.setting().isEmpty() ? "" : ":" + s.setting()));
            assertEquals(s, byName, s.name());
        }
        assertEquals(230, numbers.size());
    }

    @Test
    void spellingsAndDefaults() {
        assertEquals("-F 4 2 3", SpaceGroupSetting.ofHermannMauguin("F m -3 m").hall());
        assertEquals("-F 4 2 3", SpaceGroupSetting.ofHermannMauguin("fm-3m").hall());
        assertEquals("-F 4 2 3", SpaceGroupSetting.ofHermannMauguin("Fm3m").hall());
        assertEquals("F 4d 2 3 -1d", SpaceGroupSetting.ofHermannMauguin("Fd-3m").hall());
        assertEquals("-F 4vw 2vw 3", SpaceGroupSetting.ofHermannMauguin("F d -3 m:2").hall());
        assertEquals("-R 3 2\"", SpaceGroupSetting.ofHermannMauguin("R-3m").hall());
        assertEquals("-P 3* 2", SpaceGroupSetting.ofHermannMauguin("R -3 m :R").hall());
        assertEquals("-P 2ybc", SpaceGroupSetting.ofHermannMauguin("P 21/c").hall());
        assertEquals("-P 2yn", SpaceGroupSetting.ofHermannMauguin("P 1 21/n 1").hall());
        assertEquals("-P 2yn", SpaceGroupSetting.ofHermannMauguin("P2_1/n").hall());
        assertEquals("-P 2ac 2n", SpaceGroupSetting.ofHermannMauguin("P n m a").hall());
        assertEquals("-P 2c 2ab", SpaceGroupSetting.ofHermannMauguin("Pbnm").hall());
        assertEquals("-I 4bd 2c 3", SpaceGroupSetting.ofHermannMauguin("Ia3d").hall());
        assertEquals("-F 4 2 3", SpaceGroupSetting.ofHall("-F 4 2 3").hall());
        assertEquals(166, SpaceGroupSetting.ofHall("-R 3 2=").number());
        assertEquals("F 4d 2 3 -1d", SpaceGroupSetting.ofNumber(227).hall());
        assertEquals(192, SpaceGroupSetting.ofHermannMauguin("Fm-3m").operations().size());
        assertThrows(
                IllegalArgumentException.class, () -> SpaceGroupSetting.ofHermannMauguin("Fm-3q"));
        assertThrows(IllegalArgumentException.class, () -> SpaceGroupSetting.ofNumber(0));
    }

    /** P 3_1 1 2 carries an origin shift (0 0 4): its two-fold -y,-x,-z must gain z + 2/3. */
    @Test
    void anOriginShiftMovesTheTranslations() {
        SpaceGroupSetting s = SpaceGroupSetting.ofNumber(151);
        assertEquals("P 31 2 (0 0 4)", s.hall());
        boolean found = false;
        for (SymmetryOperation o : s.operations()) {
            if (java.util.Arrays.equals(o.rotation(), new int[] {0, -1, 0, -1, 0, 0, 0, 0, -1})) {
                assertEquals(2.0 / 3, o.translation()[2], 1e-12);
                assertEquals(0, o.translation()[0], 0);
                found = true;
            }
        }
        assertEquals(true, found);
    }
}
