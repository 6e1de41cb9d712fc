package org.fusionml.data.symmetry;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Orbits of the sites of a primitive cell under a set of operations, as a union-find forest over
 * site indices; the root of an orbit is its smallest site.
 */
final class SiteOrbits {
    private final int[] parent;

    /** Every one of {@code sites} sites in its own orbit. */
    SiteOrbits(int sites) {
        parent = new int[sites];
        for (int s = 0; s < sites; s++) {
            parent[s] = s;
        }
    }

    /**
     * Input sites grouped by orbit.
     *
     * @param equivalent the first site of each site's class, [N]
     * @param classes sorted site indices of each class, classes ordered by their first site
     */
    record Classes(int[] equivalent, List<int[]> classes) {}

    /** Merges the orbit of every site s with that of its image {@code perm[s]}. */
    void merge(int[] perm) {
        for (int s = 0; s < parent.length; s++) {
            union(s, perm[s]);
        }
    }

    /**
     * For each input site, the first input site in its orbit.
     *
     * @param toPrimitive the primitive site of each input site, [N]
     */
    int[] representatives(int[] toPrimitive) {
        int n = toPrimitive.length;
        int[] orbits = new int[n];
        int[] firstOfOrbit = new int[parent.length];
        Arrays.fill(firstOfOrbit, -1);
        for (int i = 0; i < n; i++) {
            int root = find(toPrimitive[i]);
            if (firstOfOrbit[root] < 0) {
                firstOfOrbit[root] = i;
            }
            orbits[i] = firstOfOrbit[root];
        }
        return orbits;
    }

    /**
     * The input sites grouped by the orbit of their primitive site.
     *
     * @param toPrimitive the primitive site of each input site, [N]
     */
    Classes classes(int[] toPrimitive) {
        int n = toPrimitive.length;
        int np = parent.length;
        int[] equivalent = new int[n];
        int[] firstOfRoot = new int[np];
        Arrays.fill(firstOfRoot, -1);
        List<List<Integer>> classes = new ArrayList<>();
        int[] classOfRoot = new int[np];
        Arrays.fill(classOfRoot, -1);
        for (int i = 0; i < n; i++) {
            int root = find(toPrimitive[i]);
            if (firstOfRoot[root] < 0) {
                firstOfRoot[root] = i;
                classOfRoot[root] = classes.size();
                classes.add(new ArrayList<>());
            }
            equivalent[i] = firstOfRoot[root];
            classes.get(classOfRoot[root]).add(i);
        }
        List<int[]> classArrays =
                classes.stream()
                        .map(c -> c.stream().mapToInt(Integer::intValue).toArray())
                        .toList();
        return new Classes(equivalent, classArrays);
    }

    /** The root of site x's orbit (path halving). */
    private int find(int x) {
        while (parent[x] != x) {
            parent[x] = parent[parent[x]];
            x = parent[x];
        }
        return x;
    }

    private void union(int a, int b) {
        int ra = find(a);
        int rb = find(b);
        if (ra != rb) {
            parent[Math.max(ra, rb)] = Math.min(ra, rb);
        }
    }
}
