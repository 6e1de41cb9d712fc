package org.fusionml.models;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.jsontype.NamedType;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.fusionml.models.alignn.AlignnConfig;
import org.fusionml.models.cgcnn.CgcnnConfig;
import org.fusionml.models.crystalframer.CrystalframerConfig;
import org.fusionml.models.deepergatgnn.DeeperGatgnnConfig;
import org.fusionml.models.ecomformer.EcomformerConfig;
import org.fusionml.models.icomformer.IcomformerConfig;
import org.fusionml.models.matformer.MatformerConfig;
import org.fusionml.models.megnet.MegnetConfig;
import org.fusionml.models.potnet.PotnetConfig;
import org.fusionml.models.schnet.SchnetConfig;
import org.fusionml.models.sodnet.SodnetConfig;

/**
 * The registry of architectures: {@code type} name to configuration record. Adding an architecture
 * is its package (block + config record) and one line here.
 */
public final class Architectures {
    private Architectures() {}

    /** Every architecture by its {@code type} name, in the order the documentation lists them. */
    public static final Map<String, Class<? extends ArchitectureConfig>> TYPES = types();

    private static Map<String, Class<? extends ArchitectureConfig>> types() {
        Map<String, Class<? extends ArchitectureConfig>> m = new LinkedHashMap<>();
        m.put("alignn", AlignnConfig.class);
        m.put("cgcnn", CgcnnConfig.class);
        m.put("schnet", SchnetConfig.class);
        m.put("megnet", MegnetConfig.class);
        m.put("deepergatgnn", DeeperGatgnnConfig.class);
        m.put("matformer", MatformerConfig.class);
        m.put("icomformer", IcomformerConfig.class);
        m.put("ecomformer", EcomformerConfig.class);
        m.put("potnet", PotnetConfig.class);
        m.put("crystalframer", CrystalframerConfig.class);
        m.put("sodnet", SodnetConfig.class);
        return Collections.unmodifiableMap(m);
    }

    /** Lets {@code mapper} read and write {@link ArchitectureConfig}s by their {@code type}. */
    public static ObjectMapper register(ObjectMapper mapper) {
        TYPES.forEach((name, type) -> mapper.registerSubtypes(new NamedType(type, name)));
        return mapper;
    }
}
