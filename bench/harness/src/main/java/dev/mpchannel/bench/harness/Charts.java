package dev.mpchannel.bench.harness;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.DecimalFormat;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.HdrHistogram.HistogramIterationValue;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.CategoryAxis;
import org.jfree.chart.axis.CategoryLabelPositions;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.NumberTickUnit;
import org.jfree.chart.axis.TickUnits;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.CombinedDomainXYPlot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.chart.renderer.category.StandardBarPainter;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.category.DefaultCategoryDataset;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * The report's charts, PNG by JFreeChart (headless), one per workload family, each with one panel per pass
 * (in the order the passes ran): latency by percentile for the 64 B and 1 KiB round trips, the round trip with a
 * descriptor and the DPDK rows (x: the percentile on a "nines" scale, 90%, 99%, 99.9%, ... equally spaced; y: the
 * latency, logarithmic); the fan-out's median and p99 against the number of secondaries; the large round trips'
 * median against the size; the one-way rates.
 */
final class Charts {
    private Charts() {
    }

    /** Writes every chart that has data into {@code dir}; returns their file names. */
    static List<String> write(Map<String, List<Result>> passes, Path dir) throws IOException {
        System.setProperty("java.awt.headless", "true");
        Files.createDirectories(dir);
        List<String> written = new ArrayList<>();
        for (int size : new int[] {64, 1024}) {
            Map<String, String[]> series = new LinkedHashMap<>();
            for (Map.Entry<String, String> b : Report.BASELINES.entrySet()) {
                series.put(b.getValue(), new String[] {b.getKey(), "rtt-" + size});
            }
            series.put("mpchannel (ordinary action)", new String[] {Report.MP, "rtt-" + size});
            series.put("mpchannel (inline action)", new String[] {Report.MP, "rtt-inline-" + size});
            series.put("mpchannel (ordinary, caller parked)", new String[] {Report.MP, "rtt-park-" + size});
            series.put("mpchannel (inline, caller parked)", new String[] {Report.MP, "rtt-park-inline-" + size});
            series.put("mpchannel (ordinary, on the action threads)", new String[] {Report.MP, "rtt-pooled-" + size});
            percentileChart(passes, "Request/reply " + WorkloadRows.size(size) + ": latency by percentile", series,
                    dir, "rtt-" + size + ".png", written);
        }
        Map<String, String[]> fd = new LinkedHashMap<>();
        for (String impl : List.of("c-stream", "c-seqpacket", "junixsocket")) {
            fd.put(Report.name(impl), new String[] {impl, "rtt-fd-64"});
        }
        fd.put("mpchannel (ordinary action)", new String[] {Report.MP, "rtt-fd-64"});
        percentileChart(passes, "Request/reply 64 B with one descriptor each way: latency by percentile", fd, dir,
                "rtt-fd-64.png", written);
        Map<String, String[]> dpdk = new LinkedHashMap<>();
        dpdk.put("C stream", new String[] {"c-stream", "rtt-64"});
        dpdk.put("DPDK primary → DPDK secondary", new String[] {"dpdk", "dpdk-primary-to-secondary"});
        dpdk.put("DPDK secondary → DPDK primary", new String[] {"dpdk", "dpdk-secondary-to-primary"});
        dpdk.put("DPDK primary → Java (pool)", new String[] {Report.MP, "dpdk-primary-to-java"});
        dpdk.put("DPDK primary → Java (inline)", new String[] {Report.MP, "dpdk-primary-to-java-inline"});
        dpdk.put("Java → DPDK primary", new String[] {Report.MP, "dpdk-java-to-primary"});
        percentileChart(passes, "DPDK rte_mp request/reply (332-byte datagrams): latency by percentile", dpdk, dir,
                "dpdk.png", written);
        fanoutChart(passes, dir, written);
        largeChart(passes, dir, written);
        onewayChart(passes, dir, written);
        return written;
    }

    // --- latency by percentile ---------------------------------------------------------------------------------------

    private static void percentileChart(Map<String, List<Result>> passes, String title, Map<String, String[]> series,
            Path dir, String file, List<String> written) throws IOException {
        NumberAxis nines = new NumberAxis("percentile");
        TickUnits units = new TickUnits();
        units.add(new NumberTickUnit(1, new NinesFormat()));
        nines.setStandardTickUnits(units);
        nines.setAutoRangeIncludesZero(true);
        CombinedDomainXYPlot combined = new CombinedDomainXYPlot(nines);
        boolean any = false;
        for (Map.Entry<String, List<Result>> pass : passes.entrySet()) {
            XYSeriesCollection data = new XYSeriesCollection();
            for (Map.Entry<String, String[]> s : series.entrySet()) {
                Optional<Result> r = Result.find(pass.getValue(), s.getValue()[0], s.getValue()[1]);
                if (r.isPresent() && r.get().histogram() != null) {
                    data.addSeries(percentileCurve(s.getKey(), r.get()));
                }
            }
            if (data.getSeriesCount() == 0) {
                continue;
            }
            any = true;
            combined.add(ChartStyle.xyPanel(data, pass.getKey() + ": latency (log)", false), 1);
        }
        if (any) {
            ChartStyle.save(combined, title, dir, file, written);
        }
    }

    /** The histogram's percentiles: x = log10(1 / (1 - p)), the last point the maximum at 1 - 1/count. */
    private static XYSeries percentileCurve(String name, Result r) {
        XYSeries curve = new XYSeries(name, false, true);
        long count = r.histogram().getTotalCount();
        double last = Math.log10(count);
        for (HistogramIterationValue v : r.histogram().percentiles(5)) {
            double p = v.getPercentileLevelIteratedTo() / 100.0;
            double x = p >= 1 ? last : Math.min(last, Math.log10(1 / (1 - p)));
            curve.add(x, v.getValueIteratedTo() / 1000.0);
        }
        curve.add(last, r.histogram().getMaxValue() / 1000.0);
        return curve;
    }


    // --- fan-out, large, one-way ---------------------------------------------------------------------------------------

    private static void fanoutChart(Map<String, List<Result>> passes, Path dir, List<String> written)
            throws IOException {
        LogAxis n = ChartStyle.logAxis("secondaries (or C children, gRPC servers)", 2, 2, new DecimalFormat("0"));
        CombinedDomainXYPlot combined = new CombinedDomainXYPlot(n);
        boolean any = false;
        for (Map.Entry<String, List<Result>> pass : passes.entrySet()) {
            List<Result> results = pass.getValue();
            XYSeriesCollection data = new XYSeriesCollection();
            Map<String, String> lines = new LinkedHashMap<>();
            lines.put("C stream", "c-stream");
            lines.put("gRPC", "grpc");
            lines.put("mpchannel", Report.MP);
            lines.put("mpchannel, one by one", Report.MP + "-seq");
            List<Boolean> dashed = new ArrayList<>();
            for (Map.Entry<String, String> line : lines.entrySet()) {
                XYSeries median = new XYSeries(line.getKey() + ", median");
                XYSeries p99 = new XYSeries(line.getKey() + ", p99");
                boolean seq = line.getValue().endsWith("-seq");
                String impl = seq ? Report.MP : line.getValue();
                for (Result r : results) {
                    boolean fan = seq ? r.workload().matches("fanout-seq-\\d+")
                            : r.workload().matches("fanout-\\d+") || r.workload().startsWith("scale-broadcast-");
                    if (r.impl().equals(impl) && fan && r.isLatency()) {
                        median.add(WorkloadRows.n(r.workload()), r.p50() / 1000.0);
                        p99.add(WorkloadRows.n(r.workload()), r.p99() / 1000.0);
                    }
                }
                if (median.getItemCount() > 0) {
                    data.addSeries(median);
                    dashed.add(false);
                    data.addSeries(p99);
                    dashed.add(true);
                }
            }
            if (data.getSeriesCount() == 0) {
                continue;
            }
            any = true;
            XYPlot panel = ChartStyle.xyPanel(data, pass.getKey() + ": time to the last answer (log)", true);
            XYLineAndShapeRenderer renderer = (XYLineAndShapeRenderer) panel.getRenderer();
            for (int i = 0; i < dashed.size(); i++) {
                String name = (String) data.getSeriesKey(i);
                renderer.setSeriesPaint(i, ChartStyle.colour(name.substring(0, name.lastIndexOf(',')), i));
                if (dashed.get(i)) {
                    renderer.setSeriesStroke(i, new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER,
                            10f, new float[] {6f, 4f}, 0f));
                }
            }
            combined.add(panel, 1);
        }
        if (any) {
            ChartStyle.save(combined, "A request to N secondaries: median (solid) and p99 (dashed)", dir, "fanout.png", written);
        }
    }

    private static void largeChart(Map<String, List<Result>> passes, Path dir, List<String> written)
            throws IOException {
        LogAxis size = ChartStyle.logAxis("parameter size, each way (log)", 2, 1, new UnitFormat(new String[] {"KiB", "MiB", "GiB"},
                1024));
        CombinedDomainXYPlot combined = new CombinedDomainXYPlot(size);
        boolean any = false;
        for (Map.Entry<String, List<Result>> pass : passes.entrySet()) {
            XYSeriesCollection data = new XYSeriesCollection();
            Map<String, String[]> lines = new LinkedHashMap<>();
            lines.put("C stream", new String[] {"c-stream", "rtt-"});
            lines.put("junixsocket", new String[] {"junixsocket", "rtt-"});
            lines.put("JDK SocketChannel", new String[] {"jdk", "rtt-"});
            lines.put("gRPC", new String[] {"grpc", "rtt-"});
            lines.put("mpchannel (shared memory over 64 KiB)", new String[] {Report.MP, "rtt-"});
            lines.put("mpchannel (through the socket)", new String[] {Report.MP, "rtt-socket-"});
            lines.put("C memcpy", new String[] {"c-memcpy", "memcpy-"});
            for (Map.Entry<String, String[]> line : lines.entrySet()) {
                XYSeries s = new XYSeries(line.getKey());
                for (Result r : pass.getValue()) {
                    String w = r.workload();
                    if (r.impl().equals(line.getValue()[0]) && w.startsWith(line.getValue()[1])
                            && w.substring(line.getValue()[1].length()).matches("\\d+") && WorkloadRows.n(w) > 1024) {
                        s.add(WorkloadRows.n(w) / 1024.0, r.p50() / 1000.0);
                    }
                }
                if (s.getItemCount() > 0) {
                    data.addSeries(s);
                }
            }
            if (data.getSeriesCount() == 0) {
                continue;
            }
            any = true;
            combined.add(ChartStyle.xyPanel(data, pass.getKey() + ": median round trip (log)", true), 1);
        }
        if (any) {
            ChartStyle.save(combined, "Large parameters: median round trip against size (memcpy: one copy)", dir, "large.png",
                    written);
        }
    }

    private static void onewayChart(Map<String, List<Result>> passes, Path dir, List<String> written)
            throws IOException {
        DefaultCategoryDataset data = new DefaultCategoryDataset();
        for (Map.Entry<String, List<Result>> pass : passes.entrySet()) {
            for (Result r : pass.getValue()) {
                if (r.isRate() && r.workload().startsWith("oneway-")) {
                    String name = Report.name(r.impl()) + (r.workload().contains("inline") ? " (inline sink)"
                            : r.impl().equals(Report.MP) ? " (pool)" : "");
                    data.addValue(r.p50() / 1e6, pass.getKey(), name);
                }
            }
        }
        if (data.getColumnCount() == 0) {
            return;
        }
        NumberAxis rate = new NumberAxis("million messages/s (median of the repetitions)");
        CategoryAxis impls = new CategoryAxis();
        impls.setCategoryLabelPositions(CategoryLabelPositions.UP_45);
        BarRenderer bars = new BarRenderer();
        bars.setBarPainter(new StandardBarPainter());
        bars.setShadowVisible(false);
        bars.setSeriesPaint(0, new Color(0x1f, 0x77, 0xb4));
        bars.setSeriesPaint(1, new Color(0xff, 0x7f, 0x0e));
        CategoryPlot plot = new CategoryPlot(data, impls, rate, bars);
        plot.setOrientation(PlotOrientation.VERTICAL);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        JFreeChart chart = new JFreeChart("One-way send, 64 B: messages/s", ChartStyle.TITLE, plot, true);
        chart.setBackgroundPaint(Color.WHITE);
        ChartUtils.saveChartAsPNG(dir.resolve("oneway.png").toFile(), chart, ChartStyle.WIDTH, 520);
        written.add("oneway.png");
    }

}
