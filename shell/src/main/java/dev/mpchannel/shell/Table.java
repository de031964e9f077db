package dev.mpchannel.shell;

import dev.mpchannel.transport.text.Printable;
import java.util.ArrayList;
import java.util.List;

/**
 * A plain-text table with columns as wide as their widest cell, for shell output. Every cell is escaped
 * ({@link Printable}): a cell may hold a name or a text from a peer, and a newline or an escape sequence in it would
 * forge a row or act on the operator's terminal.
 */
final class Table {
    private final List<String[]> rows = new ArrayList<>();

    Table(String... header) {
        rows.add(header);
    }

    Table row(Object... cells) {
        String[] text = new String[cells.length];
        for (int i = 0; i < cells.length; i++) {
            text[i] = Printable.escape(String.valueOf(cells[i]));
        }
        rows.add(text);
        return this;
    }

    @Override
    public String toString() {
        int columns = rows.get(0).length;
        int[] widths = new int[columns];
        for (String[] row : rows) {
            for (int i = 0; i < columns; i++) {
                widths[i] = Math.max(widths[i], row[i].length());
            }
        }
        StringBuilder out = new StringBuilder();
        for (String[] row : rows) {
            for (int i = 0; i < columns; i++) {
                out.append(i == columns - 1 ? row[i] : String.format("%-" + widths[i] + "s  ", row[i]));
            }
            out.append('\n');
        }
        return out.toString();
    }
}
