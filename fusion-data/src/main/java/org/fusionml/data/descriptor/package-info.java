/** Per-atom and per-structure descriptors: CGCNN-style atom features (SOAP comes later here). */
package org.fusionml.data.descriptor;
