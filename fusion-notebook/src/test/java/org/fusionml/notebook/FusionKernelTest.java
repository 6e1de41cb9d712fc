package org.fusionml.notebook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import javax.tools.ToolProvider;
import org.dflib.jjava.jupyter.kernel.display.DisplayData;
import org.dflib.jjava.jupyter.kernel.display.mime.MIMEType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The kernel's cell semantics without a Jupyter connection: values, errors, magics, class path. */
class FusionKernelTest {
    @TempDir static Path dir;
    static FusionKernel kernel;

    @BeforeAll
    static void start() throws Exception {
        Path src = dir.resolve("src/demo/Greeter.java");
        Files.createDirectories(src.getParent());
        Files.writeString(
                src,
                "package demo; public class Greeter { public static String greet(String who) {"
                        + " return \"hello \" + who; } }");
        Path classes = dir.resolve("classes");
        assertEquals(
                0,
                ToolProvider.getSystemJavaCompiler()
                        .run(null, null, null, "-d", classes.toString(), src.toString()));
        Files.createDirectories(dir.resolve("lib"));
        try (OutputStream out = Files.newOutputStream(dir.resolve("lib/greeter-1.jar"));
                JarOutputStream jar = new JarOutputStream(out)) {
            jar.putNextEntry(new JarEntry("demo/Greeter.class"));
            jar.write(Files.readAllBytes(classes.resolve("demo/Greeter.class")));
            jar.closeEntry();
        }
        kernel = new FusionKernel(dir);
    }

    private static String text(DisplayData d) {
        return (String) d.getData(MIMEType.TEXT_PLAIN);
    }

    @Test
    void lastExpressionIsTheResultAndDeclarationsPersist() throws Exception {
        assertNull(kernel.eval("int answer = 20;"), "a declaration has no result");
        assertEquals(
                "42",
                text(
                        kernel.eval(
                                "int twice(int x) { return 2 * x; }\n"
                                        + "answer += 1;\n"
                                        + "twice(answer)")));
        assertEquals(
                "[a, b]",
                text(kernel.eval("java.util.List.of(\"a\", \"b\")")),
                "toString(), not JShell's quoted form");
        assertNull(kernel.eval("System.out.println(answer);"), "a statement has no result");
        assertNull(
                kernel.eval("System.getProperty(\"fusion.no.such.property\")"),
                "null shows nothing");
    }

    @Test
    void compileErrorsNameTheProblemAndPoint() {
        Exception e =
                assertThrows(
                        Exception.class,
                        () -> kernel.eval("int y = 1;\nString s = nosuchVariable + 1;"));
        assertTrue(
                e.getMessage().contains("cannot find symbol")
                        && e.getMessage().contains("nosuchVariable"),
                e.getMessage());
        assertTrue(e.getMessage().contains("^"), e.getMessage());
    }

    @Test
    void declarationsNamingWhatDoesNotExistFailTheCell() {
        Exception e =
                assertThrows(
                        Exception.class,
                        () -> kernel.eval("void later() { NoSuchType t = null; }"));
        assertTrue(e.getMessage().startsWith("cannot find class NoSuchType in:"), e.getMessage());
    }

    @Test
    void exceptionsFailTheCellWithTheirClassAndMessage() {
        Exception e =
                assertThrows(
                        Exception.class,
                        () -> kernel.eval("if (true) throw new IllegalStateException(\"boom\");"));
        assertEquals("java.lang.IllegalStateException: boom", e.getMessage());
        assertTrue(e.getStackTrace().length > 0, "the snippet's stack trace is kept");
    }

    @Test
    void incompleteCodeIsAnError() {
        Exception e = assertThrows(Exception.class, () -> kernel.eval("int z = (1 + "));
        assertTrue(e.getMessage().startsWith("incomplete Java code"), e.getMessage());
    }

    @Test
    void jarsMagicLoadsJarsByGlobAndTheyAreTheContextClassLoadersToo() throws Exception {
        assertEquals(
                "hello jars",
                text(kernel.eval("%jars lib/greeter-*.jar\ndemo.Greeter.greet(\"jars\")")));
        assertEquals(
                "demo.Greeter",
                text(
                        kernel.eval(
                                "Class.forName(\"demo.Greeter\", false,"
                                    + " Thread.currentThread().getContextClassLoader()).getName()")),
                "libraries that look up classes through the context class loader (DJL,"
                        + " ServiceLoader) find them");
        Exception missing =
                assertThrows(Exception.class, () -> kernel.eval("%jars lib/nothing-*.jar"));
        assertTrue(missing.getMessage().contains("no such file"), missing.getMessage());
    }

    @Test
    void unknownMagicsAreErrorsThatNameTheSupportedOnes() {
        Exception e = assertThrows(Exception.class, () -> kernel.eval("%maven org.example:x:1"));
        assertTrue(
                e.getMessage().contains("%maven") && e.getMessage().contains("%jars"),
                e.getMessage());
    }

    @Test
    void richResultsCarryTheirMimeType() throws Exception {
        DisplayData d = kernel.eval("svg(\"<svg xmlns='http://www.w3.org/2000/svg'/>\")");
        assertEquals("<svg xmlns='http://www.w3.org/2000/svg'/>", d.getData(MIMEType.IMAGE_SVG));
        DisplayData p = kernel.eval("png(new byte[] {(byte) 0x89, 'P', 'N', 'G'})");
        assertEquals("iVBORw==", p.getData(MIMEType.IMAGE_PNG));
    }
}
