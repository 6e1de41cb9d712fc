/**
 * FUSION (Wang et al., AAAI 2026): influence scores from the evidential surrogate and the
 * fingerprints (Eq. 3, 5, 6), and the choice of what to remove (Eq. 7).
 */
package org.fusionml.train.fusion;
