package dev.mpchannel.bench.harness;

import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.text.FieldPosition;
import java.text.NumberFormat;
import java.text.ParsePosition;
import java.util.Locale;

/** A value in the smallest of some units that keeps it at or above 1: 0.5 µs, 20 µs, 3 ms; 64 KiB, 16 MiB. */
final class UnitFormat extends NumberFormat {
    private static final long serialVersionUID = 1L;
    private final String[] units;
    private final double factor;

    UnitFormat(String[] units, double factor) {
        this.units = units;
        this.factor = factor;
    }

    @Override
    public StringBuffer format(double number, StringBuffer to, FieldPosition pos) {
        int unit = 0;
        while (unit < units.length - 1 && Math.abs(number) >= factor * 0.999) {
            number /= factor;
            unit++;
        }
        DecimalFormat digits = new DecimalFormat("0.##", DecimalFormatSymbols.getInstance(Locale.ROOT));
        return to.append(digits.format(number)).append(' ').append(units[unit]);
    }

    @Override
    public StringBuffer format(long number, StringBuffer to, FieldPosition pos) {
        return format((double) number, to, pos);
    }

    @Override
    public Number parse(String source, ParsePosition pos) {
        throw new UnsupportedOperationException();
    }
}
