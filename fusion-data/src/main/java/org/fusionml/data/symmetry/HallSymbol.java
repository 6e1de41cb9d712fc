package org.fusionml.data.symmetry;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Generates a space group from its Hall symbol (S. R. Hall, Acta Cryst. A37, 517, 1981), e.g.
 * {@code "-P 4ab 2ab -1ab"}: lattice symbol (a leading '-' adds the inversion), then matrix symbols
 * N[axis][translations]. Translations are kept exactly, in twelfths. An origin shift "(x y z)"
 * (twelfths) moves the origin: every operation (R, t) becomes (R, t + (I - R) v), as Hall and sgtbx
 * define it; it conjugates the group, so the type is the same.
 */
final class HallSymbol {
    private HallSymbol() {}

    /** An operation with the translation in twelfths (0..11). */
    record Op(int[] rotation, int[] twelfths) {}

    private static final Map<Character, int[][]> CENTRING =
            Map.of(
                    'P',
                    new int[][] {},
                    'A',
                    new int[][] {{0, 6, 6}},
                    'B',
                    new int[][] {{6, 0, 6}},
                    'C',
                    new int[][] {{6, 6, 0}},
                    'I',
                    new int[][] {{6, 6, 6}},
                    'R',
                    new int[][] {{8, 4, 4}, {4, 8, 8}},
                    'F',
                    new int[][] {{0, 6, 6}, {6, 0, 6}, {6, 6, 0}});

    /** The centring translations of the lattice symbol (twelfths), not counting zero. */
    static int[][] centring(String hall) {
        return CENTRING.get(hall.replace("-", "").trim().charAt(0));
    }

    /** All operations of the group modulo the conventional unit translations. */
    static List<Op> operations(String hall) {
        List<Op> ops = unshifted(hall);
        int open = hall.indexOf('(');
        if (open < 0) {
            return ops;
        }
        String[] v = hall.substring(open + 1, hall.indexOf(')', open)).trim().split("\\s+");
        int[] shift = {Integer.parseInt(v[0]), Integer.parseInt(v[1]), Integer.parseInt(v[2])};
        List<Op> shifted = new ArrayList<>(ops.size());
        for (Op o : ops) {
            int[] rv = IntMath.apply(o.rotation(), shift);
            shifted.add(
                    new Op(
                            o.rotation(),
                            mod12(
                                    new int[] {
                                        o.twelfths()[0] + shift[0] - rv[0],
                                        o.twelfths()[1] + shift[1] - rv[1],
                                        o.twelfths()[2] + shift[2] - rv[2]
                                    })));
        }
        return shifted;
    }

    /** The operations of the symbol without its origin shift. */
    private static List<Op> unshifted(String hall) {
        String symbol =
                hall.contains("(") ? hall.substring(0, hall.indexOf('(')).trim() : hall.trim();
        String[] parts = symbol.split("\\s+");
        List<Op> generators = latticeGenerators(parts[0]);
        int previousN = 0;
        char previousAxis = 'z';
        for (int k = 1; k < parts.length; k++) {
            String p = parts[k];
            int i = 0;
            boolean improper = p.charAt(0) == '-';
            if (improper) {
                i++;
            }
            int n = p.charAt(i++) - '0';
            char axis = 0;
            if (i < p.length() && "xyz'\"*".indexOf(p.charAt(i)) >= 0) {
                axis = p.charAt(i++);
            }
            if (axis == 0) {
                axis = defaultAxis(k, n, previousN);
            }
            int[] r = rotation(n, axis, previousAxis);
            int[] t = translationTwelfths(p.substring(i), axis, n, hall);
            generators.add(new Op(improper ? IntMath.negate(r) : r, mod12(t)));
            previousN = n;
            if (axis == 'x' || axis == 'y' || axis == 'z') {
                previousAxis = axis;
            }
        }
        return closure(generators);
    }

    /** The inversion (for a leading '-') and the centring translations of the lattice symbol. */
    private static List<Op> latticeGenerators(String latticeSymbol) {
        boolean centro = latticeSymbol.startsWith("-");
        char lattice = latticeSymbol.charAt(centro ? 1 : 0);
        List<Op> generators = new ArrayList<>();
        if (centro) {
            generators.add(new Op(IntMath.negate(IntMath.identity()), new int[3]));
        }
        for (int[] c : CENTRING.get(lattice)) {
            generators.add(new Op(IntMath.identity(), c.clone()));
        }
        return generators;
    }

    /**
     * The implicit axis of the k-th matrix symbol (1-based) of order n: for a second 2-fold, x
     * after a 2- or 4-fold and ' (face diagonal) otherwise; for a third 3-fold, * (body diagonal);
     * z otherwise.
     */
    private static char defaultAxis(int k, int n, int previousN) {
        if (k == 1) {
            return 'z';
        } else if (k == 2 && n == 2) {
            return previousN == 2 || previousN == 4 ? 'x' : '\'';
        } else if (k == 3 && n == 3) {
            return '*';
        } else {
            return 'z';
        }
    }

    /**
     * The sum, in twelfths (not reduced modulo 12), of the translation symbols of a matrix symbol
     * (a, b, c, n, u, v, w, d, or a screw digit 1-5 along {@code axis} for an n-fold rotation).
     *
     * @throws IllegalArgumentException for any other character, naming {@code hall}
     */
    private static int[] translationTwelfths(String symbols, char axis, int n, String hall) {
        int[] t = new int[3];
        for (int i = 0; i < symbols.length(); i++) {
            char c = symbols.charAt(i);
            int[] add =
                    switch (c) {
                        case 'a' -> new int[] {6, 0, 0};
                        case 'b' -> new int[] {0, 6, 0};
                        case 'c' -> new int[] {0, 0, 6};
                        case 'n' -> new int[] {6, 6, 6};
                        case 'u' -> new int[] {3, 0, 0};
                        case 'v' -> new int[] {0, 3, 0};
                        case 'w' -> new int[] {0, 0, 3};
                        case 'd' -> new int[] {3, 3, 3};
                        default -> {
                            if (c < '1' || c > '5') {
                                throw new IllegalArgumentException("bad Hall symbol " + hall);
                            }
                            int[] s = new int[3];
                            s[axis == 'x' ? 0 : axis == 'y' ? 1 : 2] = 12 * (c - '0') / n;
                            yield s;
                        }
                    };
            for (int q = 0; q < 3; q++) {
                t[q] += add[q];
            }
        }
        return t;
    }

    private static int[] rotation(int n, char axis, char principal) {
        if (n == 1) {
            return IntMath.identity();
        }
        if (axis == '*') {
            return new int[] {0, 0, 1, 1, 0, 0, 0, 1, 0};
        }
        if (axis == '\'' || axis == '"') {
            boolean prime = axis == '\'';
            return switch (principal) {
                case 'x' ->
                        prime
                                ? new int[] {-1, 0, 0, 0, 0, -1, 0, -1, 0}
                                : new int[] {-1, 0, 0, 0, 0, 1, 0, 1, 0};
                case 'y' ->
                        prime
                                ? new int[] {0, 0, -1, 0, -1, 0, -1, 0, 0}
                                : new int[] {0, 0, 1, 0, -1, 0, 1, 0, 0};
                default ->
                        prime
                                ? new int[] {0, -1, 0, -1, 0, 0, 0, 0, -1}
                                : new int[] {0, 1, 0, 1, 0, 0, 0, 0, -1};
            };
        }
        int[] z =
                switch (n) {
                    case 2 -> new int[] {-1, 0, 0, 0, -1, 0, 0, 0, 1};
                    case 3 -> new int[] {0, -1, 0, 1, -1, 0, 0, 0, 1};
                    case 4 -> new int[] {0, -1, 0, 1, 0, 0, 0, 0, 1};
                    case 6 -> new int[] {1, -1, 0, 1, 0, 0, 0, 0, 1};
                    default -> throw new IllegalArgumentException("no " + n + "-fold rotation");
                };
        if (axis == 'z') {
            return z;
        }
        // Cyclic relabelling: along x, (x, y, z) -> (y, z, x) maps the z matrix; along y likewise.
        int[] perm = axis == 'x' ? new int[] {1, 2, 0} : new int[] {2, 0, 1};
        int[] out = new int[9];
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 3; j++) {
                out[3 * perm[i] + perm[j]] = z[3 * i + j];
            }
        }
        return out;
    }

    private static int[] mod12(int[] t) {
        return new int[] {
            Math.floorMod(t[0], 12), Math.floorMod(t[1], 12), Math.floorMod(t[2], 12)
        };
    }

    private static List<Op> closure(List<Op> generators) {
        Map<String, Op> group = new LinkedHashMap<>();
        Op e = new Op(IntMath.identity(), new int[3]);
        group.put(key(e), e);
        List<Op> frontier = new ArrayList<>(group.values());
        while (!frontier.isEmpty()) {
            List<Op> next = new ArrayList<>();
            for (Op a : frontier) {
                for (Op g : generators) {
                    Op c =
                            new Op(
                                    IntMath.multiply(g.rotation(), a.rotation()),
                                    mod12(
                                            add(
                                                    IntMath.apply(g.rotation(), a.twelfths()),
                                                    g.twelfths())));
                    if (group.putIfAbsent(key(c), c) == null) {
                        next.add(c);
                    }
                }
            }
            frontier = next;
            if (group.size() > 192) {
                throw new IllegalStateException("Hall symbol generates more than 192 operations");
            }
        }
        return new ArrayList<>(group.values());
    }

    private static int[] add(int[] a, int[] b) {
        return new int[] {a[0] + b[0], a[1] + b[1], a[2] + b[2]};
    }

    private static String key(Op o) {
        return Arrays.toString(o.rotation()) + Arrays.toString(o.twelfths());
    }
}
