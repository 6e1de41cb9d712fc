package org.fusionml.data.descriptor;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The exact nearest neighbour of every fingerprint of a {@link FingerprintStore} (FUSION Eq. 5),
 * the same as {@link NearestNeighbors#search} gives for the fingerprints in the heap (same
 * neighbour, ties to the smaller index, dots equal up to round-off), with the rows read from the
 * memory-mapped file one or two chunks at a time and most pairs ruled out by a bound instead of
 * computed.
 *
 * <p><b>The bound.</b> F_i . F_j sums over the species pairs that both structures hold, i.e. the
 * pairs of the species they share, T = S_i &cap; S_j. By Cauchy-Schwarz and |F_j| = 1,
 *
 * <pre>F_i . F_j &lt;= c_i(T) = sqrt(sum over pairs p within T of |F_ip|^2)</pre>
 *
 * which depends on j only through T. Once a candidate with dot b_i is known, every j whose shared
 * species T have c_i(T) &lt; b_i is ruled out without reading it; c_i shrinks with T, so once every
 * T of a size is ruled out, so are the smaller ones.
 *
 * <p><b>The search.</b> Rows are grouped by their pair keys (the species set, as {@link
 * FingerprintBuilder} writes every pair of the species present). Round 0 computes every pair within
 * a group exactly: a dense Gram block per group through the SIMD {@link GramKernel}, one chunk pair
 * at a time. Round L >= 1 takes, for every group and every subset T of its species with L fewer
 * species, the rows i not yet ruled out (c_i(T) >= b_i, with a margin for round-off) and the other
 * groups that share exactly T (found through an index species -> groups), and computes those dots
 * over the shared blocks; round 1 also takes the groups that hold all of its species and more. The
 * rounds stop when a round has nothing left to compute. Structures that share no species with i
 * have F_i . F_j = 0 exactly; the smallest such j is a candidate too. Where near-copies are common
 * (a structure's nearest neighbour shares its species and is close), almost every pair across
 * groups is ruled out; the cost of the worst case, where no bound rules anything out, is the
 * all-pairs search.
 *
 * <p><b>Memory.</b> Per row: a group, a position and |F_ip|^2 per pair (float); the best match per
 * row and thread; the rows of one chunk unpacked as double while it is the outer chunk of a pass.
 * The file itself is mapped one chunk at a time and unmapped after use.
 */
public final class StoreNearestNeighbors {
    /** Slack on the bound for round-off (float32 rows hold |F| = 1 to ~1e-7). */
    private static final double MARGIN = 1e-6;

    private static final GramKernel KERNEL = GramKernel.preferred();

    private StoreNearestNeighbors() {}

    /**
     * The search's result and what it cost.
     *
     * @param result neighbours and distances, as {@link NearestNeighbors#search}
     * @param dots dot products computed (ordered pairs counted once each)
     * @param groups distinct species sets
     * @param rounds rounds run (1 when every bound held after the groups' own pairs)
     */
    public record Outcome(NearestNeighbors.Result result, long dots, int groups, int rounds) {}

    /** Finds every nearest neighbour with {@code threads} threads. */
    public static Outcome search(FingerprintStore store, int threads) throws IOException {
        int n = store.size();
        Index index = Index.build(store);
        int workers = Math.max(1, threads);
        NearestNeighbors.Best best = new NearestNeighbors.Best(n, 1);
        AtomicLong dots = new AtomicLong();
        intraGroup(store, index, best, workers, dots);
        int rounds = 1;
        Map<Long, Double> memo = new HashMap<>();
        for (int level = 1; ; level++) {
            Round round = crossItems(index, best, level, memo);
            if (!round.open()) {
                break;
            }
            if (!round.items().isEmpty()) {
                crossGroup(store, index, round.items(), best, workers, dots);
            }
            rounds++;
        }
        disjointCandidates(index, best);
        double[] cos = new double[n];
        double[] euc = new double[n];
        for (int i = 0; i < n; i++) {
            cos[i] = best.index[i] < 0 ? Double.NaN : 1 - best.dot[i];
            euc[i] = best.index[i] < 0 ? Double.NaN : Math.sqrt(Math.max(0, 2 - 2 * best.dot[i]));
        }
        return new Outcome(
                new NearestNeighbors.Result(best.index, cos, euc),
                dots.get(),
                index.groups.size(),
                rounds);
    }

    /** Rows of one pair-key set. */
    private static final class Group {
        final int id;
        final int[] keys;
        final int[] offs; // [P + 1] value offsets of the blocks
        final int[] species; // ascending Z
        final long mask0; // species bitmask, Z 0..63
        final long mask1; // Z 64..127
        final int[] pairA; // local species index of each pair's first species
        final int[] pairB;
        int[] members = new int[4]; // ascending rows
        float[] norm2; // [size * P] |F_ip|^2
        int size;

        Group(int id, int[] keys, FingerprintStore.Header h) {
            this.id = id;
            this.keys = keys;
            this.norm2 = new float[4 * keys.length];
            this.offs = new int[keys.length + 1];
            for (int p = 0; p < keys.length; p++) {
                offs[p + 1] = offs[p] + h.width(keys[p]);
            }
            this.species =
                    Arrays.stream(keys)
                            .flatMap(k -> java.util.stream.IntStream.of(k / 256, k % 256))
                            .distinct()
                            .sorted()
                            .toArray();
            long m0 = 0;
            long m1 = 0;
            for (int z : species) {
                if (z < 64) {
                    m0 |= 1L << z;
                } else {
                    m1 |= 1L << (z - 64);
                }
            }
            mask0 = m0;
            mask1 = m1;
            pairA = new int[keys.length];
            pairB = new int[keys.length];
            for (int p = 0; p < keys.length; p++) {
                pairA[p] = Arrays.binarySearch(species, keys[p] / 256);
                pairB[p] = Arrays.binarySearch(species, keys[p] % 256);
            }
        }

        int width() {
            return offs[keys.length];
        }

        void add(int row, double[] values) {
            int p = keys.length;
            if (size == members.length) {
                members = Arrays.copyOf(members, 2 * size);
                norm2 = Arrays.copyOf(norm2, 2 * size * p);
            }
            members[size] = row;
            for (int b = 0; b < p; b++) {
                double s = 0;
                for (int k = offs[b]; k < offs[b + 1]; k++) {
                    s += values[k] * values[k];
                }
                norm2[size * p + b] = (float) s;
            }
            size++;
        }

        /** c_i(T) for member {@code pos}, T a bitmask over the local species. */
        double bound(int pos, int t) {
            int p = keys.length;
            double s = 0;
            for (int b = 0; b < p; b++) {
                if ((t >> pairA[b] & 1) != 0 && (t >> pairB[b] & 1) != 0) {
                    s += norm2[pos * p + b];
                }
            }
            return Math.sqrt(s);
        }

        /** First member position with row >= {@code row}. */
        int lowerBound(int row) {
            int lo = 0;
            int hi = size;
            while (lo < hi) {
                int mid = (lo + hi) >>> 1;
                if (members[mid] < row) {
                    lo = mid + 1;
                } else {
                    hi = mid;
                }
            }
            return lo;
        }
    }

    /** Groups of a store, each row's group and position, and species -> groups. */
    private static final class Index {
        final List<Group> groups = new ArrayList<>();
        final int[] group; // [n]
        final int[] pos; // [n]
        int[][] bySpecies; // [128] group ids holding the species
        double maxNorm; // largest |F_j| (1 up to round-off)

        Index(int n) {
            group = new int[n];
            pos = new int[n];
        }

        static Index build(FingerprintStore store) throws IOException {
            Index x = new Index(store.size());
            Map<List<Integer>, Group> byKeys = new HashMap<>();
            double[] buf = new double[0];
            double maxNorm2 = 0;
            for (int c = 0; c < store.chunks(); c++) {
                try (FingerprintStore.Chunk k = store.chunk(c)) {
                    for (int i = k.start(); i < k.end(); i++) {
                        int[] keys = k.pairKeys(i);
                        for (int z : keys) {
                            if (z / 256 > 127) {
                                throw new IllegalArgumentException(
                                        "row " + i + " holds an element with Z > 127");
                            }
                        }
                        Group g =
                                byKeys.computeIfAbsent(
                                        Arrays.stream(keys).boxed().toList(),
                                        key -> {
                                            Group ng =
                                                    new Group(
                                                            x.groups.size(), keys, store.header());
                                            x.groups.add(ng);
                                            return ng;
                                        });
                        int m = k.valueCount(i);
                        if (m != g.width()) {
                            throw new IllegalArgumentException(
                                    "row " + i + " has " + m + " values for its blocks");
                        }
                        if (buf.length < m) {
                            buf = new double[m];
                        }
                        k.values(i, buf, 0);
                        x.group[i] = g.id;
                        x.pos[i] = g.size;
                        g.add(i, buf);
                        double s = 0;
                        for (int v = 0; v < m; v++) {
                            s += buf[v] * buf[v];
                        }
                        maxNorm2 = Math.max(maxNorm2, s);
                    }
                }
            }
            x.maxNorm = Math.sqrt(maxNorm2);
            List<List<Integer>> lists = new ArrayList<>();
            for (int z = 0; z < 128; z++) {
                lists.add(new ArrayList<>());
            }
            for (Group g : x.groups) {
                for (int z : g.species) {
                    lists.get(z).add(g.id);
                }
            }
            x.bySpecies = new int[128][];
            for (int z = 0; z < 128; z++) {
                x.bySpecies[z] = lists.get(z).stream().mapToInt(Integer::intValue).toArray();
            }
            return x;
        }
    }

    /**
     * Round 0: every pair within every group, chunk pair by chunk pair (a <= b); the rows of chunk
     * a packed per group while b runs over the chunks from a on.
     */
    private static void intraGroup(
            FingerprintStore store,
            Index index,
            NearestNeighbors.Best best,
            int workers,
            AtomicLong dots)
            throws IOException {
        int chunks = store.chunks();
        NearestNeighbors.Best[] local = locals(store.size(), workers);
        for (int a = 0; a < chunks; a++) {
            int[][] rangeA = new int[index.groups.size()][];
            long[] atA = new long[index.groups.size()];
            double[] packedA;
            try (FingerprintStore.Chunk ca = store.chunk(a)) {
                packedA = packRanges(ca, index, atA, rangeA, workers);
            }
            for (int b = a; b < chunks; b++) {
                final int fa = a;
                final int fb = b;
                try (FingerprintStore.Chunk cb = b == a ? null : store.chunk(b)) {
                    AtomicInteger next = new AtomicInteger();
                    AtomicInteger slot = new AtomicInteger();
                    Workers.run(
                            workers,
                            () -> {
                                NearestNeighbors.Best mine = local[slot.getAndIncrement()];
                                double[] gram = new double[0];
                                long count = 0;
                                for (int gi = next.getAndIncrement();
                                        gi < index.groups.size();
                                        gi = next.getAndIncrement()) {
                                    int[] ra = rangeA[gi];
                                    if (ra == null) {
                                        continue;
                                    }
                                    Group g = index.groups.get(gi);
                                    int na = ra[1] - ra[0];
                                    int w = g.width();
                                    int nb;
                                    int[] rowsB;
                                    double[] pb; // B row-major [nb, w]
                                    if (fa == fb) {
                                        nb = na;
                                        rowsB = Arrays.copyOfRange(g.members, ra[0], ra[1]);
                                        pb = null;
                                    } else {
                                        int lo = g.lowerBound(store.chunkStart(fb));
                                        int hi = g.lowerBound(store.chunkStart(fb + 1));
                                        nb = hi - lo;
                                        if (nb == 0) {
                                            continue;
                                        }
                                        rowsB = Arrays.copyOfRange(g.members, lo, hi);
                                        pb = new double[nb * w];
                                        for (int s = 0; s < nb; s++) {
                                            cb.values(rowsB[s], pb, s * w);
                                        }
                                    }
                                    double[] pa = packedA;
                                    int oa = (int) atA[gi];
                                    int ob = 0;
                                    if (pb == null) {
                                        pb = packedA;
                                        ob = oa;
                                    }
                                    boolean kernel = na >= 4 && nb >= 8;
                                    int pad = GramKernel.padded(nb);
                                    if (kernel) {
                                        if (gram.length < na * pad) {
                                            gram = new double[na * pad];
                                        } else {
                                            Arrays.fill(gram, 0, na * pad, 0);
                                        }
                                        KERNEL.multiply(
                                                Arrays.copyOfRange(pa, oa, oa + na * w),
                                                identity(na),
                                                transpose(pb, ob, nb, w),
                                                identity(nb),
                                                w,
                                                gram,
                                                pad);
                                    }
                                    for (int r = 0; r < na; r++) {
                                        int i = g.members[ra[0] + r];
                                        for (int s = fa == fb ? r + 1 : 0; s < nb; s++) {
                                            int j = rowsB[s];
                                            double d =
                                                    kernel
                                                            ? gram[r * pad + s]
                                                            : dotRows(
                                                                    pa,
                                                                    oa + r * w,
                                                                    pb,
                                                                    ob + s * w,
                                                                    w);
                                            mine.offer(i, j, d);
                                            mine.offer(j, i, d);
                                            count++;
                                        }
                                    }
                                }
                                dots.addAndGet(count);
                                return null;
                            },
                            "nearest-neighbour search");
                }
            }
        }
        merge(best, local);
    }

    /**
     * A group's rows still open for the species subset T ({@code t}, a mask over g's species),
     * their c_i(T), the groups sharing exactly T with g and, per partner h, max_j in h c_j(T).
     */
    private record Item(Group g, int t, int[] rows, double[] bound, int[] partners, double[] max) {}

    /** The work of a round, and whether any row was open at its level (else the rounds end). */
    private record Round(List<Item> items, boolean open) {}

    /**
     * The work of round {@code level}: for every group and every subset T of its species with
     * {@code level - 1} species fewer (level 1: all of them, for the other groups that hold them
     * and more), the rows with c_i(T) max_h c_h(T) >= b_i and the other groups whose shared species
     * are exactly T.
     */
    private static Round crossItems(
            Index index, NearestNeighbors.Best best, int level, Map<Long, Double> memo) {
        List<Item> items = new ArrayList<>();
        boolean anyOpen = false;
        for (Group g : index.groups) {
            int k = g.species.length;
            int drop = level - 1;
            if (drop >= k) {
                continue;
            }
            int full = (1 << k) - 1;
            for (int t = full; t > 0; t = (t - 1) & full) {
                if (Integer.bitCount(t) != k - drop) {
                    continue;
                }
                int[] open = new int[g.size];
                double[] bound = new double[g.size];
                int count = 0;
                for (int p = 0; p < g.size; p++) {
                    int i = g.members[p];
                    double c = g.bound(p, t);
                    if (c * index.maxNorm + MARGIN >= best.dot[i]) {
                        open[count] = i;
                        bound[count++] = c;
                    }
                }
                if (count == 0) {
                    continue;
                }
                anyOpen = true;
                int[] partners = partners(index, g, t);
                double[] max = new double[partners.length];
                int kept = 0;
                for (int q = 0; q < partners.length; q++) {
                    Group h = index.groups.get(partners[q]);
                    int th = localMask(h, g, t);
                    double m =
                            memo.computeIfAbsent(
                                    ((long) h.id << 32) | th,
                                    key -> {
                                        double x = 0;
                                        for (int r = 0; r < h.size; r++) {
                                            x = Math.max(x, h.bound(r, th));
                                        }
                                        return x;
                                    });
                    partners[kept] = partners[q];
                    max[kept++] = m;
                }
                double top = 0;
                for (int q = 0; q < kept; q++) {
                    top = Math.max(top, max[q]);
                }
                int still = 0;
                for (int r = 0; r < count; r++) {
                    if (bound[r] * top + MARGIN >= best.dot[open[r]]) {
                        open[still] = open[r];
                        bound[still++] = bound[r];
                    }
                }
                if (still > 0 && kept > 0) {
                    items.add(
                            new Item(
                                    g,
                                    t,
                                    Arrays.copyOf(open, still),
                                    Arrays.copyOf(bound, still),
                                    Arrays.copyOf(partners, kept),
                                    Arrays.copyOf(max, kept)));
                }
            }
        }
        return new Round(items, anyOpen);
    }

    /** The species subset {@code t} of g (a mask over g's species) as a mask over h's species. */
    private static int localMask(Group h, Group g, int t) {
        int out = 0;
        for (int s = 0; s < g.species.length; s++) {
            if ((t >> s & 1) != 0) {
                int at = Arrays.binarySearch(h.species, g.species[s]);
                out |= 1 << at;
            }
        }
        return out;
    }

    /** Groups h != g whose species shared with g are exactly the local subset {@code t}. */
    private static int[] partners(Index index, Group g, int t) {
        long m0 = 0;
        long m1 = 0;
        int rarest = -1;
        for (int s = 0; s < g.species.length; s++) {
            if ((t >> s & 1) != 0) {
                int z = g.species[s];
                if (z < 64) {
                    m0 |= 1L << z;
                } else {
                    m1 |= 1L << (z - 64);
                }
                if (rarest < 0 || index.bySpecies[z].length < index.bySpecies[rarest].length) {
                    rarest = z;
                }
            }
        }
        int[] list = index.bySpecies[rarest];
        int[] out = new int[list.length];
        int count = 0;
        for (int h : list) {
            Group o = index.groups.get(h);
            if (h != g.id && (o.mask0 & g.mask0) == m0 && (o.mask1 & g.mask1) == m1) {
                out[count++] = h;
            }
        }
        return Arrays.copyOf(out, count);
    }

    /**
     * A round of cross-group dots, over ordered chunk pairs (a, b): the open rows of chunk a
     * unpacked once, the partner rows of chunk b read as they are needed.
     */
    private static void crossGroup(
            FingerprintStore store,
            Index index,
            List<Item> items,
            NearestNeighbors.Best best,
            int workers,
            AtomicLong dots)
            throws IOException {
        int chunks = store.chunks();
        NearestNeighbors.Best[] local = locals(store.size(), workers);
        for (int a = 0; a < chunks; a++) {
            int lo = store.chunkStart(a);
            int hi = store.chunkStart(a + 1);
            Map<Integer, double[]> rowsA = new HashMap<>();
            List<Item> here = new ArrayList<>();
            try (FingerprintStore.Chunk ca = store.chunk(a)) {
                for (Item it : items) {
                    int from = lowerBound(it.rows, lo);
                    int to = lowerBound(it.rows, hi);
                    if (from == to) {
                        continue;
                    }
                    here.add(
                            new Item(
                                    it.g,
                                    it.t,
                                    Arrays.copyOfRange(it.rows, from, to),
                                    Arrays.copyOfRange(it.bound, from, to),
                                    it.partners,
                                    it.max));
                    for (int r = from; r < to; r++) {
                        rowsA.computeIfAbsent(
                                it.rows[r],
                                i -> {
                                    double[] v = new double[it.g.width()];
                                    ca.values(i, v, 0);
                                    return v;
                                });
                    }
                }
            }
            if (here.isEmpty()) {
                continue;
            }
            for (int b = 0; b < chunks; b++) {
                int blo = store.chunkStart(b);
                int bhi = store.chunkStart(b + 1);
                if (!anyPartnerIn(index, here, blo, bhi)) {
                    continue;
                }
                try (FingerprintStore.Chunk cb = store.chunk(b)) {
                    AtomicInteger next = new AtomicInteger();
                    AtomicInteger slot = new AtomicInteger();
                    Workers.run(
                            workers,
                            () -> {
                                NearestNeighbors.Best mine = local[slot.getAndIncrement()];
                                double[] vj = new double[0];
                                long count = 0;
                                for (int u = next.getAndIncrement();
                                        u < here.size();
                                        u = next.getAndIncrement()) {
                                    Item it = here.get(u);
                                    for (int q = 0; q < it.partners.length; q++) {
                                        Group h = index.groups.get(it.partners[q]);
                                        int from = h.lowerBound(blo);
                                        int to = h.lowerBound(bhi);
                                        if (from == to) {
                                            continue;
                                        }
                                        int th = localMask(h, it.g, it.t);
                                        int[] seg = segments(it.g, h);
                                        if (vj.length < h.width()) {
                                            vj = new double[h.width()];
                                        }
                                        for (int p = from; p < to; p++) {
                                            int j = h.members[p];
                                            double cj = h.bound(p, th);
                                            boolean read = false;
                                            for (int r = 0; r < it.rows.length; r++) {
                                                int i = it.rows[r];
                                                double ci = it.bound[r];
                                                double known = Math.max(best.dot[i], mine.dot[i]);
                                                if (ci * cj + MARGIN < known) {
                                                    continue; // F_i.F_j <= c_i(T) c_j(T)
                                                }
                                                if (!read) {
                                                    cb.values(j, vj, 0);
                                                    read = true;
                                                }
                                                double d = dot(rowsA.get(i), vj, seg);
                                                mine.offer(i, j, d);
                                                mine.offer(j, i, d);
                                                count++;
                                            }
                                        }
                                    }
                                }
                                dots.addAndGet(count);
                                return null;
                            },
                            "nearest-neighbour search");
                }
            }
        }
        merge(best, local);
    }

    private static boolean anyPartnerIn(Index index, List<Item> items, int lo, int hi) {
        for (Item it : items) {
            for (int h : it.partners) {
                Group o = index.groups.get(h);
                if (o.lowerBound(lo) < o.lowerBound(hi)) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * The blocks g and h share: triples (offset in g's row, offset in h's row, width), flattened.
     */
    private static int[] segments(Group g, Group h) {
        int[] out = new int[3 * Math.min(g.keys.length, h.keys.length)];
        int n = 0;
        int p = 0;
        int q = 0;
        while (p < g.keys.length && q < h.keys.length) {
            if (g.keys[p] < h.keys[q]) {
                p++;
            } else if (g.keys[p] > h.keys[q]) {
                q++;
            } else {
                out[n++] = g.offs[p];
                out[n++] = h.offs[q];
                out[n++] = g.offs[p + 1] - g.offs[p];
                p++;
                q++;
            }
        }
        return Arrays.copyOf(out, n);
    }

    /** a[oa .. oa + w) . b[ob .. ob + w), four accumulators. */
    private static double dotRows(double[] a, int oa, double[] b, int ob, int w) {
        double s0 = 0;
        double s1 = 0;
        double s2 = 0;
        double s3 = 0;
        int k = 0;
        for (; k + 3 < w; k += 4) {
            s0 += a[oa + k] * b[ob + k];
            s1 += a[oa + k + 1] * b[ob + k + 1];
            s2 += a[oa + k + 2] * b[ob + k + 2];
            s3 += a[oa + k + 3] * b[ob + k + 3];
        }
        for (; k < w; k++) {
            s0 += a[oa + k] * b[ob + k];
        }
        return (s0 + s1) + (s2 + s3);
    }

    private static double dot(double[] a, double[] b, int[] seg) {
        double s = 0;
        for (int t = 0; t < seg.length; t += 3) {
            int oa = seg[t];
            int ob = seg[t + 1];
            for (int k = 0; k < seg[t + 2]; k++) {
                s += a[oa + k] * b[ob + k];
            }
        }
        return s;
    }

    /**
     * The smallest row sharing no species with i has F_i . F_j = 0 exactly: a candidate of every
     * row (the rounds never compute those pairs).
     */
    private static void disjointCandidates(Index index, NearestNeighbors.Best best) {
        for (Group g : index.groups) {
            boolean needed = false;
            for (int p = 0; p < g.size && !needed; p++) {
                // a dot of 0 matters only to rows whose best is <= 0 (or none yet)
                needed = best.dot[g.members[p]] <= 0;
            }
            if (!needed) {
                continue; // (the scan below is over all groups: skipped where it cannot matter)
            }
            int first = -1;
            for (Group h : index.groups) {
                if ((h.mask0 & g.mask0) == 0
                        && (h.mask1 & g.mask1) == 0
                        && (first < 0 || h.members[0] < first)) {
                    first = h.members[0];
                }
            }
            if (first >= 0) {
                for (int p = 0; p < g.size; p++) {
                    best.offer(g.members[p], first, 0.0);
                }
            }
        }
    }

    /**
     * Packs the rows of the chunk group by group into one array (row-major [rows, width] per group,
     * group gi from {@code at[gi]}; one allocation, which the collector never copies), and each
     * group's member range.
     */
    private static double[] packRanges(
            FingerprintStore.Chunk c, Index index, long[] at, int[][] range, int workers) {
        int lo = c.start();
        int hi = c.end();
        long total = 0;
        for (Group g : index.groups) {
            int from = g.lowerBound(lo);
            int to = g.lowerBound(hi);
            if (from < to) {
                range[g.id] = new int[] {from, to};
                at[g.id] = total;
                total += (long) (to - from) * g.width();
            }
        }
        if (total > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException(
                    "a chunk of " + total + " values is too large; use smaller chunks");
        }
        double[] packed = new double[(int) total];
        AtomicInteger next = new AtomicInteger();
        Workers.run(
                workers,
                () -> {
                    for (int gi = next.getAndIncrement();
                            gi < index.groups.size();
                            gi = next.getAndIncrement()) {
                        int[] r = range[gi];
                        if (r == null) {
                            continue;
                        }
                        Group g = index.groups.get(gi);
                        int w = g.width();
                        for (int q = r[0]; q < r[1]; q++) {
                            c.values(g.members[q], packed, (int) at[gi] + (q - r[0]) * w);
                        }
                    }
                    return null;
                },
                "packing fingerprints");
        return packed;
    }

    /** Rows [rows, w] of {@code a} from {@code off} as B^T [w, padded(rows)], zero padding. */
    private static double[] transpose(double[] a, int off, int rows, int w) {
        int pad = GramKernel.padded(rows);
        double[] bt = new double[w * pad];
        for (int r = 0; r < rows; r++) {
            for (int k = 0; k < w; k++) {
                bt[k * pad + r] = a[off + r * w + k];
            }
        }
        return bt;
    }

    private static int[] identity(int n) {
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            out[i] = i;
        }
        return out;
    }

    private static int lowerBound(int[] sorted, int v) {
        int lo = 0;
        int hi = sorted.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (sorted[mid] < v) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    private static NearestNeighbors.Best[] locals(int n, int workers) {
        NearestNeighbors.Best[] out = new NearestNeighbors.Best[workers];
        for (int w = 0; w < workers; w++) {
            out[w] = new NearestNeighbors.Best(n, 1);
        }
        return out;
    }

    private static void merge(NearestNeighbors.Best into, NearestNeighbors.Best[] from) {
        for (NearestNeighbors.Best b : from) {
            for (int i = 0; i < b.index.length; i++) {
                into.offer(i, b.index[i], b.dot[i]);
            }
        }
    }
}
