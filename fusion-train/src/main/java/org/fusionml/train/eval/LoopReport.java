package org.fusionml.train.eval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * The paper's Table 1 from the cells of a loop: test MAE per method and pruning ratio, the mean over
 * seeds; in each ratio column the best method in bold and the second underlined. Written as
 * Markdown and CSV; only finished cells count, so it can be rerun while a sweep is going.
 */
public final class LoopReport {
  private LoopReport() {}

  /** A cell's outcome. */
  public record CellResult(String method, double ratio, long seed, double testMae) {}

  public static List<CellResult> read(Path loopDir) throws IOException {
    List<CellResult> out = new ArrayList<>();
    Path cells = loopDir.resolve("cells");
    if (!Files.isDirectory(cells)) {
      return out;
    }
    try (Stream<Path> files = Files.list(cells)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".json")).sorted().toList()) {
        JsonNode n = new ObjectMapper().readTree(f.toFile());
        out.add(new CellResult(n.get("method").asText(), n.get("ratio").asDouble(), n.get("seed").asLong(), n.get("test_mae").asDouble()));
      }
    }
    return out;
  }

  /** Writes table1.md and table1.csv into {@code outDir}; returns the Markdown. */
  public static String write(List<CellResult> cells, Path outDir) throws IOException {
    Map<String, Map<Double, List<Double>>> byMethod = new TreeMap<>();
    TreeSet<Double> ratios = new TreeSet<>();
    for (CellResult c : cells) {
      byMethod.computeIfAbsent(c.method(), k -> new TreeMap<>()).computeIfAbsent(c.ratio(), k -> new ArrayList<>()).add(c.testMae());
      ratios.add(c.ratio());
    }
    StringBuilder md = new StringBuilder("| method |");
    StringBuilder csv = new StringBuilder("method");
    for (double r : ratios) {
      md.append(r == 0 ? " w/o pruning |" : String.format(Locale.ROOT, " %.0f%% |", 100 * r));
      csv.append(String.format(Locale.ROOT, ",%.3f", r));
    }
    md.append("\n| --- |").append(" --- |".repeat(ratios.size())).append('\n');
    csv.append('\n');
    Map<Double, List<Double>> columnValues = new TreeMap<>();
    for (double r : ratios) {
      List<Double> vals = new ArrayList<>();
      for (Map<Double, List<Double>> m : byMethod.values()) {
        if (m.containsKey(r)) {
          vals.add(mean(m.get(r)));
        }
      }
      vals.sort(null);
      columnValues.put(r, vals);
    }
    for (Map.Entry<String, Map<Double, List<Double>>> e : byMethod.entrySet()) {
      md.append("| ").append(e.getKey()).append(" |");
      csv.append(e.getKey());
      for (double r : ratios) {
        List<Double> v = e.getValue().get(r);
        if (v == null) {
          md.append("  |");
          csv.append(',');
          continue;
        }
        double m = mean(v);
        String s = String.format(Locale.ROOT, "%.4f (n=%d)", m, v.size());
        List<Double> col = columnValues.get(r);
        if (col.size() > 1 && m == col.get(0)) {
          s = "**" + s + "**";
        } else if (col.size() > 2 && m == col.get(1)) {
          s = "<u>" + s + "</u>";
        }
        md.append(' ').append(s).append(" |");
        csv.append(String.format(Locale.ROOT, ",%.6f", m));
      }
      md.append('\n');
      csv.append('\n');
    }
    Files.createDirectories(outDir);
    org.fusionml.data.io.AtomicFiles.writeString(outDir.resolve("table1.md"), md.toString());
    org.fusionml.data.io.AtomicFiles.writeString(outDir.resolve("table1.csv"), csv.toString());
    return md.toString();
  }

  private static double mean(List<Double> v) {
    return v.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
  }
}
