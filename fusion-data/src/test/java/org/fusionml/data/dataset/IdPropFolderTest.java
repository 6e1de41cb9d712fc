package org.fusionml.data.dataset;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.fusionml.data.InvalidInputException;
import org.fusionml.data.io.Sources;
import org.fusionml.data.structure.io.CifReader;
import org.fusionml.data.structure.io.Poscar;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdPropFolderTest {
    /** Diamond Si, 2 atoms, a = 5.43 A (fcc primitive cell). */
    private static final String SI =
            """
            Si
            1.0
              0.0000 2.7150 2.7150
              2.7150 0.0000 2.7150
              2.7150 2.7150 0.0000
            Si
            2
            Direct
              0.00 0.00 0.00
              0.25 0.25 0.25
            """;

    /** Rock salt NaCl, cubic cell a = 5.64 A, 8 atoms. */
    private static final String NACL =
            """
            NaCl
            5.64
              1 0 0
              0 1 0
              0 0 1
            Na Cl
            4 4
            Direct
              0.0 0.0 0.0
              0.0 0.5 0.5
              0.5 0.0 0.5
              0.5 0.5 0.0
              0.5 0.0 0.0
              0.0 0.5 0.0
              0.0 0.0 0.5
              0.5 0.5 0.5
            """;

    /** CsCl in P m -3 m written as a CIF: 2 atoms. */
    private static final String CSCL =
            """
            data_CsCl
            _cell_length_a 4.12
            _cell_length_b 4.12
            _cell_length_c 4.12
            _cell_angle_alpha 90
            _cell_angle_beta 90
            _cell_angle_gamma 90
            loop_
            _atom_site_label
            _atom_site_type_symbol
            _atom_site_fract_x
            _atom_site_fract_y
            _atom_site_fract_z
              Cs1 Cs 0.0 0.0 0.0
              Cl1 Cl 0.5 0.5 0.5
            """;

    @TempDir Path tmp;
    Path dir;

    /**
     * The four ways a row names its file: ALIGNN with an extension ({@code Si.vasp}), ALIGNN
     * without one ({@code JVASP-1}, a POSCAR), a CIF by its full name, and CGCNN's id ({@code
     * mp-22865} for {@code mp-22865.cif}).
     */
    @BeforeEach
    void folder() throws Exception {
        dir = Files.createDirectory(tmp.resolve("my_data"));
        Files.writeString(dir.resolve("Si.vasp"), SI);
        Files.writeString(dir.resolve("JVASP-1"), NACL);
        Files.writeString(dir.resolve("CsCl.cif"), CSCL);
        Files.writeString(dir.resolve("mp-22865.cif"), CSCL.replace("4.12", "4.20"));
        Files.writeString(dir.resolve("notes.txt"), "not data");
        idProp("Si.vasp,1.5\nJVASP-1,-0.25\r\n\nCsCl.cif, 2e-1\nmp-22865,3\n");
    }

    private void idProp(String text) throws Exception {
        Files.writeString(dir.resolve(IdPropFolder.ID_PROP), text);
    }

    @Test
    void readsEveryRowInOrderWithItsStructureAndTarget() throws Exception {
        CrystalDataset d = DatasetLoader.load(dir, null);
        assertEquals(
                List.of("Si.vasp", "JVASP-1", "CsCl.cif", "mp-22865"),
                d.entries().stream().map(DatasetEntry::id).toList());
        assertEquals(
                List.of(1.5, -0.25, 0.2, 3.0), d.entries().stream().map(e -> e.target()).toList());
        assertEquals(Poscar.read(SI).structure(), d.get(0).structure());
        assertEquals(Poscar.read(NACL).structure(), d.get(1).structure());
        assertEquals(8, d.get(1).structure().size());
        assertEquals(CifReader.read(CSCL, "x").get(0).structure(), d.get(2).structure());
        assertEquals(4.20, d.get(3).structure().lattice().lengths()[0], 1e-12);
        DatasetProvenance p = d.provenance();
        assertEquals(dir.toString(), p.source());
        assertEquals("my_data", p.task());
        assertEquals("target", p.targetName());
        assertEquals("unknown", p.unit());
    }

    /**
     * The hash is the SHA-256 of the sha256sum-style list of id_prop.csv and the files it names.
     */
    @Test
    void hashCoversTheTableAndEveryStructureFile() throws Exception {
        String manifest =
                hash("id_prop.csv")
                        + "  id_prop.csv\n"
                        + hash("Si.vasp")
                        + "  Si.vasp\n"
                        + hash("JVASP-1")
                        + "  JVASP-1\n"
                        + hash("CsCl.cif")
                        + "  CsCl.cif\n"
                        + hash("mp-22865.cif")
                        + "  mp-22865.cif\n";
        String sha = DatasetLoader.load(dir, null).provenance().sha256();
        assertEquals(Sources.sha256(manifest.getBytes(StandardCharsets.UTF_8)), sha);

        Files.writeString(dir.resolve("unrelated.cif"), CSCL);
        assertEquals(
                sha, DatasetLoader.load(dir, null).provenance().sha256(), "not named: no data");

        Files.writeString(dir.resolve("JVASP-1"), NACL.replace("5.64", "5.65"));
        String changedStructure = DatasetLoader.load(dir, null).provenance().sha256();
        assertNotEquals(sha, changedStructure);

        idProp("Si.vasp,1.5\nJVASP-1,-0.26\r\n\nCsCl.cif, 2e-1\nmp-22865,3\n");
        assertNotEquals(changedStructure, DatasetLoader.load(dir, null).provenance().sha256());
    }

    private String hash(String name) throws Exception {
        return Sources.sha256(dir.resolve(name));
    }

    @Test
    void badRowsNameTheFileTheLineAndTheEntry() throws Exception {
        String csv = dir.resolve("id_prop.csv").toString();
        idProp("Si.vasp,1.5\n\nJVASP-2,0.1\n");
        assertEquals(
                csv
                        + ":3: entry JVASP-2: missing structure file (neither "
                        + dir.resolve("JVASP-2")
                        + " nor "
                        + dir.resolve("JVASP-2.cif")
                        + ")",
                error());

        idProp("Si.vasp,1.5\nJVASP-1,n/a\n");
        assertEquals(csv + ":2: entry JVASP-1: target 'n/a' is not a number", error());
        idProp("Si.vasp,NaN\n");
        assertEquals(
                csv
                        + ":1: entry Si.vasp: target 'NaN' is not a number (id_prop.csv has no"
                        + " header row)",
                error());
        idProp("name,target\nSi.vasp,1\n");
        assertEquals(
                csv
                        + ":1: entry name: target 'target' is not a number (id_prop.csv has no"
                        + " header row)",
                error());

        idProp("Si.vasp,1.5\nCsCl.cif,2\nSi.vasp,1.6\n");
        assertEquals(csv + ":3: entry Si.vasp: duplicate id (also on line 1)", error());

        Files.writeString(dir.resolve("empty.cif"), "  \n");
        idProp("Si.vasp,1.5\nempty,2\n");
        assertEquals(
                csv + ":2: entry empty: " + dir.resolve("empty.cif") + ": empty file", error());

        idProp("Si.vasp,1.5,7\n");
        assertEquals(csv + ":1: expected 2 columns (structure file, target), found 3", error());

        idProp("\n\n");
        assertEquals(csv + ": empty file: no rows", error());

        idProp("../Si.vasp,1\n");
        assertEquals(
                csv + ":1: entry ../Si.vasp: structure file names must lie inside " + dir, error());

        Files.delete(dir.resolve("id_prop.csv"));
        InvalidInputException none = assertThrows(InvalidInputException.class, this::load);
        assertEquals(dir + ": not a dataset folder: it has no id_prop.csv", none.getMessage());
    }

    @Test
    void aBrokenStructureFileIsNamedWithItsProblem() throws Exception {
        Files.writeString(dir.resolve("broken"), "Si\n1.0\n0 0 0\n");
        idProp("broken,1\n");
        String msg = error();
        assertTrue(
                msg.startsWith(
                        dir.resolve("id_prop.csv")
                                + ":1: entry broken: "
                                + dir.resolve("broken")
                                + ": POSCAR has 3 lines"),
                msg);
    }

    private void load() {
        DatasetLoader.load(dir, null);
    }

    private String error() {
        return assertThrows(InvalidInputException.class, this::load).getMessage();
    }
}
