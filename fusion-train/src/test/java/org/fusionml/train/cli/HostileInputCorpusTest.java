package org.fusionml.train.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The regression corpus of hostile input: each case runs one command line on files written into an
 * empty folder and must exit with code 2, print exactly one line (the expected one; {@code {d}}
 * stands for the folder) and leave nothing behind: the folder holds its input files only.
 */
class HostileInputCorpusTest {
    @TempDir Path dir;

    /** One case: its input files (name to content), its arguments and its one line. */
    record Case(String name, Map<String, String> files, List<String> args, String line) {
        @Override
        public String toString() {
            return name;
        }
    }

    private static Case c(String name, String line, List<String> args, String... files) {
        Map<String, String> f = new LinkedHashMap<>();
        for (int i = 0; i < files.length; i += 2) {
            f.put(files[i], files[i + 1]);
        }
        return new Case(name, f, args, line);
    }

    static final String SITE_CS =
            "{\"lattice\": {\"matrix\": [[4.1, 0, 0], [0, 4.1, 0], [0, 0, 4.1]]}, \"sites\": ["
                    + "{\"species\": [{\"element\": \"Cs\", \"occu\": 1}], \"abc\": [0, 0, 0]},"
                    + " {\"species\": [{\"element\": \"Cl\", \"occu\": 1}], \"abc\": [0.5, 0.5,"
                    + " 0.5]}]}";

    static String matbench(String... ids) {
        StringBuilder data = new StringBuilder();
        for (int i = 0; i < ids.length; i++) {
            data.append(i == 0 ? "" : ", ")
                    .append('[')
                    .append(SITE_CS)
                    .append(", ")
                    .append(i + 1.5)
                    .append(']');
        }
        return "{\"index\": [\""
                + String.join("\", \"", ids)
                + "\"], \"columns\": [\"structure\", \"exfoliation_en\"], \"data\": ["
                + data
                + "]}";
    }

    static String poscar(String lattice, String counts, String coordinates) {
        return "test\n1.0\n" + lattice + "Na Cl\n" + counts + "\nDirect\n" + coordinates;
    }

    static final String CUBE = "5.64 0 0\n0 5.64 0\n0 0 5.64\n";

    static String cif(String a, String symmetry) {
        return "data_x\n"
                + symmetry
                + "\n_cell_length_a "
                + a
                + "\n_cell_length_b 5.64\n_cell_length_c 5.64\n_cell_angle_alpha 90\n"
                + "_cell_angle_beta 90\n_cell_angle_gamma 90\nloop_\n_atom_site_label\n"
                + "_atom_site_fract_x\n_atom_site_fract_y\n_atom_site_fract_z\n"
                + "Na1 0 0 0\nCl1 0.5 0.5 0.5\n";
    }

    static final List<String> TRAIN =
            List.of("train", "--config", "{d}/c.yaml", "--output", "{d}/run");

    static final List<String> LOOP =
            List.of("loop", "--config", "{d}/c.yaml", "--output", "{d}/loop");

    static List<String> symmetry(String input) {
        return List.of("symmetry", "--input", "{d}/" + input, "--output", "{d}/out.json");
    }

    static List<String> prune(String... extra) {
        List<String> a =
                new ArrayList<>(
                        List.of("prune", "--scores", "{d}/s.csv", "--output", "{d}/removed.txt"));
        a.addAll(List.of(extra));
        return a;
    }

    static Stream<Case> cases() {
        return Stream.of(
                // configuration: types, duplicates, ranges
                c(
                        "fractional epochs",
                        "{d}/c.yaml: bad value at 'train.epochs' (line 2): Cannot coerce"
                            + " Floating-point value (3.5) to `java.lang.Integer` value (but could"
                            + " if coercion was enabled using `CoercionConfig`)",
                        TRAIN,
                        "c.yaml",
                        "train:\n  epochs: 3.5\n"),
                c(
                        "duplicate YAML key",
                        "{d}/c.yaml: not valid YAML: Duplicate field 'epochs'",
                        TRAIN,
                        "c.yaml",
                        "train:\n  epochs: 3\n  epochs: 4\n"),
                c(
                        "hidden 0",
                        "{d}/c.yaml: bad value at 'model' (line 1): model.hidden (0) must be >= 1",
                        TRAIN,
                        "c.yaml",
                        "model:\n  hidden: 0\n"),
                c(
                        "negative learning rate",
                        "{d}/c.yaml: bad value at 'train' (line 1): train.learning_rate (-1.0) must"
                                + " be a finite number > 0",
                        TRAIN,
                        "c.yaml",
                        "train:\n  learning_rate: -1\n"),
                c(
                        "zero batch size",
                        "{d}/c.yaml: bad value at 'train' (line 1): train.batch_size (0) must be >="
                                + " 1",
                        TRAIN,
                        "c.yaml",
                        "train:\n  batch_size: 0\n"),
                c(
                        "fractions above 1",
                        "{d}/c.yaml: bad value at 'data' (line 1): data.val_fraction (0.6) +"
                                + " data.test_fraction (0.6) must be < 1: nothing would be left to"
                                + " train on",
                        TRAIN,
                        "c.yaml",
                        "data:\n  val_fraction: 0.6\n  test_fraction: 0.6\n"),
                c(
                        "negative fraction",
                        "{d}/c.yaml: bad value at 'data' (line 1): data.test_fraction (-0.1) must"
                                + " be in [0, 1)",
                        TRAIN,
                        "c.yaml",
                        "data:\n  test_fraction: -0.1\n"),
                c(
                        "one-structure dataset",
                        "{d}/one.json: 1 structure splits into 1 training and 0 validation"
                                + " structures; training needs at least 2 and 1",
                        TRAIN,
                        "c.yaml",
                        "data:\n  path: {d}/one.json\n",
                        "one.json",
                        matbench("m1")),
                c(
                        "repeated id in a dataset",
                        "{d}/two.json: entry m1: repeated id (entries 0 and 1)",
                        TRAIN,
                        "c.yaml",
                        "data:\n  path: {d}/two.json\n",
                        "two.json",
                        matbench("m1", "m1")),
                c(
                        "negative gamma",
                        "{d}/c.yaml: bad value at 'scores' (line 1): scores.gamma (-1.0) must be a"
                                + " finite number >= 0",
                        LOOP,
                        "c.yaml",
                        "scores: {gamma: -1}\n"),
                c(
                        "no seeds",
                        "{d}/c.yaml: seeds: give at least one seed",
                        LOOP,
                        "c.yaml",
                        "seeds: []\n"),
                c(
                        "symprec beyond 1 A",
                        "{d}/c.yaml: bad value at 'scores' (line 1): scores.symprec (2.0) must be"
                                + " in (0, 1] Angstrom",
                        LOOP,
                        "c.yaml",
                        "scores: {symprec: 2}\n"),
                c(
                        "r_cut 1000 in a loop",
                        "{d}/c.yaml: bad value at 'scores' (line 1): scores.r_cut (1000.0) must be"
                                + " in (1, 20] Angstrom",
                        LOOP,
                        "c.yaml",
                        "scores: {r_cut: 1000}\n"),
                c(
                        "model cutoff 1000 in a training",
                        "{d}/c.yaml: bad value at 'model' (line 1): model.cutoff (1000.0) must be"
                                + " at most 20.0 Angstrom (neighbour graphs grow as its cube)",
                        TRAIN,
                        "c.yaml",
                        "model: {cutoff: 1000}\n"),
                // command options; the loop below has 4 cells: per seed (2) the unpruned one and
                // fusion at ratio 0.5
                c(
                        "loop --cell -1",
                        "fusion loop: --cell (-1) must be in 0..3",
                        List.of(
                                "loop",
                                "--config",
                                "{d}/c.yaml",
                                "--output",
                                "{d}/loop",
                                "--cell",
                                "-1"),
                        "c.yaml",
                        "methods: [fusion]\nratios: [0.5]\nseeds: [0, 1]\n"),
                c(
                        "loop --cell 99999",
                        "fusion loop: --cell (99999) must be in 0..3",
                        List.of(
                                "loop",
                                "--config",
                                "{d}/c.yaml",
                                "--output",
                                "{d}/loop",
                                "--cell",
                                "99999"),
                        "c.yaml",
                        "methods: [fusion]\nratios: [0.5]\nseeds: [0, 1]\n"),
                c(
                        "loop --threads 0",
                        "fusion loop: --threads (0) must be >= 1",
                        List.of(
                                "loop",
                                "--config",
                                "{d}/c.yaml",
                                "--output",
                                "{d}/loop",
                                "--threads",
                                "0"),
                        "c.yaml",
                        "seeds: [0]\n"),
                c(
                        "predict --batch-size 0",
                        "fusion predict: --batch-size (0) must be >= 1",
                        List.of(
                                "predict",
                                "--model",
                                "{d}/run",
                                "--batch-size",
                                "0",
                                "--output",
                                "{d}/p.csv")),
                c(
                        "soap --r-cut 1000",
                        "fusion soap: --r-cut (1000.0) must be in (1, 20] Angstrom",
                        List.of(
                                "soap",
                                "--input",
                                "{d}/POSCAR",
                                "--r-cut",
                                "1000",
                                "--output",
                                "{d}/s.json"),
                        "POSCAR",
                        poscar(CUBE, "1 1", "0 0 0\n0.5 0.5 0.5\n")),
                c(
                        "graph --cutoff 1000 that cannot fit in memory",
                        null,
                        List.of(
                                "graph",
                                "--input",
                                "{d}/POSCAR",
                                "--cutoff",
                                "1000",
                                "--output",
                                "{d}/g.json"),
                        "POSCAR",
                        poscar(CUBE, "1 1", "0 0 0\n0.5 0.5 0.5\n")),
                c(
                        "symmetry --symprec 0",
                        "fusion symmetry: --symprec (0.0) must be in (0, 1] Angstrom",
                        List.of("symmetry", "--symprec", "0", "--output", "{d}/out.json")),
                c(
                        "fingerprint --threads 0",
                        "fusion fingerprint: --threads (0) must be >= 1",
                        List.of("fingerprint", "--threads", "0", "--output", "{d}/out.json")),
                c(
                        "score --gamma -1",
                        "fusion score: --gamma (-1.0) must be a finite number >= 0",
                        List.of(
                                "score",
                                "--run",
                                "{d}/run",
                                "--gamma",
                                "-1",
                                "--output",
                                "{d}/s.csv")),
                // prune tables
                c(
                        "prune with a repeated id",
                        "{d}/s.csv: entry line 3: id 'a' is repeated",
                        prune("--ratio", "0.5"),
                        "s.csv",
                        "id,influence\na,0.5\na,0.3\n"),
                c(
                        "prune with an empty id",
                        "{d}/s.csv: entry line 2: empty id",
                        prune("--ratio", "0.5"),
                        "s.csv",
                        "id,influence\n,0.5\n"),
                c(
                        "prune with a header only",
                        "{d}/s.csv: no rows after the header",
                        prune("--epsilon", "0.1"),
                        "s.csv",
                        "id,influence\n"),
                // structures
                c(
                        "POSCAR with a negative count",
                        "{d}/POSCAR: atom count -1 of Na (line 7) is negative",
                        symmetry("POSCAR"),
                        "POSCAR",
                        poscar(CUBE, "-1 2", "0 0 0\n0.5 0.5 0.5\n0.2 0.2 0.2\n")),
                c(
                        "POSCAR with a coordinate of 1e300",
                        "{d}/POSCAR: site 0 (Na) has fractional coordinate x = 1.00000e+300, beyond"
                                + " +-1e+06: the position is lost to round-off",
                        symmetry("POSCAR"),
                        "POSCAR",
                        poscar(CUBE, "1 1", "1e300 0 0\n0.5 0.5 0.5\n")),
                c(
                        "POSCAR with a degenerate cell",
                        "{d}/POSCAR: degenerate cell: volume 100 A^3 is 1.0e-07 of a*b*c, the"
                                + " lattice vectors are (nearly) coplanar",
                        symmetry("POSCAR"),
                        "POSCAR",
                        poscar(
                                "1000 0 0\n1000 0.0001 0\n0 0 1000\n",
                                "1 1",
                                "0 0 0\n0.5 0.5 0.5\n")),
                c(
                        "CIF with a negative cell length",
                        "{d}/x.cif: entry x: _cell_length_a (-5.64) must be > 0 Angstrom",
                        symmetry("x.cif"),
                        "x.cif",
                        cif("-5.64", "")),
                c(
                        "CIF with a cell length of 1e5 A",
                        "{d}/x.cif: entry x: lattice vector a is 100000 A long, beyond 10000 A",
                        symmetry("x.cif"),
                        "x.cif",
                        cif("1e5", "")),
                c(
                        "CIF with an unknown space-group symbol",
                        "{d}/x.cif: entry x: unknown Hermann-Mauguin space-group symbol 'F m -3 q'",
                        symmetry("x.cif"),
                        "x.cif",
                        cif("5.64", "_space_group_name_H-M_alt 'F m -3 q'")),
                c(
                        "CIF with a repeated tag",
                        "{d}/x.cif: entry x: tag _cell_length_a appears twice",
                        symmetry("x.cif"),
                        "x.cif",
                        cif("5.64", "_cell_length_a 4")),
                c(
                        "JSON map with a repeated key",
                        "{d}/m.json: malformed JSON: Duplicate field 'a'",
                        symmetry("m.json"),
                        "m.json",
                        "{\"a\": " + SITE_CS + ", \"a\": " + SITE_CS + "}"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void exitsWithCode2OneLineAndNothingLeftBehind(Case c) throws IOException {
        String d = dir.toString();
        for (Map.Entry<String, String> f : c.files().entrySet()) {
            Files.writeString(dir.resolve(f.getKey()), f.getValue().replace("{d}", d));
        }
        Set<String> before = listing();
        CliRunner r =
                CliRunner.run(
                        c.args().stream().map(a -> a.replace("{d}", d)).toArray(String[]::new));
        assertEquals(2, r.code(), c.name() + ": " + r.err());
        List<String> lines = r.err().strip().lines().toList();
        assertEquals(1, lines.size(), c.name() + ": " + r.err());
        if (c.line() != null) {
            assertEquals(c.line().replace("{d}", d), lines.get(0));
        } else {
            assertTrue(
                    lines.get(0).contains("needs about") && lines.get(0).contains("-Xmx"),
                    lines.get(0));
        }
        assertEquals(before, listing(), c.name() + ": files left behind");
    }

    /** Every path under the folder, relative. */
    private Set<String> listing() throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            return new TreeSet<>(s.map(p -> dir.relativize(p).toString()).toList());
        }
    }
}
