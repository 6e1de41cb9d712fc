package org.fusionml.data;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.fusionml.data.io.Sources;

/**
 * Locates {@code ../shared} (data and reference outputs of independent tools). Tests that need it
 * call {@link #require} and are skipped, not failed, where it is absent.
 */
public final class SharedData {
    private SharedData() {}

    /** The shared folder: system property {@code fusion.shared}, else {@code ../shared}. */
    public static Path root() {
        String p = System.getProperty("fusion.shared");
        return Path.of(p != null ? p : "../shared").toAbsolutePath().normalize();
    }

    /** Returns {@code root()/relative}, skipping the calling test if it does not exist. */
    public static Path require(String relative) {
        Path p = root().resolve(relative);
        assumeTrue(Files.exists(p), "needs " + p + " (../shared is absent): skipped");
        return p;
    }

    /** Reads a (gzip'd) JSON file. */
    public static JsonNode json(Path p) {
        try (InputStream in = Sources.maybeGunzip(Files.newInputStream(p))) {
            return new ObjectMapper().readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
