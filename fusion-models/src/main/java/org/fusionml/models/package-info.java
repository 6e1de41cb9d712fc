/** Graph neural networks for crystals as DJL blocks, their batching, heads and losses. */
package org.fusionml.models;
