package org.fusionml.data.structure.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.fusionml.data.InvalidInputException;
import org.fusionml.data.dataset.DatasetLoader;
import org.fusionml.data.io.Sources;
import org.fusionml.data.structure.Structure;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StructureReadersTest {
    @TempDir Path dir;

    private static Structure sample() {
        return DatasetLoader.embeddedDefault().get(0).structure();
    }

    @Test
    void pymatgenJsonRoundTripIsExact() throws IOException {
        Structure s = sample();
        Path f = dir.resolve("one.json");
        Files.writeString(f, StructureReaders.JSON.writeValueAsString(PymatgenJson.write(s)));
        StructureReaders.Content c = StructureReaders.read(f);
        assertEquals(1, c.entries().size());
        assertEquals("one", c.entries().get(0).id());
        assertEquals(s, c.entries().get(0).structure());
        assertEquals(Sources.sha256(f), c.sha256());
    }

    @Test
    void mapAndArrayOfDictsAreRead() throws IOException {
        Structure s = sample();
        ObjectNode map = StructureReaders.JSON.createObjectNode();
        map.set("first", PymatgenJson.write(s));
        map.set("second", PymatgenJson.write(s.supercell(1, 2, 1)));
        Path f = dir.resolve("map.json");
        Files.writeString(f, map.toString());
        List<StructureEntry> e = StructureReaders.read(f).entries();
        assertEquals(List.of("first", "second"), e.stream().map(StructureEntry::id).toList());
        assertEquals(12, e.get(1).structure().size());

        ArrayNode array = StructureReaders.JSON.createArrayNode().add(PymatgenJson.write(s));
        Path g = dir.resolve("list.json.gz");
        Files.write(g, gzip(array.toString()));
        assertEquals(s, StructureReaders.read(g).entries().get(0).structure());
    }

    @Test
    void poscarRoundTripKeepsGeometryAndOrder() throws IOException {
        Structure s = sample();
        Path f = dir.resolve("POSCAR");
        Files.writeString(f, Poscar.write(s, "mb-jdft2d-001"));
        StructureEntry e = StructureReaders.read(f).entries().get(0);
        assertEquals("mb-jdft2d-001", e.id());
        Structure back = e.structure();
        assertEquals(s.size(), back.size());
        for (int i = 0; i < s.size(); i++) {
            assertEquals(s.element(i), back.element(i));
            assertArrayEquals(s.cartesian(i), back.cartesian(i), 1e-12);
        }
    }

    @Test
    void poscarWithCartesianCoordinatesAndNegativeScale() {
        String text =
                "Si cartesian\n"
                        + "-160.0\n"
                        + " 1 0 0\n"
                        + " 0 1 0\n"
                        + " 0 0 2\n"
                        + "Si_pv O\n"
                        + "1 1\n"
                        + "Selective dynamics\n"
                        + "Cartesian\n"
                        + "0 0 0 T T T\n"
                        + "0.5 0.5 1.0 F F F\n";
        Structure s = Poscar.read(text).structure();
        assertEquals(160.0, s.lattice().volume(), 1e-9);
        double scale = Math.cbrt(160.0 / 2.0);
        assertArrayEquals(new double[] {0.5 * scale, 0.5 * scale, scale}, s.cartesian(1), 1e-12);
        assertArrayEquals(new double[] {0.5, 0.5, 0.5}, s.site(1).frac(), 1e-12);
    }

    /** Rutile TiO2, P4_2/mnm (No. 136): Ti 2a (0,0,0), O 4f (x,x,0); 16 operations give 6 sites. */
    private static final String RUTILE =
            """
            # rutile
            data_TiO2
            _cell_length_a    4.5937(3)
            _cell_length_b    4.5937
            _cell_length_c    2.9587
            _cell_angle_alpha 90
            _cell_angle_beta  90
            _cell_angle_gamma 90
            _symmetry_space_group_name_H-M 'P 42/m n m'
            loop_
            _symmetry_equiv_pos_as_xyz
              'x, y, z'
              '-x, -y, z'
              '-y+1/2, x+1/2, z+1/2'
              'y+1/2, -x+1/2, z+1/2'
              '-x+1/2, y+1/2, -z+1/2'
              'x+1/2, -y+1/2, -z+1/2'
              'y, x, -z'
              '-y, -x, -z'
              '-x, -y, -z'
              'x, y, -z'
              'y+1/2, -x+1/2, -z+1/2'
              '-y+1/2, x+1/2, -z+1/2'
              'x+1/2, -y+1/2, z+1/2'
              '-x+1/2, y+1/2, z+1/2'
              '-y, -x, z'
              'y, x, z'
            loop_
            _atom_site_label
            _atom_site_type_symbol
            _atom_site_fract_x
            _atom_site_fract_y
            _atom_site_fract_z
            _atom_site_occupancy
              Ti1 Ti4+ 0.0 0.0 0.0 1.0
              O1  O2-  0.3049 0.3049 0.0 1.000
            """;

    @Test
    void cifIsExpandedBySymmetryOperations() throws IOException {
        Path f = dir.resolve("rutile.cif");
        Files.writeString(f, RUTILE);
        StructureEntry e = StructureReaders.read(f).entries().get(0);
        assertEquals("TiO2", e.id());
        Structure s = e.structure();
        assertEquals("O4 Ti2", s.formula(), "in order of atomic number");
        double x = 0.3049;
        List<double[]> expected =
                new ArrayList<>(
                        List.of(
                                new double[] {0, 0, 0}, new double[] {0.5, 0.5, 0.5},
                                new double[] {x, x, 0}, new double[] {1 - x, 1 - x, 0},
                                new double[] {0.5 + x, 0.5 - x, 0.5},
                                        new double[] {0.5 - x, 0.5 + x, 0.5}));
        List<double[]> actual = new ArrayList<>();
        for (int i = 0; i < s.size(); i++) {
            actual.add(s.site(i).frac());
        }
        Comparator<double[]> byCoords =
                Comparator.<double[]>comparingDouble(a -> a[0])
                        .thenComparingDouble(a -> a[1])
                        .thenComparingDouble(a -> a[2]);
        expected.sort(byCoords);
        actual.sort(byCoords);
        for (int i = 0; i < 6; i++) {
            assertArrayEquals(expected.get(i), actual.get(i), 1e-12);
        }
        assertEquals("O1", s.site(2).label());
        assertEquals(4.5937 * 4.5937 * 2.9587, s.lattice().volume(), 1e-9);
    }

    @Test
    void cifOperationParser() {
        double[][] op = CifReader.parseOperation("-x+y+1/2, 0.25-y, 1/2+z");
        assertArrayEquals(new double[] {-1, 1, 0, 0.5}, op[0], 0);
        assertArrayEquals(new double[] {0, -1, 0, 0.25}, op[1], 0);
        assertArrayEquals(new double[] {0, 0, 1, 0.5}, op[2], 0);
    }

    // ---- bad input: one line naming file, entry and problem -------------------------------------

    @Test
    void truncatedGzipNamesFileAndEntry() throws IOException {
        byte[] full = Sources.resource(DatasetLoader.class, DatasetLoader.EMBEDDED_RESOURCE);
        Path f = dir.resolve("matbench_jdft2d.json.gz");
        Files.write(f, Arrays.copyOf(full, full.length / 2));
        InvalidInputException e =
                assertThrows(InvalidInputException.class, () -> StructureReaders.read(f));
        assertTrue(e.getMessage().startsWith(f + ": entry mb-jdft2d-"), e.getMessage());
        assertTrue(e.getMessage().contains("truncated or corrupt gzip"), e.getMessage());
        assertOneLine(e);
    }

    @Test
    void jsonThatIsNotAStructure() throws IOException {
        InvalidInputException e = bad("notes.json", "{\"a\": {\"hello\": 1}}");
        assertEquals("a", e.entry());
        assertTrue(e.problem().contains("not a structure"), e.getMessage());
    }

    @Test
    void missingLattice() throws IOException {
        InvalidInputException e = bad("x.json", "[" + dict(null, "Mo", "[0,0,0]", 1) + "]");
        assertEquals("0", e.entry());
        assertEquals("structure has no lattice", e.problem());
    }

    @Test
    void zeroVolumeLattice() throws IOException {
        InvalidInputException e =
                bad("x.json", "[" + dict("[[1,0,0],[0,1,0],[1,1,0]]", "Mo", "[0,0,0]", 1) + "]");
        assertTrue(e.problem().startsWith("lattice has zero volume"), e.getMessage());
    }

    @Test
    void unknownElement() throws IOException {
        InvalidInputException e = bad("x.json", "{\"s1\":" + dict(CUBE, "Xx", "[0,0,0]", 1) + "}");
        assertEquals("s1", e.entry());
        assertEquals("unknown element 'Xx' on site 0", e.problem());
    }

    @Test
    void nanCoordinate() throws IOException {
        InvalidInputException e = bad("x.json", "[" + dict(CUBE, "Mo", "[0,NaN,0]", 1) + "]");
        assertTrue(e.problem().contains("not finite"), e.getMessage());
    }

    @Test
    void nanTargetInMatbenchFile() throws IOException {
        String s = dict(CUBE, "Mo", "[0,0,0]", 1);
        InvalidInputException e =
                bad(
                        "m.json",
                        "{\"index\":[\"a\",\"b\"],\"columns\":[\"structure\",\"y\"],\"data\":[["
                                + s
                                + ",1.0],["
                                + s
                                + ",NaN]]}");
        assertEquals("b", e.entry());
        assertEquals("target is not finite (NaN)", e.problem());
    }

    @Test
    void partialOccupancyIsRejected() throws IOException {
        InvalidInputException e = bad("x.json", "[" + dict(CUBE, "Mo", "[0,0,0]", 0.5) + "]");
        assertTrue(e.problem().startsWith("partial occupancy on site 0 (Mo:0.5)"), e.getMessage());
        Path f = dir.resolve("bad.cif");
        Files.writeString(f, RUTILE.replace("0.0 0.0 0.0 1.0", "0.0 0.0 0.0 0.5"));
        InvalidInputException c =
                assertThrows(InvalidInputException.class, () -> StructureReaders.read(f));
        assertEquals("TiO2", c.entry());
        assertTrue(c.problem().startsWith("partial occupancy 0.5 on site Ti1"), c.getMessage());
    }

    @Test
    void atomsCloserThanATenthOfAnAngstrom() throws IOException {
        String two =
                "{\"lattice\":{\"matrix\":"
                        + CUBE
                        + "},\"sites\":["
                        + site("Mo", "[0,0,0]", 1)
                        + ","
                        + site("S", "[0.99,0,0]", 1)
                        + "]}";
        InvalidInputException e = bad("x.json", "{\"pair\":" + two + "}");
        assertEquals("pair", e.entry());
        assertTrue(
                e.problem().startsWith("sites 0 (Mo) and 1 (S) are 0.0500 A apart"),
                e.getMessage());
    }

    private static final String CUBE = "[[5,0,0],[0,5,0],[0,0,5]]";

    private static String site(String el, String abc, double occu) {
        return "{\"species\":[{\"element\":\""
                + el
                + "\",\"occu\":"
                + occu
                + "}],\"abc\":"
                + abc
                + "}";
    }

    private static String dict(String matrix, String el, String abc, double occu) {
        String lattice = matrix == null ? "" : "\"lattice\":{\"matrix\":" + matrix + "},";
        return "{" + lattice + "\"sites\":[" + site(el, abc, occu) + "]}";
    }

    private InvalidInputException bad(String name, String content) throws IOException {
        Path f = dir.resolve(name);
        Files.writeString(f, content);
        InvalidInputException e =
                assertThrows(InvalidInputException.class, () -> StructureReaders.read(f));
        assertTrue(e.getMessage().startsWith(f.toString() + ": "), e.getMessage());
        assertOneLine(e);
        return e;
    }

    private static void assertOneLine(InvalidInputException e) {
        assertTrue(!e.getMessage().contains("\n"), "multi-line message: " + e.getMessage());
    }

    private static byte[] gzip(String s) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(bytes)) {
            gz.write(s.getBytes(StandardCharsets.UTF_8));
        }
        return bytes.toByteArray();
    }
}
