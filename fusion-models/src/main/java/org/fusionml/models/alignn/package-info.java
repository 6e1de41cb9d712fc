/** ALIGNN (Choudhary and DeCost, npj Comput. Mater. 7, 185, 2021) as a DJL block. */
package org.fusionml.models.alignn;
