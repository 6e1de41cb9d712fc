package org.fusionml.data.dataset;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.fusionml.data.InvalidInputException;

/**
 * An immutable, ordered collection of labelled structures with its provenance.
 *
 * <p>Subsets ({@link #select}) share the entries and keep the provenance of the source: a subset is
 * a view by index, never a mutation of the original.
 */
public final class CrystalDataset {
    private final List<DatasetEntry> entries;
    private final DatasetProvenance provenance;
    private final Map<String, Integer> byId;

    /**
     * @throws InvalidInputException if two entries share an id
     */
    public CrystalDataset(List<DatasetEntry> entries, DatasetProvenance provenance) {
        this.entries = List.copyOf(entries);
        this.provenance = Objects.requireNonNull(provenance, "provenance");
        this.byId = new HashMap<>(2 * entries.size());
        for (int i = 0; i < this.entries.size(); i++) {
            Integer before = byId.put(this.entries.get(i).id(), i);
            if (before != null) {
                throw new InvalidInputException(
                        provenance.source(),
                        this.entries.get(i).id(),
                        "duplicate id (entries " + before + " and " + i + ")");
            }
        }
    }

    public List<DatasetEntry> entries() {
        return entries;
    }

    public DatasetProvenance provenance() {
        return provenance;
    }

    public int size() {
        return entries.size();
    }

    public DatasetEntry get(int i) {
        return entries.get(i);
    }

    /** Index of the entry with this id, or -1. */
    public int indexOf(String id) {
        return byId.getOrDefault(id, -1);
    }

    /** Targets in entry order, in the dataset's unit. */
    public double[] targets() {
        return entries.stream().mapToDouble(DatasetEntry::target).toArray();
    }

    /** The entries at {@code indices}, in that order, with the same provenance. */
    public CrystalDataset select(int[] indices) {
        List<DatasetEntry> out = new ArrayList<>(indices.length);
        for (int i : indices) {
            out.add(entries.get(i));
        }
        return new CrystalDataset(out, provenance);
    }
}
