package org.fusionml.train.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ConfigReferenceTest {
    private static final Path PAGE = Path.of("../docs/configuration.md");
    private static final Path SOURCES = Path.of("src/main/java");

    /**
     * docs/configuration.md must equal what the records generate. To refresh it after changing a
     * configuration record: {@code mvn test -pl fusion-train -am -Dtest=ConfigReferenceTest
     * -Dfusion.writeReference=true -Dsurefire.failIfNoSpecifiedTests=false}.
     */
    @Test
    void referencePageIsUpToDate() throws Exception {
        String generated = ConfigReference.markdown(SOURCES);
        if (Boolean.getBoolean("fusion.writeReference")) {
            Files.writeString(PAGE, generated);
        }
        assertEquals(
                generated,
                Files.readString(PAGE),
                "docs/configuration.md is stale; regenerate: mvn test -pl fusion-train -am"
                        + " -Dtest=ConfigReferenceTest -Dfusion.writeReference=true"
                        + " -Dsurefire.failIfNoSpecifiedTests=false");
    }

    @Test
    void pageHasKeysDefaultsAndUnits() throws Exception {
        String md = ConfigReference.markdown(SOURCES);
        assertTrue(
                md.contains(
                        "| `train.batch_size` | integer | `128` | structures per batch, >= 1"
                                + " (default 128) |"),
                md);
        assertTrue(md.contains("| `data.path` | string | `\"\"` |"), md);
        assertTrue(
                md.contains(
                        "| `scores.r_cut` | number | `5.0` | SOAP cutoff in (1, 20] Angstrom (5)"
                                + " |"),
                md);
        assertTrue(md.contains("| `meagraph.band` | list of numbers | `[0.9, 1.0]` |"), md);
        assertTrue(md.contains("| `ood.clusters` | integer | `40` |"), md);
    }
}
