/**
 * The one place where messages are gathered from and scattered into nodes: {@link
 * org.fusionml.models.ops.GraphOps}, and the reductions over groups of rows built on it (means,
 * broadcasts, softmax and argmax per atom or per graph: {@link org.fusionml.models.ops.Segments}).
 */
package org.fusionml.models.ops;
