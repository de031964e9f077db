package dev.mpchannel.bench.harness;

import java.util.Locale;

/** How a figure reads in the table: a value in its unit, median / p99, and the ratio of two figures. */
final class Cells {
    private Cells() {
    }

    /** Median / p99, or one value when there is only one (or both read the same). */
    static String cell(Result r) {
        String p50 = value(r.p50(), r.unit());
        String p99 = value(r.p99(), r.unit());
        return r.samples() <= 1 || p50.equals(p99) ? p50 : p50 + " / " + p99;
    }

    /** mpchannel ÷ a baseline, for the median and (when both have a spread) the p99. */
    static String ratioCell(Result mp, Result base) {
        String p50 = String.format(Locale.ROOT, "%.2f", mp.p50() / base.p50());
        if (mp.samples() <= 1 || base.samples() <= 1) {
            return p50;
        }
        return p50 + " / " + String.format(Locale.ROOT, "%.2f", mp.p99() / base.p99());
    }

    static String value(double v, String unit) {
        return switch (unit) {
            case "ns" -> v >= 1e6 ? String.format(Locale.ROOT, "%.2f ms", v / 1e6)
                    : String.format(Locale.ROOT, "%.1f µs", v / 1e3);
            case "msg/s" -> v >= 1e6 ? String.format(Locale.ROOT, "%.2f M/s", v / 1e6)
                    : String.format(Locale.ROOT, "%.0f k/s", v / 1e3);
            case "B" -> Math.abs(v) >= 1024 ? String.format(Locale.ROOT, "%.1f KiB", v / 1024)
                    : String.format(Locale.ROOT, "%.0f B", v);
            default -> String.format(Locale.ROOT, "%.2f", v);
        };
    }
}
