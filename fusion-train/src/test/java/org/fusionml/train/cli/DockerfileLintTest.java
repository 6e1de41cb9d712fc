package org.fusionml.train.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A structural lint of the Dockerfiles (hadolint is not available; docker/build-and-run builds and
 * runs the CPU image): the rules follow hadolint's DL3006/DL3007 (pinned base images), DL3002 (last
 * user not root), DL3025 (exec-form entrypoint), DL3008/DL3009/DL3015 (apt hygiene), DL3020 (COPY,
 * not ADD).
 */
class DockerfileLintTest {
    @ParameterizedTest
    @ValueSource(strings = {"Dockerfile.cpu", "Dockerfile.cuda"})
    void dockerfileFollowsTheRules(String name) throws Exception {
        List<String> lines = instructions(Path.of("../docker").resolve(name));
        List<String> from = lines.stream().filter(l -> l.startsWith("FROM ")).toList();
        assertFalse(from.isEmpty(), "no FROM");
        assertPinnedBaseImages(name, baseImages(name, lines, from));
        assertTrue(
                lines.stream()
                        .anyMatch(l -> l.startsWith("RUN mvn") && l.contains("${MAVEN_FLAGS}")),
                name + ": the build's Maven takes MAVEN_FLAGS");
        int lastFrom = lines.lastIndexOf(from.get(from.size() - 1));
        List<String> runtime = lines.subList(lastFrom, lines.size());
        assertRuntimeStage(name, runtime);
        assertInstructionHygiene(name, lines);
        if (name.endsWith("cuda")) {
            assertCudaRuntime(name, lines, runtime);
        }
    }

    /**
     * The base image of each FROM, a build argument {@code ${NAME}} replaced by the default its
     * {@code ARG} before the first FROM gives (a base image must be a build argument with a default
     * or a literal image).
     */
    private static List<String> baseImages(String name, List<String> lines, List<String> from) {
        Map<String, String> defaults = new HashMap<>();
        for (String l : lines.subList(0, lines.indexOf(from.get(0)))) {
            Matcher m = Pattern.compile("ARG (\\w+)=(\\S+)").matcher(l);
            if (m.matches()) {
                defaults.put(m.group(1), m.group(2));
            }
        }
        List<String> images = new ArrayList<>();
        for (String f : from) {
            String image = f.split("\\s+")[1];
            Matcher arg = Pattern.compile("\\$\\{(\\w+)}").matcher(image);
            if (arg.matches()) {
                image = defaults.get(arg.group(1));
                assertTrue(image != null, name + ": " + f + " names an ARG without a default");
            }
            images.add(image);
        }
        return images;
    }

    /** DL3006/DL3007: every base image pinned, none on latest. */
    private static void assertPinnedBaseImages(String name, List<String> images) {
        for (String image : images) {
            assertTrue(
                    image.contains(":") || image.contains("@sha256:"),
                    name + ": unpinned base image " + image);
            assertFalse(image.endsWith(":latest"), name + ": base image on latest: " + image);
        }
    }

    /**
     * DL3002/DL3025: the runtime stage runs as a non-root user, the fusion CLI offline through an
     * exec-form entrypoint, with data and results volumes.
     */
    private static void assertRuntimeStage(String name, List<String> runtime) {
        List<String> users = runtime.stream().filter(l -> l.startsWith("USER ")).toList();
        assertFalse(users.isEmpty(), name + ": the runtime stage must switch to a non-root user");
        String user = users.get(users.size() - 1).substring(5).trim();
        assertFalse(user.equals("root") || user.equals("0"), name + ": runs as root");
        int userAt = runtime.indexOf(users.get(users.size() - 1));
        int entryAt = indexOfPrefix(runtime, "ENTRYPOINT ");
        assertTrue(entryAt > userAt, name + ": USER must come before ENTRYPOINT");
        assertTrue(
                runtime.get(entryAt).substring("ENTRYPOINT ".length()).trim().startsWith("["),
                name + ": ENTRYPOINT in exec form");
        assertTrue(
                runtime.get(entryAt).contains("org.fusionml.train.cli.FusionCli")
                        && runtime.get(entryAt).contains("-Dai.djl.offline=true"),
                name + ": the entrypoint is the fusion CLI, offline");
        String volume = runtime.get(indexOfPrefix(runtime, "VOLUME "));
        assertTrue(
                volume.contains("\"/data\"") && volume.contains("\"/results\""),
                name + ": data and results volumes");
    }

    /** DL3020, DL3008/DL3009/DL3015: COPY not ADD, no sudo, apt hygiene, absolute WORKDIR. */
    private static void assertInstructionHygiene(String name, List<String> lines) {
        for (String l : lines) {
            assertFalse(l.startsWith("ADD "), name + ": use COPY, not ADD: " + l);
            assertFalse(l.contains("sudo "), name + ": sudo: " + l);
            if (l.contains("apt-get install")) {
                assertTrue(
                        l.contains("--no-install-recommends") && l.contains("-y"),
                        name + ": apt-get install -y --no-install-recommends: " + l);
                assertTrue(
                        l.contains("rm -rf /var/lib/apt/lists"),
                        name + ": clean the apt lists in the same layer: " + l);
            }
            if (l.startsWith("WORKDIR ")) {
                assertTrue(
                        l.substring(8).trim().startsWith("/"),
                        name + ": WORKDIR must be absolute: " + l);
            }
        }
    }

    /** The CUDA image: the CUDA build of PyTorch in the runtime, the jars built with -Pcuda. */
    private static void assertCudaRuntime(String name, List<String> lines, List<String> runtime) {
        String env = String.join(" ", runtime.stream().filter(l -> l.startsWith("ENV ")).toList());
        for (String v :
                List.of("PYTORCH_LIBRARY_PATH=", "PYTORCH_VERSION=2.7.1", "PYTORCH_FLAVOR=cu128")) {
            assertTrue(env.contains(v), name + ": " + v);
        }
        assertTrue(
                lines.stream().anyMatch(l -> l.contains("mvn") && l.contains("-Pcuda")),
                name + ": build with -Pcuda");
    }

    /** Instructions with continuation lines joined and comments dropped. */
    private static List<String> instructions(Path file) throws Exception {
        List<String> out = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String raw : Files.readAllLines(file)) {
            String line = raw.strip();
            if (line.startsWith("#") || line.isEmpty() && current.length() == 0) {
                continue;
            }
            boolean continues = line.endsWith("\\");
            current.append(continues ? line.substring(0, line.length() - 1) : line).append(' ');
            if (!continues) {
                out.add(current.toString().trim().replaceAll("\\s+", " "));
                current.setLength(0);
            }
        }
        assertEquals(0, current.length(), file + ": dangling continuation");
        return out;
    }

    private static int indexOfPrefix(List<String> lines, String prefix) {
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).startsWith(prefix)) {
                return i;
            }
        }
        throw new AssertionError("no " + prefix.trim());
    }
}
