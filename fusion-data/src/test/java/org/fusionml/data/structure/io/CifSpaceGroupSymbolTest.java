package org.fusionml.data.structure.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import org.fusionml.data.InvalidInputException;
import org.fusionml.data.structure.Structure;
import org.junit.jupiter.api.Test;

/** CIF blocks that name their space group instead of listing its operations. */
class CifSpaceGroupSymbolTest {
    private static String cif(String symmetryItems, double a, String sites) {
        return "data_x\n"
                + symmetryItems
                + "\n_cell_length_a "
                + a
                + "\n_cell_length_b "
                + a
                + "\n_cell_length_c "
                + a
                + "\n_cell_angle_alpha 90\n_cell_angle_beta 90\n_cell_angle_gamma 90\n"
                + "loop_\n_atom_site_label\n_atom_site_type_symbol\n"
                + "_atom_site_fract_x\n_atom_site_fract_y\n_atom_site_fract_z\n"
                + sites;
    }

    private static Structure read(String text) {
        List<StructureEntry> e = CifReader.read(text, "t.cif");
        assertEquals(1, e.size());
        return e.get(0).structure();
    }

    /** "El x y z" of every site, rounded to 1e-6 and wrapped into [0, 1), sorted. */
    private static TreeSet<String> positions(Structure s) {
        TreeSet<String> out = new TreeSet<>();
        for (int i = 0; i < s.size(); i++) {
            StringBuilder sb = new StringBuilder(s.element(i).symbol());
            for (int k = 0; k < 3; k++) {
                double f = s.site(i).frac(k);
                f -= Math.floor(f);
                f = Math.round(f * 1e6) / 1e6;
                sb.append(String.format(Locale.ROOT, " %.6f", f >= 1 ? 0 : f));
            }
            out.add(sb.toString());
        }
        return out;
    }

    private static final String NACL_SITES = "Na1 Na 0 0 0\nCl1 Cl 0.5 0.5 0.5\n";

    private static final TreeSet<String> NACL =
            new TreeSet<>(
                    List.of(
                            "Na 0.000000 0.000000 0.000000",
                            "Na 0.000000 0.500000 0.500000",
                            "Na 0.500000 0.000000 0.500000",
                            "Na 0.500000 0.500000 0.000000",
                            "Cl 0.500000 0.500000 0.500000",
                            "Cl 0.500000 0.000000 0.000000",
                            "Cl 0.000000 0.500000 0.000000",
                            "Cl 0.000000 0.000000 0.500000"));

    @Test
    void rockSaltFromItsHermannMauguinSymbolIsTheEightAtomConventionalCell() {
        for (String item :
                List.of(
                        "_space_group_name_H-M_alt 'F m -3 m'",
                        "_symmetry_space_group_name_H-M 'F m -3 m'",
                        "_symmetry_space_group_name_H-M Fm-3m",
                        "_space_group_name_H-M_alt 'F m 3 m'",
                        "_space_group_name_H-M_alt 'F 4/m -3 2/m'",
                        "_space_group_name_Hall '-F 4 2 3'",
                        "_space_group_IT_number 225",
                        "_space_group_name_H-M_alt 'F m -3 m'\n_space_group_IT_number 225")) {
            Structure s = read(cif(item, 5.64, NACL_SITES));
            assertEquals(8, s.size(), item);
            assertEquals(NACL, positions(s), item);
            assertEquals(5.64 * 5.64 * 5.64, s.lattice().volume(), 1e-9, item);
        }
    }

    /**
     * Diamond Si on 8a: at (0, 0, 0) in origin choice 1 (the default), at (1/8, 1/8, 1/8) in origin
     * choice 2; the same 8 atoms, shifted by (1/8, 1/8, 1/8). Si at (0, 0, 0) read in origin choice
     * 2 is Wyckoff 16c, 16 atoms.
     */
    @Test
    void originChoiceOneIsTheDefaultAndTwoIsReadFromTheSuffixOrTheHallSymbol() {
        Structure one = read(cif("_space_group_name_H-M_alt 'F d -3 m'", 5.43, "Si1 Si 0 0 0\n"));
        assertEquals(8, one.size());
        Structure two =
                read(
                        cif(
                                "_space_group_name_H-M_alt 'F d -3 m:2'",
                                5.43,
                                "Si1 Si .125 .125 .125\n"));
        Structure hall =
                read(cif("_space_group_name_Hall '-F 4vw 2vw 3'", 5.43, "Si1 Si .125 .125 .125\n"));
        assertEquals(8, two.size());
        assertEquals(positions(two), positions(hall));
        TreeSet<String> shifted = new TreeSet<>();
        for (int i = 0; i < one.size(); i++) {
            double[] f = one.site(i).frac();
            List<String> parts = new ArrayList<>();
            for (int k = 0; k < 3; k++) {
                double g = f[k] - 0.125;
                g -= Math.floor(g);
                parts.add(String.format(Locale.ROOT, "%.6f", g));
            }
            shifted.add("Si " + String.join(" ", parts));
        }
        assertEquals(shifted, positions(two));
        assertTrue(
                positions(one).contains("Si 0.250000 0.250000 0.250000"), positions(one)::toString);
        assertEquals(
                16,
                read(cif("_space_group_name_H-M_alt 'F d -3 m:2'", 5.43, "Si1 Si 0 0 0\n")).size());
    }

    /**
     * One atom at the origin of R-3m: 3 in the hexagonal cell (R centring), 1 in the rhombohedral.
     */
    @Test
    void rhombohedralGroupsDefaultToHexagonalAxes() {
        String hex =
                "data_x\n_symmetry_space_group_name_H-M 'R -3 m'\n_cell_length_a 3\n"
                        + "_cell_length_b 3\n_cell_length_c 15\n_cell_angle_alpha 90\n"
                        + "_cell_angle_beta 90\n_cell_angle_gamma 120\nloop_\n_atom_site_label\n"
                        + "_atom_site_fract_x\n_atom_site_fract_y\n_atom_site_fract_z\nBi1 0 0 0\n";
        assertEquals(3, read(hex).size());
        String rho =
                "data_x\n_symmetry_space_group_name_H-M 'R -3 m:R'\n_cell_length_a 5\n"
                        + "_cell_length_b 5\n_cell_length_c 5\n_cell_angle_alpha 60\n"
                        + "_cell_angle_beta 60\n_cell_angle_gamma 60\nloop_\n_atom_site_label\n"
                        + "_atom_site_fract_x\n_atom_site_fract_y\n_atom_site_fract_z\nBi1 0 0 0\n";
        assertEquals(1, read(rho).size());
    }

    @Test
    void anUnknownSymbolIsAnErrorNamingIt() {
        InvalidInputException e =
                assertThrows(
                        InvalidInputException.class,
                        () ->
                                CifReader.read(
                                        cif(
                                                "_space_group_name_H-M_alt 'F m -3 q'",
                                                5.64,
                                                NACL_SITES),
                                        "t.cif"));
        assertEquals(
                "t.cif: entry x: unknown Hermann-Mauguin space-group symbol 'F m -3 q'",
                e.getMessage());
        InvalidInputException hall =
                assertThrows(
                        InvalidInputException.class,
                        () ->
                                CifReader.read(
                                        cif("_space_group_name_Hall '-F 9 2 3'", 5.64, NACL_SITES),
                                        "t.cif"));
        assertEquals(
                "t.cif: entry x: unknown Hall space-group symbol '-F 9 2 3'", hall.getMessage());
        InvalidInputException number =
                assertThrows(
                        InvalidInputException.class,
                        () ->
                                CifReader.read(
                                        cif("_space_group_IT_number 231", 5.64, NACL_SITES),
                                        "t.cif"));
        assertEquals(
                "t.cif: entry x: space-group number 231 is not in 1..230", number.getMessage());
        InvalidInputException disagree =
                assertThrows(
                        InvalidInputException.class,
                        () ->
                                CifReader.read(
                                        cif(
                                                "_space_group_name_H-M_alt 'F m -3 m'\n"
                                                        + "_space_group_IT_number 221",
                                                5.64,
                                                NACL_SITES),
                                        "t.cif"));
        assertEquals(
                "t.cif: entry x: _space_group_name_h-m_alt 'F m -3 m' is space group 225 but"
                        + " _space_group_it_number '221' is 221",
                disagree.getMessage());
    }

    @Test
    void listedOperationsWinAndNoSymmetryAtAllIsP1() {
        String listed =
                cif(
                        "_space_group_name_H-M_alt 'F m -3 m'\n"
                                + "loop_\n"
                                + "_space_group_symop_operation_xyz\n"
                                + "x,y,z",
                        5.64,
                        NACL_SITES);
        assertEquals(2, read(listed).size());
        assertEquals(2, read(cif("_space_group_name_H-M_alt ?", 5.64, NACL_SITES)).size());
    }
}
