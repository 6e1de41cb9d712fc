package org.fusionml.data.descriptor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import org.fusionml.data.SharedData;
import org.fusionml.data.dataset.CrystalDataset;
import org.fusionml.data.dataset.DatasetLoader;
import org.fusionml.data.structure.Structure;
import org.junit.jupiter.api.Test;

/** SOAP spectra of 30 jdft2d structures against DScribe 2.1.1 (refs/jdft2d_soap30). */
class SoapReferenceTest {
    @Test
    void offInnerOuterMatchDscribe() {
        JsonNode ref =
                SharedData.json(SharedData.require("refs/jdft2d_soap30.json.gz")).get("structures");
        CrystalDataset data = DatasetLoader.embeddedDefault();
        Soap soap = new Soap(SoapConfig.fusionDefault());
        double worst = 0;
        for (JsonNode r : ref) {
            Structure s = data.get(data.indexOf(r.get("name").asText())).structure();
            int[] species = Soap.speciesOf(s);
            assertEquals(r.get("n_features").asInt(), soap.numFeatures(species));
            double[][] off = soap.perSite(s, species);
            double e = 0;
            for (int i = 0; i < off.length; i++) {
                e = Math.max(e, relative(r.get("soap").get("off").get(i), off[i]));
            }
            double ei = relative(r.get("soap").get("inner"), soap.inner(s, species));
            double eo = relative(r.get("soap").get("outer"), soap.outer(s, species));
            worst = Math.max(worst, Math.max(e, Math.max(ei, eo)));
        }
        System.out.printf(
                "SOAP vs DScribe: worst max|diff| / max|ref| = %.2e over 30 structures%n", worst);
        assertTrue(worst <= 1e-6, "worst max|diff| / max|ref| = " + worst);
    }

    /** max |ref - mine| / max |ref|. */
    static double relative(JsonNode ref, double[] mine) {
        assertEquals(ref.size(), mine.length);
        double maxRef = 0;
        double maxDiff = 0;
        for (int k = 0; k < mine.length; k++) {
            maxRef = Math.max(maxRef, Math.abs(ref.get(k).asDouble()));
            maxDiff = Math.max(maxDiff, Math.abs(ref.get(k).asDouble() - mine[k]));
        }
        return maxDiff / maxRef;
    }
}
