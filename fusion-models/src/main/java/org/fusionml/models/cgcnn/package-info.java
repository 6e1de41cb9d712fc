/** CGCNN (Xie and Grossman, PRL 120, 145301, 2018) as a DJL block. */
package org.fusionml.models.cgcnn;
