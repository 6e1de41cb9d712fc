/** SchNet (Schuett et al., J. Chem. Phys. 148, 241722, 2018) as a DJL block. */
package org.fusionml.models.schnet;
