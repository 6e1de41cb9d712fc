package org.fusionml.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.io.InputStream;
import java.net.URL;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/**
 * The build's native-* profiles (pom.xml), activated by OS and architecture, put the PyTorch CPU
 * native of the machine that runs the tests on the class path, and only that one.
 */
class NativeProfileTest {
    /** DJL's classifier of a Java os.name / os.arch: what Maven Central serves for 2.7.1. */
    static String classifier(String osName, String osArch) {
        String os = osName.toLowerCase(Locale.ROOT);
        String arch =
                switch (osArch) {
                    case "amd64", "x86_64" -> "x86_64";
                    case "aarch64", "arm64" -> "aarch64";
                    default -> osArch;
                };
        String family =
                os.startsWith("linux")
                        ? "linux"
                        : os.startsWith("mac") ? "osx" : os.startsWith("windows") ? "win" : os;
        return family + "-" + arch;
    }

    @Test
    void theMappingCoversTheFourPlatformsCentralServes() {
        assertEquals("linux-x86_64", classifier("Linux", "amd64"));
        assertEquals("linux-aarch64", classifier("Linux", "aarch64"));
        assertEquals("osx-aarch64", classifier("Mac OS X", "aarch64"));
        assertEquals("win-x86_64", classifier("Windows 11", "amd64"));
    }

    @Test
    void theNativeOnTheClassPathIsThisMachines() throws Exception {
        List<URL> found =
                Collections.list(
                        getClass().getClassLoader().getResources("native/lib/pytorch.properties"));
        assertEquals(1, found.size(), "one PyTorch native on the class path: " + found);
        Properties p = new Properties();
        try (InputStream in = found.get(0).openStream()) {
            p.load(in);
        }
        assertNotNull(p.getProperty("classifier"), found.get(0).toString());
        assertEquals(
                classifier(System.getProperty("os.name"), System.getProperty("os.arch")),
                p.getProperty("classifier"),
                "the native-* profile active for this OS and architecture");
        assertEquals("cpu", p.getProperty("flavor"));
        assertEquals("2.7.1", p.getProperty("version").split("-")[0]);
    }
}
