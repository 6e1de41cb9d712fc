package org.fusionml.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * runtime.env is the one list of process settings (glibc allocator, MKL); the launcher and the
 * kernel spec read it, while Dockerfile ENV and the surefire configuration cannot, so they repeat
 * it and must agree.
 */
class RuntimeEnvTest {
    static Map<String, String> runtimeEnv() throws IOException {
        Map<String, String> env = new LinkedHashMap<>();
        for (String line : Files.readAllLines(Path.of("../runtime.env"))) {
            String t = line.strip();
            if (!t.isEmpty() && !t.startsWith("#")) {
                int eq = t.indexOf('=');
                env.put(t.substring(0, eq), t.substring(eq + 1));
            }
        }
        return env;
    }

    @Test
    void dockerfilesAndSurefireRepeatRuntimeEnvExactly() throws IOException {
        Map<String, String> env = runtimeEnv();
        assertTrue(
                env.containsKey("MALLOC_ARENA_MAX") && env.containsKey("MKL_CBWR"),
                "runtime.env: " + env);
        String pom = Files.readString(Path.of("../pom.xml"));
        for (String docker :
                new String[] {"../docker/Dockerfile.cpu", "../docker/Dockerfile.cuda"}) {
            String text = Files.readString(Path.of(docker));
            for (var e : env.entrySet()) {
                assertTrue(
                        text.contains(" " + e.getKey() + "=" + e.getValue() + " ")
                                || text.contains(" " + e.getKey() + "=" + e.getValue() + "\n"),
                        docker + " lacks ENV " + e.getKey() + "=" + e.getValue());
            }
        }
        for (var e : env.entrySet()) {
            assertTrue(
                    pom.contains("<" + e.getKey() + ">" + e.getValue() + "</" + e.getKey() + ">"),
                    "pom.xml surefire lacks " + e.getKey() + "=" + e.getValue());
        }
    }

    @Test
    void testsRunUnderIt() throws IOException {
        // surefire passes the environment to this JVM: what the launcher would set
        for (var e : runtimeEnv().entrySet()) {
            assertEquals(e.getValue(), System.getenv(e.getKey()), e.getKey());
        }
        assertFalse(runtimeEnv().isEmpty());
    }
}
