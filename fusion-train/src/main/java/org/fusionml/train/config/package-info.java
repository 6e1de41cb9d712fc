/**
 * Run configuration: YAML bound to immutable records, unknown keys rejected with the list of valid
 * ones, {@code --set a.b=c} overrides (precedence: command line > YAML > defaults).
 */
package org.fusionml.train.config;
