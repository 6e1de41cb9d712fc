package org.fusionml.notebook;

import java.io.File;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import jdk.jshell.execution.LoaderDelegate;
import jdk.jshell.spi.ExecutionControl.ClassBytecodes;
import jdk.jshell.spi.ExecutionControl.ClassInstallException;
import jdk.jshell.spi.ExecutionControl.InternalException;

/**
 * Where notebook code lives in the kernel's JVM: one class loader that defines JShell's compiled
 * snippets and reads the jars added with {@code %jars}. Its parent is the kernel's own loader, so
 * snippets see {@link Display} as the kernel does. The kernel makes it the context class loader
 * while a cell runs, so that libraries which look themselves up through it (DJL's engine discovery,
 * {@link java.util.ServiceLoader}) find what {@code %jars} added.
 */
final class SnippetLoader implements LoaderDelegate {
    private final Loader loader = new Loader(SnippetLoader.class.getClassLoader());
    private final Map<String, Class<?>> defined = new ConcurrentHashMap<>();

    /** The class loader of the snippets and of the {@code %jars} jars. */
    ClassLoader classLoader() {
        return loader;
    }

    @Override
    public void load(ClassBytecodes[] classes) throws ClassInstallException {
        boolean[] installed = new boolean[classes.length];
        for (ClassBytecodes c : classes) {
            loader.declare(c.name(), c.bytecodes());
        }
        try {
            for (int i = 0; i < classes.length; i++) {
                defined.put(classes[i].name(), Class.forName(classes[i].name(), false, loader));
                installed[i] = true;
            }
        } catch (ClassNotFoundException | LinkageError e) {
            throw new ClassInstallException("could not load snippet class: " + e, installed);
        }
    }

    @Override
    public void classesRedefined(ClassBytecodes[] classes) {
        for (ClassBytecodes c : classes) {
            loader.declare(c.name(), c.bytecodes());
        }
    }

    @Override
    public void addToClasspath(String path) throws InternalException {
        for (String entry : path.split(File.pathSeparator)) {
            if (entry.isEmpty()) {
                continue;
            }
            try {
                loader.addUrl(Path.of(entry).toUri().toURL());
            } catch (MalformedURLException e) {
                throw new InternalException("not a class-path entry: " + entry);
            }
        }
    }

    @Override
    public Class<?> findClass(String name) throws ClassNotFoundException {
        Class<?> c = defined.get(name);
        return c != null ? c : Class.forName(name, false, loader);
    }

    /** Parent first, then the jars, then the snippets' bytecode. */
    private static final class Loader extends URLClassLoader {
        private final Map<String, byte[]> bytecode = new ConcurrentHashMap<>();

        static {
            registerAsParallelCapable();
        }

        Loader(ClassLoader parent) {
            super("notebook", new URL[0], parent);
        }

        void declare(String name, byte[] bytes) {
            bytecode.put(name, bytes);
        }

        void addUrl(URL url) {
            addURL(url);
        }

        @Override
        protected Class<?> findClass(String name) throws ClassNotFoundException {
            byte[] b = bytecode.get(name);
            return b == null ? super.findClass(name) : defineClass(name, b, 0, b.length);
        }
    }
}
