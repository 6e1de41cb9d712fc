package org.fusionml.data.graph;

import java.util.Arrays;
import java.util.Locale;
import org.fusionml.data.structure.Lattice;
import org.fusionml.data.structure.Structure;

/**
 * Periodic neighbour search with cell lists.
 *
 * <p>Positions are wrapped into the unit cell; the periodic images that can lie within the cutoff
 * of the cell (those with fractional coordinate in [-r/d_k, 1 + r/d_k] along each direction, d_k
 * being the lattice plane spacing) are binned into Cartesian cells of edge at least r; each atom
 * then only looks at the 27 bins around its own. The cost is linear in the number of image atoms
 * near the cell, not quadratic in atoms x images.
 */
public final class NeighborSearch {
    /** Upper bound on bins per candidate atom; bins grow beyond the cutoff to respect it. */
    private static final int MAX_BINS_PER_CANDIDATE = 4;

    private NeighborSearch() {}

    /**
     * Finds every neighbour within {@code cutoff} (inclusive) of every atom, all periodic images
     * included.
     *
     * @param structure the structure
     * @param cutoff radius in Angstrom, > 0
     */
    public static NeighborList find(Structure structure, double cutoff) {
        if (!(cutoff > 0) || !Double.isFinite(cutoff)) {
            throw new IllegalArgumentException("cutoff (" + cutoff + ") must be a positive number");
        }
        Lattice lattice = structure.lattice();
        int n = structure.size();
        requireMemory(structure, cutoff);
        double[] m = flat(lattice);
        WrappedPositions cell = wrapIntoCell(structure.fracFlat(), m, n);
        Candidates cand = imagesNearCell(cell.wrapped(), m, lattice.planeSpacings(), cutoff, n);
        CellList cells = CellList.of(cand, cutoff);

        // Query every atom against the 27 bins around it.
        double cut2 = cutoff * cutoff;
        double expected = 4.19 * cutoff * cutoff * cutoff * n / lattice.volume();
        Results out = new Results((int) Math.min(1 << 24, n * (1.3 * expected + 16)));
        int[] offsets = new int[n + 1];
        for (int i = 0; i < n; i++) {
            collectNeighbors(i, cell, cells, cut2, out);
            offsets[i + 1] = out.size;
        }
        return new NeighborList(
                n,
                cutoff,
                offsets,
                Arrays.copyOf(out.atom, out.size),
                Arrays.copyOf(out.image, 3 * out.size),
                Arrays.copyOf(out.vector, 3 * out.size),
                Arrays.copyOf(out.distance, out.size));
    }

    /** Bytes per found neighbour: atom, image (3 ints), vector (3 doubles), distance. */
    private static final int BYTES_PER_PAIR = 4 + 12 + 24 + 8;

    /** Bytes per candidate image atom: atom, image, position, and their copy in bin order. */
    private static final int BYTES_PER_CANDIDATE = 2 * (4 + 12 + 24);

    /**
     * The memory a search within {@code cutoff} of {@code structure} needs, bytes (an estimate):
     * the expected neighbour pairs, (4 pi / 3) r^3 N^2 / V, three times over (the growing result
     * arrays and their final copy), plus the candidate image atoms within r of the cell, N prod_k
     * (1 + 2 r / d_k).
     */
    public static double estimateBytes(Structure structure, double cutoff) {
        Lattice lattice = structure.lattice();
        double n = structure.size();
        double pairs = 4 * Math.PI / 3 * cutoff * cutoff * cutoff * n * n / lattice.volume();
        double candidates = n;
        for (double d : lattice.planeSpacings()) {
            candidates *= 1 + 2 * cutoff / d;
        }
        return 3 * pairs * BYTES_PER_PAIR + candidates * BYTES_PER_CANDIDATE;
    }

    /**
     * Refuses, before allocating anything, a search whose {@link #estimateBytes estimate} exceeds
     * the heap the JVM may use ({@code -Xmx}).
     *
     * @throws IllegalArgumentException with the estimate and the heap limit
     */
    static void requireMemory(Structure structure, double cutoff) {
        double need = estimateBytes(structure, cutoff);
        long heap = Runtime.getRuntime().maxMemory();
        if (need > heap) {
            throw new IllegalArgumentException(
                    String.format(
                            Locale.ROOT,
                            "a neighbour search within %.4g A of %d atoms in a %.4g A^3 cell needs"
                                    + " about %.3g GB, more than the %.3g GB the JVM may use"
                                    + " (-Xmx); use a smaller cutoff",
                            cutoff,
                            structure.size(),
                            structure.lattice().volume(),
                            need / 1e9,
                            heap / 1e9));
        }
    }

    /**
     * Atom positions wrapped into the unit cell.
     *
     * @param wrapped fractional coordinates in [0, 1), [3n] (atom-major)
     * @param shift integer lattice shift removed by the wrap (input = wrapped + shift), [3n]
     * @param center Cartesian positions of the wrapped atoms in Angstrom, [3n]
     */
    private record WrappedPositions(double[] wrapped, int[] shift, double[] center) {}

    /**
     * Wraps fractional coordinates into [0, 1), remembering the shift so images refer to the input.
     */
    private static WrappedPositions wrapIntoCell(double[] frac, double[] m, int n) {
        int[] shift = new int[3 * n];
        double[] wrapped = new double[3 * n];
        for (int q = 0; q < 3 * n; q++) {
            double fl = Math.floor(frac[q]);
            double w = frac[q] - fl;
            if (w >= 1.0) { // -1e-17 - floor(-1e-17) rounds to 1.0
                w -= 1.0;
                fl += 1.0;
            }
            wrapped[q] = w;
            shift[q] = (int) fl;
        }
        double[] center = new double[3 * n];
        for (int i = 0; i < n; i++) {
            cart(m, wrapped[3 * i], wrapped[3 * i + 1], wrapped[3 * i + 2], center, 3 * i);
        }
        return new WrappedPositions(wrapped, shift, center);
    }

    /**
     * Collects the periodic images of every atom whose fractional coordinates lie within [-r/d_k, 1
     * + r/d_k] along each direction k (d_k: plane spacing in Angstrom, r: cutoff).
     *
     * @throws IllegalArgumentException when the cutoff reaches too many images of a small cell
     */
    private static Candidates imagesNearCell(
            double[] wrapped, double[] m, double[] spacing, double cutoff, int n) {
        double[] reach = new double[3];
        int[] lo = new int[3];
        int[] hi = new int[3];
        for (int k = 0; k < 3; k++) {
            reach[k] = cutoff / spacing[k] + 1e-9;
            lo[k] = (int) Math.floor(-reach[k]) - 1;
            hi[k] = (int) Math.ceil(reach[k]) + 1;
        }
        long images = (long) (hi[0] - lo[0] + 1) * (hi[1] - lo[1] + 1) * (hi[2] - lo[2] + 1);
        if (images * n > 200_000_000L) {
            throw new IllegalArgumentException(
                    "cutoff "
                            + cutoff
                            + " A reaches "
                            + images
                            + " periodic images of a cell with plane"
                            + " spacings "
                            + Arrays.toString(spacing)
                            + " A; the cell is too small for it");
        }
        double perAtom = (2 * reach[0] + 2) * (2 * reach[1] + 2) * (2 * reach[2] + 2);
        Candidates cand =
                new Candidates((int) Math.min(1 << 24, Math.min(images, perAtom) * n + 16));
        for (int j = 0; j < n; j++) {
            double wa = wrapped[3 * j];
            double wb = wrapped[3 * j + 1];
            double wc = wrapped[3 * j + 2];
            for (int a = lo[0]; a <= hi[0]; a++) {
                double ga = wa + a;
                if (ga < -reach[0] || ga > 1 + reach[0]) {
                    continue;
                }
                for (int b = lo[1]; b <= hi[1]; b++) {
                    double gb = wb + b;
                    if (gb < -reach[1] || gb > 1 + reach[1]) {
                        continue;
                    }
                    for (int c = lo[2]; c <= hi[2]; c++) {
                        double gc = wc + c;
                        if (gc < -reach[2] || gc > 1 + reach[2]) {
                            continue;
                        }
                        cand.add(j, a, b, c, m, ga, gb, gc);
                    }
                }
            }
        }
        return cand;
    }

    /** Appends to {@code out} every candidate within sqrt(cut2) of atom i, itself excluded. */
    private static void collectNeighbors(
            int i, WrappedPositions cell, CellList cells, double cut2, Results out) {
        double[] center = cell.center();
        int[] shift = cell.shift();
        int[] nb = cells.nb;
        double x = center[3 * i];
        double y = center[3 * i + 1];
        double z = center[3 * i + 2];
        int bx = clamp((int) Math.floor((x - cells.min[0]) * cells.inv[0]), nb[0]);
        int by = clamp((int) Math.floor((y - cells.min[1]) * cells.inv[1]), nb[1]);
        int bz = clamp((int) Math.floor((z - cells.min[2]) * cells.inv[2]), nb[2]);
        int z0 = Math.max(0, bz - 1);
        int z1 = Math.min(nb[2] - 1, bz + 1);
        for (int ix = Math.max(0, bx - 1); ix <= Math.min(nb[0] - 1, bx + 1); ix++) {
            for (int iy = Math.max(0, by - 1); iy <= Math.min(nb[1] - 1, by + 1); iy++) {
                int row = (ix * nb[1] + iy) * nb[2];
                int to = cells.binStart[row + z1 + 1];
                for (int s = cells.binStart[row + z0]; s < to; s++) {
                    double dx = cells.px[s] - x;
                    double dy = cells.py[s] - y;
                    double dz = cells.pz[s] - z;
                    double d2 = dx * dx + dy * dy + dz * dz;
                    if (d2 > cut2) {
                        continue;
                    }
                    int j = cells.atom[s];
                    int ia = cells.image[3 * s];
                    int ib = cells.image[3 * s + 1];
                    int ic = cells.image[3 * s + 2];
                    if (j == i && ia == 0 && ib == 0 && ic == 0) {
                        continue;
                    }
                    // (w_j + n' - w_i) M with w = f - s equals (f_j + n' - s_j + s_i - f_i) M
                    out.add(
                            j,
                            ia - shift[3 * j] + shift[3 * i],
                            ib - shift[3 * j + 1] + shift[3 * i + 1],
                            ic - shift[3 * j + 2] + shift[3 * i + 2],
                            dx,
                            dy,
                            dz,
                            Math.sqrt(d2));
                }
            }
        }
    }

    private static int bin(double[] xyz, int at, double[] min, double[] inv, int[] nb) {
        int bx = clamp((int) Math.floor((xyz[at] - min[0]) * inv[0]), nb[0]);
        int by = clamp((int) Math.floor((xyz[at + 1] - min[1]) * inv[1]), nb[1]);
        int bz = clamp((int) Math.floor((xyz[at + 2] - min[2]) * inv[2]), nb[2]);
        return (bx * nb[1] + by) * nb[2] + bz;
    }

    private static int clamp(int b, int n) {
        return b < 0 ? 0 : (b >= n ? n - 1 : b);
    }

    static double[] flat(Lattice lattice) {
        double[] m = new double[9];
        for (int i = 0; i < 3; i++) {
            for (int k = 0; k < 3; k++) {
                m[3 * i + k] = lattice.get(i, k);
            }
        }
        return m;
    }

    static void cart(double[] m, double fa, double fb, double fc, double[] out, int at) {
        out[at] = fa * m[0] + fb * m[3] + fc * m[6];
        out[at + 1] = fa * m[1] + fb * m[4] + fc * m[7];
        out[at + 2] = fa * m[2] + fb * m[5] + fc * m[8];
    }

    /** Growable arrays of candidate image atoms. */
    private static final class Candidates {
        int size;
        int[] atom;
        int[] image;
        double[] xyz;

        Candidates(int capacity) {
            atom = new int[capacity];
            image = new int[3 * capacity];
            xyz = new double[3 * capacity];
        }

        void add(int j, int a, int b, int c, double[] m, double ga, double gb, double gc) {
            if (size == atom.length) {
                atom = Arrays.copyOf(atom, 2 * size);
                image = Arrays.copyOf(image, 6 * size);
                xyz = Arrays.copyOf(xyz, 6 * size);
            }
            atom[size] = j;
            image[3 * size] = a;
            image[3 * size + 1] = b;
            image[3 * size + 2] = c;
            cart(m, ga, gb, gc, xyz, 3 * size);
            size++;
        }
    }

    /**
     * Candidate image atoms sorted into a grid of Cartesian bins (counting sort), copied into bin
     * order as a structure of arrays: the bins along z of one (x, y) column are one contiguous
     * range, so each atom scans 9 ranges.
     */
    private static final class CellList {
        /** Lower corner of the candidates' bounding box in Angstrom, [3]. */
        final double[] min;

        /** Bins per Angstrom along x, y, z, [3]. */
        final double[] inv;

        /** Number of bins along x, y, z, [3]. */
        final int[] nb;

        /** First sorted candidate of each bin, [bins + 1]. */
        final int[] binStart;

        /** Cartesian coordinates of the sorted candidates in Angstrom, [candidates] each. */
        final double[] px;

        final double[] py;
        final double[] pz;

        /** Atom index of each sorted candidate, [candidates]. */
        final int[] atom;

        /** Lattice image (a, b, c) of each sorted candidate, [3 * candidates]. */
        final int[] image;

        private CellList(double[] min, double[] inv, int[] nb, int[] binStart, Candidates cand) {
            this.min = min;
            this.inv = inv;
            this.nb = nb;
            this.binStart = binStart;
            px = new double[cand.size];
            py = new double[cand.size];
            pz = new double[cand.size];
            atom = new int[cand.size];
            image = new int[3 * cand.size];
        }

        /** Bins the candidates with bins of edge at least {@code cutoff} (Angstrom). */
        static CellList of(Candidates cand, double cutoff) {
            double[] min = {Double.MAX_VALUE, Double.MAX_VALUE, Double.MAX_VALUE};
            double[] max = {-Double.MAX_VALUE, -Double.MAX_VALUE, -Double.MAX_VALUE};
            for (int c = 0; c < cand.size; c++) {
                for (int k = 0; k < 3; k++) {
                    min[k] = Math.min(min[k], cand.xyz[3 * c + k]);
                    max[k] = Math.max(max[k], cand.xyz[3 * c + k]);
                }
            }
            int[] nb = binCounts(min, max, cutoff, cand.size);
            double[] inv = new double[3];
            for (int k = 0; k < 3; k++) {
                // nb[k] bins cover [min, max]; each is at least the grown bin edge wide.
                inv[k] = nb[k] / Math.max(max[k] - min[k], 1e-12);
            }
            int numBins = nb[0] * nb[1] * nb[2];
            int[] binOf = new int[cand.size];
            int[] binStart = new int[numBins + 1];
            for (int c = 0; c < cand.size; c++) {
                int bin = bin(cand.xyz, 3 * c, min, inv, nb);
                binOf[c] = bin;
                binStart[bin + 1]++;
            }
            for (int b = 0; b < numBins; b++) {
                binStart[b + 1] += binStart[b];
            }
            CellList cells = new CellList(min, inv, nb, binStart, cand);
            cells.copyInBinOrder(cand, binOf);
            return cells;
        }

        /**
         * Bins along x, y, z: edges start at the cutoff and grow by 1.5 until there are at most
         * {@code MAX_BINS_PER_CANDIDATE} bins per candidate (plus 27).
         */
        private static int[] binCounts(double[] min, double[] max, double cutoff, int candidates) {
            double binEdge = cutoff;
            int[] nb = new int[3];
            while (true) {
                long total = 1;
                for (int k = 0; k < 3; k++) {
                    nb[k] = Math.max(1, (int) Math.floor((max[k] - min[k]) / binEdge));
                    total *= nb[k];
                }
                if (total <= (long) MAX_BINS_PER_CANDIDATE * candidates + 27) {
                    return nb;
                }
                binEdge *= 1.5;
            }
        }

        /** Copies candidate c to the next free slot of its bin {@code binOf[c]}. */
        private void copyInBinOrder(Candidates cand, int[] binOf) {
            int[] fill = Arrays.copyOf(binStart, binStart.length - 1);
            for (int c = 0; c < cand.size; c++) {
                int s = fill[binOf[c]]++;
                px[s] = cand.xyz[3 * c];
                py[s] = cand.xyz[3 * c + 1];
                pz[s] = cand.xyz[3 * c + 2];
                atom[s] = cand.atom[c];
                image[3 * s] = cand.image[3 * c];
                image[3 * s + 1] = cand.image[3 * c + 1];
                image[3 * s + 2] = cand.image[3 * c + 2];
            }
        }
    }

    /** Growable arrays of found neighbours. */
    private static final class Results {
        int size;
        int[] atom;
        int[] image;
        double[] vector;
        double[] distance;

        Results(int capacity) {
            atom = new int[capacity];
            image = new int[3 * capacity];
            vector = new double[3 * capacity];
            distance = new double[capacity];
        }

        void add(int j, int a, int b, int c, double dx, double dy, double dz, double d) {
            if (size == atom.length) {
                atom = Arrays.copyOf(atom, 2 * size);
                image = Arrays.copyOf(image, 6 * size);
                vector = Arrays.copyOf(vector, 6 * size);
                distance = Arrays.copyOf(distance, 2 * size);
            }
            atom[size] = j;
            image[3 * size] = a;
            image[3 * size + 1] = b;
            image[3 * size + 2] = c;
            vector[3 * size] = dx;
            vector[3 * size + 1] = dy;
            vector[3 * size + 2] = dz;
            distance[size] = d;
            size++;
        }
    }
}
