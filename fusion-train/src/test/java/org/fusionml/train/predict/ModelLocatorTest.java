package org.fusionml.train.predict;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.fusionml.data.InvalidInputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelLocatorTest {
    @TempDir Path dir;

    private Path model(Path root, String name) throws Exception {
        Path d = Files.createDirectories(root.resolve(name));
        Files.writeString(d.resolve("model.json"), "{}");
        return d;
    }

    @Test
    void rootsComeFromFusionModelsThenTheLaunchersModelsFolder() {
        ModelLocator l =
                ModelLocator.of(
                        "/a" + File.pathSeparator + File.pathSeparator + "/b",
                        "/opt/fusion/fusion");
        assertEquals(
                List.of(Path.of("/a"), Path.of("/b"), Path.of("/opt/fusion/models")), l.roots());
        assertEquals(List.of(), ModelLocator.of(null, null).roots());
    }

    @Test
    void aNameIsLookedUpInRootOrderAndAFolderIsTakenAsItIs() throws Exception {
        Path first = dir.resolve("first");
        Path second = dir.resolve("second");
        model(second, "alignn-jdft2d");
        Path shadowing = model(first, "alignn-jdft2d");
        model(second, "cgcnn-jdft2d");
        ModelLocator l = new ModelLocator(List.of(first, second));
        assertEquals(new ModelLocator.Found(shadowing, true), l.locate("alignn-jdft2d"));
        assertEquals(second.resolve("cgcnn-jdft2d"), l.locate("cgcnn-jdft2d").dir());
        Path run = model(dir, "run");
        ModelLocator.Found f = l.locate(run.toString());
        assertFalse(f.byName());
        assertEquals(List.of("alignn-jdft2d", "cgcnn-jdft2d"), l.names());
    }

    @Test
    void unknownNamesAndFoldersWithoutAModelAreErrors() throws Exception {
        ModelLocator l = new ModelLocator(List.of(dir));
        model(dir, "schnet-jdft2d");
        var e = assertThrows(InvalidInputException.class, () -> l.locate("alignn-jdft2d"));
        assertTrue(e.getMessage().contains("schnet-jdft2d"), e.getMessage());
        Files.createDirectories(dir.resolve("empty"));
        var empty =
                assertThrows(
                        InvalidInputException.class,
                        () -> l.locate(dir.resolve("empty").toString()));
        assertTrue(empty.getMessage().contains("no model.json"), empty.getMessage());
        assertThrows(InvalidInputException.class, () -> l.locate("../escape"));
    }
}
