package org.fusionml.train.report;

import org.fusionml.data.dataset.DatasetProvenance;

/** Axis labels with the target's unit ({@link DatasetProvenance#unit}). */
public final class Units {
    private Units() {}

    /**
     * {@code quantity (unit)}: {@code test MAE (meV/atom)}, {@code test MAE (dimensionless)}; for
     * {@link DatasetProvenance#UNKNOWN_UNIT}, {@code test MAE (target's unit)}.
     */
    public static String label(String quantity, String unit) {
        String u =
                unit == null || unit.isEmpty() || unit.equals(DatasetProvenance.UNKNOWN_UNIT)
                        ? "target's unit"
                        : unit;
        return quantity + " (" + u + ")";
    }
}
