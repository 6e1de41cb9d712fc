/** File plumbing shared by every stage: atomic writes, content hashes, (gzip) streams. */
package org.fusionml.data.io;
