package org.fusionml.train.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.io.IOException;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.fusionml.models.ArchitectureConfig;
import org.fusionml.models.Architectures;
import org.fusionml.train.trainer.TrainConfig;

/**
 * The reference page of every configuration key, generated from the configuration records: keys
 * from their {@code @JsonProperty} names, types from the component types, defaults from the record
 * built with every value missing, descriptions (with units) from the {@code @param} lines of the
 * records' javadoc in the source tree. {@code docs/configuration.md} is its output; a test fails
 * when that page is stale.
 */
public final class ConfigReference {
    private ConfigReference() {}

    /** The page for the training ({@link TrainConfig}) and loop ({@link LoopConfig}) files. */
    public static String markdown(Path sourceRoot) throws IOException {
        StringBuilder md = new StringBuilder();
        md.append("# Configuration reference\n\n");
        md.append(
                "Generated from the configuration records (`ConfigReference`; `ConfigReferenceTest`"
                        + " fails when this page is stale).\n");
        md.append(
                "Every key may be left out and takes the default shown. Unknown keys, wrong types"
                        + " and out-of-range values are\n");
        md.append(
                "errors that name the file, the line and the valid keys. `--set a.b=c` overrides a"
                        + " key (CLI > YAML > defaults);\n");
        md.append("lists are written `--set 'seeds=[0, 1]'`.\n\n");
        md.append("## Training runs (`fusion train --config FILE.yaml`)\n\n");
        table(md, TrainConfig.class, "", sourceRoot);
        md.append("\n## Closed loops (`fusion loop --config FILE.yaml`)\n\n");
        md.append(
                "`surrogate`, `target` and each entry of `targets` are training sections as above"
                        + " (`model`, `loss`, `train`);\n");
        md.append("their `data` section is ignored: the loop's `data` is shared.\n\n");
        table(md, LoopConfig.class, "", sourceRoot);
        return md.toString();
    }

    private static void table(StringBuilder md, Class<?> type, String prefix, Path sourceRoot)
            throws IOException {
        md.append("| key | type | default | description |\n| --- | --- | --- | --- |\n");
        rows(md, type, prefix, sourceRoot);
    }

    private static void rows(StringBuilder md, Class<?> type, String prefix, Path sourceRoot)
            throws IOException {
        rows(md, type, prefix, sourceRoot, "");
    }

    private static void rows(
            StringBuilder md, Class<?> type, String prefix, Path sourceRoot, String suffix)
            throws IOException {
        Map<String, String> docs = params(type, sourceRoot);
        Object defaults = defaults(type);
        for (RecordComponent c : type.getRecordComponents()) {
            JsonProperty p =
                    c.getAccessor()
                            .getAnnotation(
                                    JsonProperty.class); // the annotation targets accessors, not
            // components
            String key = prefix + (p != null ? p.value() : c.getName());
            String doc = docs.getOrDefault(c.getName(), "");
            if (c.getType().equals(ArchitectureConfig.class)) {
                md.append("| `").append(key).append("` | section | | ").append(doc).append(" |\n");
                md.append("| `")
                        .append(key)
                        .append(".type` | string | `alignn` | one of ")
                        .append(String.join(", ", Architectures.TYPES.keySet()))
                        .append("; the keys below are per type |\n");
                for (var arch : Architectures.TYPES.entrySet()) {
                    rows(md, arch.getValue(), key + ".", sourceRoot, " (" + arch.getKey() + ")");
                }
                continue;
            }
            if (c.getGenericType() instanceof ParameterizedType pt
                    && pt.getRawType().equals(Map.class)
                    && pt.getActualTypeArguments()[1] instanceof Class<?> value
                    && value.isRecord()) {
                md.append("| `")
                        .append(key)
                        .append("` | map of names to sections | `{}` | ")
                        .append(doc)
                        .append(" |\n");
                rows(md, value, key + ".NAME.", sourceRoot);
                continue;
            }
            if (c.getType().isRecord()) {
                md.append("| `").append(key).append("` | section | | ").append(doc).append(" |\n");
                if (!c.getType()
                        .equals(
                                TrainConfig
                                        .class)) { // training sections of a loop: see the training
                    // table
                    rows(md, c.getType(), key + ".", sourceRoot);
                }
                continue;
            }
            md.append("| `")
                    .append(key)
                    .append("`")
                    .append(suffix)
                    .append(" | ")
                    .append(typeName(c.getGenericType()))
                    .append(" | ")
                    .append(defaultValue(defaults, c))
                    .append(" | ")
                    .append(doc)
                    .append(" |\n");
        }
    }

    /** The record with every component missing, or null when it has no such form. */
    private static Object defaults(Class<?> type) {
        for (var m : type.getDeclaredMethods()) {
            if (m.isAnnotationPresent(JsonCreator.class) && Modifier.isStatic(m.getModifiers())) {
                try {
                    m.setAccessible(true);
                    return m.invoke(null, new Object[m.getParameterCount()]);
                } catch (ReflectiveOperationException | RuntimeException e) {
                    return null;
                }
            }
        }
        RecordComponent[] cs = type.getRecordComponents();
        Class<?>[] types = new Class<?>[cs.length];
        for (int i = 0; i < cs.length; i++) {
            types[i] = cs[i].getType();
            if (types[i].isPrimitive()) {
                return null;
            }
        }
        try {
            var ctor = type.getDeclaredConstructor(types);
            ctor.setAccessible(true);
            return ctor.newInstance(new Object[cs.length]);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }

    private static String defaultValue(Object defaults, RecordComponent c) {
        if (defaults == null) {
            return "";
        }
        try {
            Object v = c.getAccessor().invoke(defaults);
            if (v == null) {
                return "none";
            }
            if (v instanceof List<?> l && !l.isEmpty() && l.get(0).getClass().isRecord()) {
                return "";
            }
            String s = v instanceof String str ? (str.isEmpty() ? "\"\"" : str) : String.valueOf(v);
            return "`" + s + "`";
        } catch (ReflectiveOperationException e) {
            return "";
        }
    }

    private static String typeName(Type t) {
        if (t instanceof ParameterizedType pt && pt.getRawType().equals(List.class)) {
            Type arg = pt.getActualTypeArguments()[0];
            return arg instanceof Class<?> c && c.isRecord()
                    ? "list of sections"
                    : "list of " + typeName(arg) + "s";
        }
        if (t instanceof Class<?> c) {
            if (c.equals(Integer.class)
                    || c.equals(Long.class)
                    || c.equals(int.class)
                    || c.equals(long.class)) {
                return "integer";
            }
            if (c.equals(Double.class) || c.equals(double.class)) {
                return "number";
            }
            if (c.equals(Boolean.class) || c.equals(boolean.class)) {
                return "boolean";
            }
            if (c.equals(String.class)) {
                return "string";
            }
            return c.getSimpleName();
        }
        return t.getTypeName();
    }

    private static final Pattern PARAM = Pattern.compile("@param\\s+(\\w+)\\s+(.*)");

    /** The {@code @param} descriptions of the record's javadoc, by component name. */
    static Map<String, String> params(Class<?> type, Path sourceRoot) throws IOException {
        Class<?> top = type;
        while (top.getEnclosingClass() != null) {
            top = top.getEnclosingClass();
        }
        Path file = sourceRoot.resolve(top.getName().replace('.', '/') + ".java");
        if (!Files.exists(
                file)) { // a record of another module: fusion-X/src/main/java beside this one
            Path modules =
                    sourceRoot
                            .toAbsolutePath()
                            .normalize()
                            .getParent()
                            .getParent()
                            .getParent()
                            .getParent();
            try (var dirs = Files.list(modules)) {
                for (Path m :
                        dirs.filter(d -> d.getFileName().toString().startsWith("fusion-"))
                                .toList()) {
                    Path candidate =
                            m.resolve("src/main/java")
                                    .resolve(top.getName().replace('.', '/') + ".java");
                    if (Files.exists(candidate)) {
                        file = candidate;
                    }
                }
            }
        }
        String src = Files.readString(file);
        Matcher decl =
                Pattern.compile("record\\s+" + type.getSimpleName() + "\\s*\\(").matcher(src);
        if (!decl.find()) {
            throw new IllegalStateException("no record " + type.getSimpleName() + " in " + file);
        }
        int end = src.lastIndexOf("*/", decl.start());
        int start = src.lastIndexOf("/**", end);
        Map<String, String> out = new LinkedHashMap<>();
        List<String> current = new ArrayList<>();
        String name = null;
        for (String line : src.substring(start + 3, end).split("\n")) {
            String text = line.strip().replaceFirst("^\\*\\s?", "").strip();
            Matcher m = PARAM.matcher(text);
            if (m.matches()) {
                if (name != null) {
                    out.put(name, clean(String.join(" ", current)));
                }
                name = m.group(1);
                current = new ArrayList<>(List.of(m.group(2)));
            } else if (name != null && !text.isEmpty()) {
                current.add(text);
            }
        }
        if (name != null) {
            out.put(name, clean(String.join(" ", current)));
        }
        return out;
    }

    private static String clean(String s) {
        return s.replaceAll("\\{@code ([^}]*)}", "`$1`")
                .replaceAll("\\{@link ([^}]*)}", "`$1`")
                .replace("|", "\\|");
    }
}
