package dev.mpchannel.bench.harness;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Paint;
import java.io.IOException;
import java.nio.file.Path;
import java.text.NumberFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.LegendItem;
import org.jfree.chart.LegendItemCollection;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberTickUnit;
import org.jfree.chart.plot.CombinedDomainXYPlot;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.title.TextTitle;
import org.jfree.data.xy.XYSeriesCollection;

/** How the charts look: size, fonts, one colour per series in every chart, panels, axes, the legend and the PNG. */
final class ChartStyle {
    static final int WIDTH = 1000;
    static final int PANEL_HEIGHT = 380;
    static final Font TITLE = new Font(Font.SANS_SERIF, Font.BOLD, 16);

    /** A fixed colour per series, the same in every chart. */
    static final Map<String, Color> COLOURS = new LinkedHashMap<>();

    static {
        COLOURS.put("C stream", new Color(0x00, 0x00, 0x00));
        COLOURS.put("C seqpacket", new Color(0x80, 0x80, 0x80));
        COLOURS.put("junixsocket", new Color(0x1f, 0x77, 0xb4));
        COLOURS.put("JDK SocketChannel", new Color(0x17, 0xbe, 0xcf));
        COLOURS.put("gRPC", new Color(0xff, 0x7f, 0x0e));
        COLOURS.put("mpchannel", new Color(0xd6, 0x27, 0x28));
        COLOURS.put("mpchannel (ordinary action)", new Color(0xd6, 0x27, 0x28));
        COLOURS.put("mpchannel (ordinary, on the action threads)", new Color(0x8c, 0x56, 0x4b));
        COLOURS.put("mpchannel (inline action)", new Color(0x94, 0x67, 0xbd));
        COLOURS.put("mpchannel (shared memory over 64 KiB)", new Color(0xd6, 0x27, 0x28));
        COLOURS.put("mpchannel (through the socket)", new Color(0x94, 0x67, 0xbd));
        COLOURS.put("mpchannel, one by one", new Color(0x8c, 0x56, 0x4b));
        COLOURS.put("C memcpy", new Color(0x2c, 0xa0, 0x2c));
        COLOURS.put("DPDK primary → DPDK secondary", new Color(0x2c, 0xa0, 0x2c));
        COLOURS.put("DPDK secondary → DPDK primary", new Color(0xbc, 0xbd, 0x22));
        COLOURS.put("DPDK primary → Java (pool)", new Color(0xd6, 0x27, 0x28));
        COLOURS.put("DPDK primary → Java (inline)", new Color(0x94, 0x67, 0xbd));
        COLOURS.put("Java → DPDK primary", new Color(0xe3, 0x77, 0xc2));
    }

    private ChartStyle() {
    }

    static XYPlot xyPanel(XYSeriesCollection data, String rangeLabel, boolean shapes) {
        LogAxis latency = logAxis(rangeLabel, 10, 1, new UnitFormat(new String[] {"µs", "ms", "s"}, 1000));
        latency.setSmallestValue(0.1);
        latency.setMinorTickCount(10);
        latency.setMinorTickMarksVisible(true);
        XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, shapes);
        for (int i = 0; i < data.getSeriesCount(); i++) {
            renderer.setSeriesPaint(i, colour((String) data.getSeriesKey(i), i));
            renderer.setSeriesStroke(i, new BasicStroke(2f));
        }
        XYPlot plot = new XYPlot(data, null, latency, renderer);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        return plot;
    }

    /** A logarithmic axis with a tick at every {@code step}-th power of {@code base}. */
    static LogAxis logAxis(String label, double base, double step, NumberFormat format) {
        LogAxis axis = new LogAxis(label);
        axis.setBase(base);
        axis.setAutoTickUnitSelection(false);
        axis.setTickUnit(new NumberTickUnit(step));
        axis.setNumberFormatOverride(format);
        return axis;
    }

    static Paint colour(String name, int index) {
        Color c = COLOURS.get(name);
        if (c != null) {
            return c;
        }
        Color[] spare = {Color.BLUE, Color.GREEN.darker(), Color.MAGENTA, Color.ORANGE.darker(), Color.CYAN.darker()};
        return spare[index % spare.length];
    }

    @SuppressWarnings("unchecked")
    static List<XYPlot> subplots(CombinedDomainXYPlot combined) {
        return (List<XYPlot>) (List<?>) combined.getSubplots();
    }

    /** One legend for all panels (each series once), the chart, the PNG. */
    static void save(CombinedDomainXYPlot combined, String title, Path dir, String file, List<String> written)
            throws IOException {
        combined.setGap(12);
        LegendItemCollection legend = new LegendItemCollection();
        Set<String> seen = new LinkedHashSet<>();
        for (XYPlot panel : subplots(combined)) {
            LegendItemCollection items = panel.getLegendItems();
            for (int i = 0; i < items.getItemCount(); i++) {
                LegendItem item = items.get(i);
                if (seen.add(item.getLabel())) {
                    legend.add(item);
                }
            }
        }
        combined.setFixedLegendItems(legend);
        JFreeChart chart = new JFreeChart(title, TITLE, combined, true);
        chart.setBackgroundPaint(Color.WHITE);
        chart.addSubtitle(new TextTitle(String.format(Locale.ROOT, "panels: %s",
                String.join(", ", subplots(combined).stream().map(p -> p.getRangeAxis().getLabel()
                        .split(":")[0]).toList()))));
        int height = 120 + PANEL_HEIGHT * subplots(combined).size();
        ChartUtils.saveChartAsPNG(dir.resolve(file).toFile(), chart, WIDTH, height);
        written.add(file);
    }
}
