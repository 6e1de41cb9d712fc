/** Output heads (plain regression, Normal-Inverse-Gamma evidential) and the training losses. */
package org.fusionml.models.head;
