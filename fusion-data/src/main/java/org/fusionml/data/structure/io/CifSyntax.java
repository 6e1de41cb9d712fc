package org.fusionml.data.structure.io;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.fusionml.data.InvalidInputException;

/** CIF 1.1 syntax: tokens, data blocks, single items and loops (read by {@link CifReader}). */
final class CifSyntax {
    private CifSyntax() {}

    /** A data block: its name, single items and loop columns, tags in lower case. */
    static final class Block {
        final String name;
        final Map<String, String> items = new LinkedHashMap<>();
        final Map<String, List<String>> loops = new LinkedHashMap<>();

        Block(String name) {
            this.name = name;
        }

        /** The values of {@code tag}: its loop column, or its single item; null if absent. */
        List<String> column(String tag) {
            List<String> c = loops.get(tag);
            if (c != null) {
                return c;
            }
            String item = items.get(tag);
            return item == null ? null : List.of(item);
        }

        /** As {@link #column}, an error when absent. */
        List<String> required(String tag) {
            List<String> c = column(tag);
            if (c == null) {
                throw new IllegalArgumentException("missing " + tag);
            }
            return c;
        }

        /** The single item {@code tag} as a number without its uncertainty. */
        double number(String tag) {
            String v = items.get(tag);
            if (v == null) {
                throw new IllegalArgumentException("missing " + tag);
            }
            return CifReader.parseNumber(v, tag);
        }
    }

    /** A token: its text (quotes removed) and whether it was quoted or a text field. */
    private record Token(String text, boolean quoted) {}

    /**
     * Parses CIF text into its data blocks.
     *
     * @param source file name for messages
     * @throws InvalidInputException for content before the first block, a loop whose value count is
     *     not a multiple of its tag count, a tag without value, or a tag given twice in a block
     */
    static List<Block> parse(String text, String source) {
        List<Token> tokens = tokenize(text);
        List<Block> blocks = new ArrayList<>();
        Block block = null;
        int i = 0;
        while (i < tokens.size()) {
            Token t = tokens.get(i);
            String lower = t.text.toLowerCase(Locale.ROOT);
            if (!t.quoted && lower.startsWith("data_")) {
                block = new Block(t.text.substring(5));
                blocks.add(block);
                i++;
            } else if (block == null) {
                throw new InvalidInputException(
                        source, null, "not a CIF file: content before the first data_ block");
            } else if (!t.quoted && lower.equals("loop_")) {
                i = readLoop(tokens, i + 1, block, source);
            } else if (!t.quoted && t.text.startsWith("_")) {
                if (i + 1 >= tokens.size()) {
                    throw new InvalidInputException(
                            source, block.name, "tag " + t.text + " has no value");
                }
                if (block.items.put(lower, tokens.get(i + 1).text) != null
                        || block.loops.containsKey(lower)) {
                    throw new InvalidInputException(
                            source, block.name, "tag " + t.text + " appears twice");
                }
                i += 2;
            } else {
                i++; // global_, save frames and stray values carry nothing we read
            }
        }
        return blocks;
    }

    /**
     * Reads the tags and values of a loop starting at token {@code i} (after "loop_") into {@code
     * block}; returns the index of the first token after it.
     */
    private static int readLoop(List<Token> tokens, int i, Block block, String source) {
        List<String> tags = new ArrayList<>();
        while (i < tokens.size() && !tokens.get(i).quoted && tokens.get(i).text.startsWith("_")) {
            tags.add(tokens.get(i).text.toLowerCase(Locale.ROOT));
            i++;
        }
        if (tags.isEmpty()) {
            throw new InvalidInputException(source, block.name, "loop_ without tags");
        }
        List<List<String>> columns = new ArrayList<>();
        for (int c = 0; c < tags.size(); c++) {
            columns.add(new ArrayList<>());
        }
        int k = 0;
        while (i < tokens.size() && !isKeyword(tokens.get(i))) {
            columns.get(k % tags.size()).add(tokens.get(i).text);
            k++;
            i++;
        }
        if (tags.isEmpty() || k % tags.size() != 0) {
            throw new InvalidInputException(
                    source, block.name, "loop with " + tags.size() + " tags has " + k + " values");
        }
        for (int c = 0; c < tags.size(); c++) {
            if (block.loops.put(tags.get(c), columns.get(c)) != null
                    || block.items.containsKey(tags.get(c))) {
                throw new InvalidInputException(
                        source, block.name, "tag " + tags.get(c) + " appears twice");
            }
        }
        return i;
    }

    private static boolean isKeyword(Token t) {
        if (t.quoted) {
            return false;
        }
        String lower = t.text.toLowerCase(Locale.ROOT);
        return t.text.startsWith("_") || lower.equals("loop_") || lower.startsWith("data_");
    }

    /** Splits CIF text into tokens: whitespace-separated words, quoted strings, text fields. */
    private static List<Token> tokenize(String text) {
        List<Token> out = new ArrayList<>();
        String[] lines = text.split("\r?\n|\r", -1);
        for (int l = 0; l < lines.length; l++) {
            String line = lines[l];
            if (line.startsWith(";")) {
                StringBuilder sb = new StringBuilder(line.substring(1));
                l++;
                while (l < lines.length && !lines[l].startsWith(";")) {
                    sb.append('\n').append(lines[l]);
                    l++;
                }
                out.add(new Token(sb.toString().trim(), true));
                continue;
            }
            int i = 0;
            int n = line.length();
            while (i < n) {
                char c = line.charAt(i);
                if (Character.isWhitespace(c)) {
                    i++;
                } else if (c == '#') {
                    break;
                } else if (c == '\'' || c == '"') {
                    int j = i + 1;
                    while (j < n
                            && !(line.charAt(j) == c
                                    && (j + 1 == n
                                            || Character.isWhitespace(line.charAt(j + 1))))) {
                        j++;
                    }
                    out.add(new Token(line.substring(i + 1, Math.min(j, n)), true));
                    i = j + 1;
                } else {
                    int j = i;
                    while (j < n && !Character.isWhitespace(line.charAt(j))) {
                        j++;
                    }
                    out.add(new Token(line.substring(i, j), false));
                    i = j;
                }
            }
        }
        return out;
    }
}
