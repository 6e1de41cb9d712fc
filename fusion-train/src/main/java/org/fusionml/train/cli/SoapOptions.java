package org.fusionml.train.cli;

import org.fusionml.data.Ranges;
import org.fusionml.data.descriptor.SoapConfig;
import picocli.CommandLine.Option;

/**
 * SOAP settings shared by {@code fusion soap} and {@code fusion fingerprint}; FUSION's defaults.
 */
final class SoapOptions {
    @Option(
            names = "--r-cut",
            defaultValue = SoapConfig.DEFAULT_R_CUT,
            description = "Radial cutoff in (1, 20], Angstrom (default: ${DEFAULT-VALUE}).")
    double rCut;

    @Option(
            names = "--n-max",
            defaultValue = SoapConfig.DEFAULT_N_MAX,
            description = "Radial basis functions, 1..20 (default: ${DEFAULT-VALUE}).")
    int nMax;

    @Option(
            names = "--l-max",
            defaultValue = SoapConfig.DEFAULT_L_MAX,
            description = "Largest spherical-harmonic degree, 0..19 (default: ${DEFAULT-VALUE}).")
    int lMax;

    @Option(
            names = "--sigma",
            defaultValue = SoapConfig.DEFAULT_SIGMA,
            description = "Gaussian width, Angstrom (default: ${DEFAULT-VALUE}).")
    double sigma;

    @Option(
            names = "--periodic",
            defaultValue = "true",
            arity = "1",
            description = "Periodic images are neighbours (default: ${DEFAULT-VALUE}).")
    boolean periodic;

    /** The settings, checked under the option names ({@code --r-cut}, ...). */
    SoapConfig config(String command) {
        OptionChecks.check(
                command,
                () -> {
                    SoapConfig.checkRadialCutoff("--r-cut", rCut);
                    Ranges.between("--n-max", nMax, 1, SoapConfig.MAX_N_MAX);
                    Ranges.between("--l-max", lMax, 0, 19);
                    Ranges.positive("--sigma", sigma, "Angstrom");
                });
        return new SoapConfig(rCut, nMax, lMax, sigma, periodic);
    }
}
