package org.fusionml.train.cli;

import org.fusionml.data.descriptor.SoapConfig;
import picocli.CommandLine.Option;

/**
 * SOAP settings shared by {@code fusion soap} and {@code fusion fingerprint}; FUSION's defaults.
 */
final class SoapOptions {
    @Option(
            names = "--r-cut",
            defaultValue = SoapConfig.DEFAULT_R_CUT,
            description = "Radial cutoff, Angstrom (default: ${DEFAULT-VALUE}).")
    double rCut;

    @Option(
            names = "--n-max",
            defaultValue = SoapConfig.DEFAULT_N_MAX,
            description = "Radial basis functions (default: ${DEFAULT-VALUE}).")
    int nMax;

    @Option(
            names = "--l-max",
            defaultValue = SoapConfig.DEFAULT_L_MAX,
            description = "Largest spherical-harmonic degree (default: ${DEFAULT-VALUE}).")
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

    SoapConfig config(String command) {
        try {
            return new SoapConfig(rCut, nMax, lMax, sigma, periodic);
        } catch (IllegalArgumentException e) {
            throw new UserException("fusion " + command + ": " + e.getMessage());
        }
    }
}
