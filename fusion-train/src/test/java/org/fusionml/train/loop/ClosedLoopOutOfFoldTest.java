package org.fusionml.train.loop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.fusionml.data.dataset.CrystalDataset;
import org.fusionml.data.dataset.Split;
import org.fusionml.data.dataset.Splits;
import org.fusionml.train.config.ConfigLoader;
import org.fusionml.train.config.LoopConfig;
import org.fusionml.train.prune.PruningInput;
import org.fusionml.train.score.Scores;
import org.fusionml.train.split.Datasets;
import org.fusionml.train.trainer.GraphModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The loop's out-of-fold scores ({@code scores.predictions: out_of_fold}). */
class ClosedLoopOutOfFoldTest {
    @TempDir Path dir;

    @Test
    void outOfFoldScoresComeFromSurrogatesThatNeverSawTheStructure() throws Exception {
        LoopConfig cfg =
                ConfigLoader.load(
                        Path.of("../configs/quickstart.yaml"),
                        List.of(
                                "surrogate.train.epochs=1",
                                "surrogate.model.hidden=8",
                                "surrogate.model.embedding=8",
                                "surrogate.model.alignn_layers=1",
                                "surrogate.model.gcn_layers=1",
                                "scores.n_max=3",
                                "scores.l_max=2",
                                "scores.r_cut=4.0",
                                "scores.predictions=out_of_fold",
                                "scores.folds=2",
                                "methods=[fusion]",
                                "ratios=[0.4]",
                                "seeds=[0]"),
                        LoopConfig.class);
        Path out = dir.resolve("oof");
        ClosedLoop loop = new ClosedLoop(cfg, new PrintWriter(new StringWriter()));
        PruningInput in = loop.inputs(out, 2).get(0);
        assertTrue(Files.notExists(out.resolve("surrogate")), "no in-sample surrogate is trained");
        CrystalDataset data = Datasets.load(cfg.data());
        Split split = cfg.data().split(data);
        int n = in.candidates().length;
        List<Split> parts = Splits.kFold(n, 2, loop.outOfFoldSeed());
        for (int k = 0; k < 2; k++) {
            assertPartSurrogate(
                    out.resolve("surrogate_oof").resolve("part_" + k),
                    in,
                    split,
                    parts.get(k).test());
        }
        assertEquals(n, parts.get(0).test().length + parts.get(1).test().length);
    }

    /**
     * The out-of-fold surrogate in {@code part}, trained without the candidates at positions {@code
     * held}: validated on the validation structures outside the part only, and its own predictions
     * give exactly the scored U of the part.
     */
    private static void assertPartSurrogate(Path part, PruningInput in, Split split, int[] held)
            throws IOException {
        Set<Integer> heldIds =
                Arrays.stream(held)
                        .map(i -> in.candidates()[i])
                        .boxed()
                        .collect(Collectors.toSet());
        // the part's surrogate validated on the validation structures outside the part only
        long val = Arrays.stream(split.val()).filter(i -> !heldIds.contains(i)).count();
        assertEquals(
                val,
                new ObjectMapper()
                        .readTree(part.resolve("result.json").toFile())
                        .path("validation")
                        .path("count")
                        .asLong());
        // and its own predictions give exactly the scored U of the part (Eq. 3 in its
        // standardised units)
        try (GraphModel m = GraphModel.load(part)) {
            var p =
                    m.predict(
                            m.samples(
                                    Arrays.stream(held)
                                            .mapToObj(i -> in.structures().get(i))
                                            .toList()),
                            64);
            double s2 = m.standardization().std() * m.standardization().std();
            for (int j = 0; j < held.length; j++) {
                assertEquals(p.beta()[j] / s2, p.standardBeta()[j], 1e-9 * p.standardBeta()[j]);
                assertEquals(
                        Scores.uncertainty(p.nu()[j], p.alpha()[j], p.standardBeta()[j], 0.0),
                        in.uncertainty()[held[j]],
                        0.0);
            }
        }
    }
}
