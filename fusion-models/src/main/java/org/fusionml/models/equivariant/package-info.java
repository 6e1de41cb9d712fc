/**
 * The one place for E(3)-equivariant operations on tensors: real spherical harmonics of vectors
 * ({@link org.fusionml.models.equivariant.SphericalHarmonics}), real-basis Clebsch-Gordan
 * coefficients ({@link org.fusionml.models.equivariant.ClebschGordan}) and the tensor product of
 * irreducible features they define ({@link org.fusionml.models.equivariant.TensorProduct}).
 *
 * <p>Convention throughout: the features of degree l are the 2l + 1 coefficients of the real
 * orthonormal spherical harmonics Y_lm, m = -l..l, and the features of degrees 0..L are stored one
 * after another, degree l at offset l^2 ((L + 1)^2 in all); a rotation R acts on the coefficients
 * of degree l by the real Wigner matrix D^l(R) defined by Y_l(R u) = D^l(R) Y_l(u).
 */
package org.fusionml.models.equivariant;
