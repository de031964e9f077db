package dev.mpchannel.bench.harness;

import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.text.FieldPosition;
import java.text.NumberFormat;
import java.text.ParsePosition;
import java.util.Locale;

/** 0 → "0%", 1 → "90%", 2 → "99%", 3 → "99.9%", ...: the nines scale's ticks. */
final class NinesFormat extends NumberFormat {
    private static final long serialVersionUID = 1L;

    @Override
    public StringBuffer format(double number, StringBuffer to, FieldPosition pos) {
        if (number <= 0) {
            return to.append("0%");
        }
        DecimalFormat percent = new DecimalFormat("0.#####", DecimalFormatSymbols.getInstance(Locale.ROOT));
        return to.append(percent.format(100 * (1 - Math.pow(10, -number)))).append('%');
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
