package dev.mpchannel.itests.webconsole;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * A browser showing the tab: headless Chromium through Selenium, or HtmlUnit. The test reads what the page shows
 * through {@link #snapshot(String)}, one script run in the page, so that it sees one consistent state although the
 * page redraws itself every second.
 */
interface TabBrowser extends AutoCloseable {
    /**
     * A script (an expression) that returns what the page shows of one channel, as lines {@code key=value}:
     * {@code fact.KEY} for each line of the channel's table, {@code peers} (the pids of the peer rows, comma
     * separated), {@code peer.PID} (the pid cell's text), {@code action.NAME.KEY} for the action table's cells and
     * {@code health} (the verdict shown) and {@code findings} (its lines, as one). Empty while the channel is not on
     * the page.
     */
    String SNAPSHOT = """
            (function (name) {
                var section = null, all = document.querySelectorAll('div.mpchannel-channel');
                for (var i = 0; i < all.length; i++) {
                    if (all[i].getAttribute('data-channel') === name) { section = all[i]; }
                }
                if (!section) { return ''; }
                var out = [], cells, j;
                cells = section.querySelectorAll('table.mpchannel-facts td[data-key]');
                for (j = 0; j < cells.length; j++) {
                    out.push('fact.' + cells[j].getAttribute('data-key') + '=' + cells[j].textContent);
                }
                var rows = section.querySelectorAll('tr[data-peer-pid]'), pids = [];
                for (j = 0; j < rows.length; j++) {
                    var pid = rows[j].getAttribute('data-peer-pid');
                    pids.push(pid);
                    out.push('peer.' + pid + '=' + rows[j].querySelector('td[data-key=pid]').textContent);
                }
                out.push('peers=' + pids.join(','));
                rows = section.querySelectorAll('tr[data-action]');
                for (j = 0; j < rows.length; j++) {
                    cells = rows[j].querySelectorAll('td[data-key]');
                    for (var k = 0; k < cells.length; k++) {
                        out.push('action.' + rows[j].getAttribute('data-action') + '.'
                            + cells[k].getAttribute('data-key') + '=' + cells[k].textContent);
                    }
                }
                var health = section.querySelector('[data-health]');
                out.push('health=' + (health ? health.getAttribute('data-health') : ''));
                var findings = section.querySelector('ul[data-findings]');
                out.push('findings=' + (findings ? findings.textContent.replace(/\\s+/g, ' ') : ''));
                return out.join('\\n');
            })(%s)""";

    /** Opens {@code url} with HTTP basic authentication. */
    void open(String url, String user, String password) throws Exception;

    /** The text the snapshot script returned for {@code channel}. */
    String run(String script);

    /** Saves what the browser shows as PNG; false if this browser cannot. */
    boolean screenshot(Path file) throws Exception;

    /** Which browser this is, for the test's output. */
    String name();

    /** What the page shows of {@code channel} (see {@link #SNAPSHOT}); empty while it is not there. */
    default Map<String, String> snapshot(String channel) {
        String text = run(String.format(SNAPSHOT, "'" + channel.replace("\\", "\\\\").replace("'", "\\'") + "'"));
        Map<String, String> shown = new HashMap<>();
        if (text != null) {
            for (String line : text.split("\n")) {
                int eq = line.indexOf('=');
                if (eq > 0) {
                    shown.put(line.substring(0, eq), line.substring(eq + 1));
                }
            }
        }
        return shown;
    }
}
