/** Reports of a loop's cells: the paper's tables, paired t-tests and charts. */
package org.fusionml.train.report;
