/**
 * FUSION's scores (paper Section 3.3): the uncertainty U from the evidential surrogate's
 * Normal-Inverse-Gamma outputs (Eq. 3), the weighting factor W from the nearest fingerprint (Eq.
 * 5), the influence I = U / W (Eq. 6), and the scores table that carries them between commands.
 */
package org.fusionml.train.score;
