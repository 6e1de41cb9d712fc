package org.fusionml.data.descriptor;

import java.util.Arrays;
import java.util.TreeSet;
import org.fusionml.data.graph.NeighborList;
import org.fusionml.data.graph.NeighborSearch;
import org.fusionml.data.structure.Structure;

/**
 * The SOAP power spectrum as DScribe 2.1 computes it with {@code rbf="gto"} (Bartok, Kondor and
 * Csanyi, PRB 87, 184115, 2013; Himanen et al., CPC 247, 106949, 2020).
 *
 * <p>The density of species Z around a centre is a sum of Gaussians exp(-|r - r_j|^2 / (2 sigma^2))
 * over the atoms j of Z (the centre itself included) within r_cut plus DScribe's padding sigma
 * sqrt(-2 ln 1e-3), the distance at which a Gaussian has decayed to 1e-3. It is expanded in g_nl(r)
 * Y_lm(r^) with real orthonormal spherical harmonics and the GTO radial basis g_nl(r) = sum_n'
 * beta_nn'l r^l exp(-alpha_n'l r^2): alpha_n'l = -ln(1e-3 / a_n'^l) / a_n'^2 for a = linspace(1,
 * r_cut, n_max), beta_l = S_l^(-1/2) (Loewdin) with overlaps S_l,ij = Gamma(l + 3/2) / (2 (alpha_il
 * + alpha_jl)^(l + 3/2)). The radial integral has a closed form: with eta = 1 / (2 sigma^2),
 *
 * <pre>
 *   c_nlm = 4 pi sum_j r_j^l Y_lm(r^_j) sum_n' beta_nn'l sqrt(pi) (2 eta)^l
 *           / (2^(l+2) (alpha_n'l + eta)^(l+3/2)) exp(-alpha_n'l eta r_j^2 / (alpha_n'l + eta)).
 * </pre>
 *
 * The power spectrum is p^(Z1 Z2)_nn'l = pi sqrt(8 / (2l + 1)) sum_m c^Z1_nlm c^Z2_n'lm.
 *
 * <p>Layout (DScribe's): species pairs Z1 <= Z2 by ascending Z; inside a pair block l outermost,
 * then n, then n' (n' >= n in same-species blocks, all n' in cross-species blocks).
 */
public final class Soap {
    private final SoapConfig config;
    private final int nMax;
    private final int lMax;
    private final int lm; // (l_max + 1)^2
    private final double[][] beta; // [l][n * nMax + n']
    private final double[][] radialPrefactor; // [l][n']
    private final double[][] radialExponent; // [l][n']
    private final double[] ylmNorm; // [lm]
    private final double[] powerPrefactor; // [l]
    private final double neighbourCutoff;

    public Soap(SoapConfig config) {
        this.config = config;
        this.nMax = config.nMax();
        this.lMax = config.lMax();
        this.lm = (lMax + 1) * (lMax + 1);
        this.neighbourCutoff = config.rCut() + config.sigma() * Math.sqrt(-2 * Math.log(1e-3));
        double eta = 1 / (2 * config.sigma() * config.sigma());
        beta = new double[lMax + 1][];
        radialPrefactor = new double[lMax + 1][nMax];
        radialExponent = new double[lMax + 1][nMax];
        powerPrefactor = new double[lMax + 1];
        for (int l = 0; l <= lMax; l++) {
            double[] alpha = new double[nMax];
            for (int n = 0; n < nMax; n++) {
                double a = nMax == 1 ? 1.0 : 1.0 + (config.rCut() - 1.0) * n / (nMax - 1);
                alpha[n] = -Math.log(1e-3 / Math.pow(a, l)) / (a * a);
            }
            double[] overlap = new double[nMax * nMax];
            double gamma = gammaHalfInteger(l);
            for (int i = 0; i < nMax; i++) {
                for (int j = 0; j < nMax; j++) {
                    overlap[i * nMax + j] = 0.5 * gamma * Math.pow(alpha[i] + alpha[j], -l - 1.5);
                }
            }
            beta[l] = SymmetricEigen.power(overlap, nMax, -0.5);
            for (int n = 0; n < nMax; n++) {
                double s = alpha[n] + eta;
                radialPrefactor[l][n] =
                        4
                                * Math.PI
                                * Math.sqrt(Math.PI)
                                * Math.pow(2 * eta, l)
                                / (Math.pow(2, l + 2) * Math.pow(s, l + 1.5));
                radialExponent[l][n] = alpha[n] * eta / s;
            }
            powerPrefactor[l] = Math.PI * Math.sqrt(8.0 / (2 * l + 1));
        }
        ylmNorm = new double[lm];
        for (int l = 0; l <= lMax; l++) {
            for (int m = 0; m <= l; m++) {
                double ratio = 1; // (l - m)! / (l + m)!
                for (int k = l - m + 1; k <= l + m; k++) {
                    ratio /= k;
                }
                double norm = Math.sqrt((2 * l + 1) / (4 * Math.PI) * ratio);
                ylmNorm[l * l + l + m] = m == 0 ? norm : Math.sqrt(2) * norm;
                ylmNorm[l * l + l - m] = m == 0 ? norm : Math.sqrt(2) * norm;
            }
        }
    }

    public SoapConfig config() {
        return config;
    }

    /** Gamma(l + 3/2). */
    private static double gammaHalfInteger(int l) {
        double g = Math.sqrt(Math.PI) / 2; // Gamma(3/2)
        for (int k = 1; k <= l; k++) {
            g *= k + 0.5;
        }
        return g;
    }

    /** The structure's own species, ascending Z (DScribe's default in the reference outputs). */
    public static int[] speciesOf(Structure s) {
        TreeSet<Integer> z = new TreeSet<>();
        for (int v : s.atomicNumbers()) {
            z.add(v);
        }
        return z.stream().mapToInt(Integer::intValue).toArray();
    }

    /** Number of features for {@code species}. */
    public int numFeatures(int[] species) {
        return config.numFeatures(species.length);
    }

    /**
     * Expansion coefficients of the environments of {@code centers}: for each centre a vector
     * [species][l, m][n] of length |species| (l_max + 1)^2 n_max.
     */
    public double[][] coefficients(Structure s, int[] species, int[] centers) {
        int[] speciesIndex = speciesIndex(s, species);
        double[][] raw = new double[centers.length][species.length * lm * nMax];
        double[] ylm = new double[lm];
        double[] radial = new double[(lMax + 1) * nMax];
        double cut2 = neighbourCutoff * neighbourCutoff;
        if (config.periodic()) {
            NeighborList nl = NeighborSearch.find(s, neighbourCutoff);
            for (int c = 0; c < centers.length; c++) {
                int i = centers[c];
                accumulate(raw[c], speciesIndex[i], 0, 0, 0, ylm, radial);
                for (int e = nl.offsets()[i]; e < nl.offsets()[i + 1]; e++) {
                    double[] v = nl.vectors();
                    accumulate(
                            raw[c],
                            speciesIndex[nl.neighbors()[e]],
                            v[3 * e],
                            v[3 * e + 1],
                            v[3 * e + 2],
                            ylm,
                            radial);
                }
            }
        } else {
            double[] r = s.cartesianFlat();
            for (int c = 0; c < centers.length; c++) {
                int i = centers[c];
                for (int j = 0; j < s.size(); j++) {
                    double x = r[3 * j] - r[3 * i];
                    double y = r[3 * j + 1] - r[3 * i + 1];
                    double z = r[3 * j + 2] - r[3 * i + 2];
                    if (x * x + y * y + z * z <= cut2) {
                        accumulate(raw[c], speciesIndex[j], x, y, z, ylm, radial);
                    }
                }
            }
        }
        double[][] out = new double[centers.length][];
        for (int c = 0; c < centers.length; c++) {
            out[c] = orthonormalise(raw[c], species.length);
        }
        return out;
    }

    /** Power spectra of {@code centers} (DScribe {@code average="off"}), [centres][features]. */
    public double[][] perSite(Structure s, int[] species, int[] centers) {
        double[][] c = coefficients(s, species, centers);
        double[][] out = new double[centers.length][];
        for (int k = 0; k < centers.length; k++) {
            out[k] = powerSpectrum(c[k], species.length);
        }
        return out;
    }

    /** Power spectra of every site, [N][features]. */
    public double[][] perSite(Structure s, int[] species) {
        return perSite(s, species, allSites(s));
    }

    /** DScribe {@code average="inner"}: coefficients averaged over all sites, then the spectrum. */
    public double[] inner(Structure s, int[] species) {
        double[][] c = coefficients(s, species, allSites(s));
        double[] mean = new double[c[0].length];
        for (double[] row : c) {
            for (int k = 0; k < mean.length; k++) {
                mean[k] += row[k] / c.length;
            }
        }
        return powerSpectrum(mean, species.length);
    }

    /** DScribe {@code average="outer"}: the mean of the per-site spectra. */
    public double[] outer(Structure s, int[] species) {
        double[][] p = perSite(s, species);
        double[] mean = new double[p[0].length];
        for (double[] row : p) {
            for (int k = 0; k < mean.length; k++) {
                mean[k] += row[k] / p.length;
            }
        }
        return mean;
    }

    private static int[] allSites(Structure s) {
        int[] all = new int[s.size()];
        for (int i = 0; i < all.length; i++) {
            all[i] = i;
        }
        return all;
    }

    private static int[] speciesIndex(Structure s, int[] species) {
        for (int k = 1; k < species.length; k++) {
            if (species[k] <= species[k - 1]) {
                throw new IllegalArgumentException(
                        "species must be strictly ascending atomic numbers: "
                                + Arrays.toString(species));
            }
        }
        int[] index = new int[s.size()];
        for (int i = 0; i < index.length; i++) {
            index[i] = Arrays.binarySearch(species, s.element(i).z());
            if (index[i] < 0) {
                throw new IllegalArgumentException(
                        "site "
                                + i
                                + " is "
                                + s.element(i)
                                + ", which is not among the SOAP species "
                                + Arrays.toString(species));
            }
        }
        return index;
    }

    /** Adds one neighbour at (x, y, z) from the centre, of species index sp, to raw[sp][lm][n']. */
    private void accumulate(
            double[] raw, int sp, double x, double y, double z, double[] ylm, double[] radial) {
        double r2 = x * x + y * y + z * z;
        solidHarmonics(x, y, z, r2, ylm);
        for (int l = 0; l <= lMax; l++) {
            for (int n = 0; n < nMax; n++) {
                radial[l * nMax + n] = radialPrefactor[l][n] * Math.exp(-radialExponent[l][n] * r2);
            }
        }
        int base = sp * lm * nMax;
        for (int l = 0; l <= lMax; l++) {
            for (int q = l * l; q < (l + 1) * (l + 1); q++) {
                double y0 = ylm[q];
                if (y0 == 0) {
                    continue;
                }
                int at = base + q * nMax;
                for (int n = 0; n < nMax; n++) {
                    raw[at + n] += y0 * radial[l * nMax + n];
                }
            }
        }
    }

    /** c[sp][lm][n] = sum_n' beta_l[n][n'] raw[sp][lm][n']. */
    private double[] orthonormalise(double[] raw, int numSpecies) {
        double[] c = new double[raw.length];
        for (int sp = 0; sp < numSpecies; sp++) {
            for (int l = 0; l <= lMax; l++) {
                double[] b = beta[l];
                for (int q = l * l; q < (l + 1) * (l + 1); q++) {
                    int at = (sp * lm + q) * nMax;
                    for (int n = 0; n < nMax; n++) {
                        double sum = 0;
                        for (int k = 0; k < nMax; k++) {
                            sum += b[n * nMax + k] * raw[at + k];
                        }
                        c[at + n] = sum;
                    }
                }
            }
        }
        return c;
    }

    /** The power spectrum of one set of coefficients, in DScribe's layout. */
    double[] powerSpectrum(double[] c, int numSpecies) {
        double[] p = new double[config.numFeatures(numSpecies)];
        int k = 0;
        for (int s1 = 0; s1 < numSpecies; s1++) {
            for (int s2 = s1; s2 < numSpecies; s2++) {
                for (int l = 0; l <= lMax; l++) {
                    double f = powerPrefactor[l];
                    for (int n = 0; n < nMax; n++) {
                        for (int n2 = s1 == s2 ? n : 0; n2 < nMax; n2++) {
                            double sum = 0;
                            for (int q = l * l; q < (l + 1) * (l + 1); q++) {
                                sum += c[(s1 * lm + q) * nMax + n] * c[(s2 * lm + q) * nMax + n2];
                            }
                            p[k++] = f * sum;
                        }
                    }
                }
            }
        }
        return p;
    }

    /**
     * Real solid harmonics r^l Y_lm(r^) for l <= l_max, index l^2 + l + m (m = -l..l): Y_l0 = N
     * P_l(cos theta), Y_lm = sqrt2 N P_l^m cos(m phi), Y_l-m = sqrt2 N P_l^m sin(m phi).
     */
    private void solidHarmonics(double x, double y, double z, double r2, double[] out) {
        Arrays.fill(out, 0);
        if (r2 < 1e-24) {
            out[0] = ylmNorm[0];
            return;
        }
        // With Q_l^m = P_l^m(z / r) / sin^m(theta) r^(l - m) ... built directly on unnormalised
        // Cartesian polynomials: r^l P_l^m(cos theta) (cos, sin)(m phi) = Q(z, r) Re/Im (x + i
        // y)^m.
        double re = 1;
        double im = 0;
        for (int m = 0; m <= lMax; m++) {
            // P_m^m term: (-1)^m (2m - 1)!! (x + iy)^m
            double pmm = 1;
            for (int k = 1; k <= m; k++) {
                pmm *= -(2 * k - 1);
            }
            double qPrev = 0; // Q_{l-2}^m
            double q = pmm; // Q_m^m (times r^0)
            for (int l = m; l <= lMax; l++) {
                if (l == m + 1) {
                    qPrev = q;
                    q = (2 * m + 1) * z * pmm;
                } else if (l > m + 1) {
                    double next = ((2 * l - 1) * z * q - (l + m - 1) * r2 * qPrev) / (l - m);
                    qPrev = q;
                    q = next;
                }
                int base = l * l + l;
                out[base + m] = ylmNorm[base + m] * q * re;
                if (m > 0) {
                    out[base - m] = ylmNorm[base - m] * q * im;
                }
            }
            double nre = re * x - im * y;
            double nim = re * y + im * x;
            re = nre;
            im = nim;
        }
    }
}
