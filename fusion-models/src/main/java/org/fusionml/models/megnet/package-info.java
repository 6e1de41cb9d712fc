/**
 * MEGNet (Chen, Ye, Zuo, Zheng and Ong, Chem. Mater. 31, 3564, 2019) as a DJL block: bond, atom and
 * global-state updates with a set2set readout.
 */
package org.fusionml.models.megnet;
