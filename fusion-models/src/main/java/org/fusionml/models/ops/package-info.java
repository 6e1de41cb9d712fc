/**
 * The one place where messages are gathered from and scattered into nodes: {@link
 * org.fusionml.models.ops.GraphOps}.
 */
package org.fusionml.models.ops;
