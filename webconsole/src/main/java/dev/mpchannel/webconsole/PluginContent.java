package dev.mpchannel.webconsole;

import dev.mpchannel.transport.channel.ConfiguredChannel;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.Map;
import java.util.function.Supplier;
import org.osgi.framework.BundleContext;

/**
 * What the tab answers, whatever the servlet API: the page (a fragment the console puts into its frame), its script
 * and style sheet from this bundle (no resource from elsewhere), and the two JSON documents the script polls. Paths
 * are the console's path info, {@code /mpchannel} then the resource's name; a name with a dot is served as it is by
 * both console lines, without the frame.
 */
final class PluginContent {
    /** Set by both console lines: the tab's own root URL, e.g. {@code /system/console/mpchannel}. */
    static final String PLUGIN_ROOT_ATTRIBUTE = "felix.webconsole.pluginRoot";

    private static final Map<String, String> NO_CACHE = Map.of("Cache-Control", "no-store",
            "X-Content-Type-Options", "nosniff");

    /** One answer: its HTTP status, content type, headers beyond the type, and body. */
    record Answer(int status, String contentType, Map<String, String> headers, String body) {
    }

    private final Supplier<Collection<ConfiguredChannel>> launches;
    private final BundleContext context;
    private final String page = resource("page.html");
    private final String script = resource("mpchannel.js");
    private final String style = resource("mpchannel.css");

    PluginContent(Supplier<Collection<ConfiguredChannel>> launches, BundleContext context) {
        this.launches = launches;
        this.context = context;
    }

    /**
     * The answer for {@code pathInfo}.
     *
     * @param pluginRoot the tab's URL as the console gives it; it prefixes the page's links
     */
    Answer get(String pathInfo, String pluginRoot) {
        String path = pathInfo == null ? "" : pathInfo;
        String prefix = "/" + ConsolePlugin.LABEL;
        String name = path.startsWith(prefix) ? path.substring(prefix.length()) : path;
        return switch (name) {
            case "", "/" -> new Answer(200, "text/html", Map.of(), page.replace("${pluginRoot}",
                    HtmlText.attribute(pluginRoot)));
            case "/status.json" -> new Answer(200, "application/json", NO_CACHE,
                    StatusJson.of(launches.get(), System.currentTimeMillis()));
            case "/health.json" -> new Answer(200, "application/json", NO_CACHE, HealthJson.of(context));
            case "/mpchannel.js" -> new Answer(200, "text/javascript", Map.of("X-Content-Type-Options", "nosniff"),
                    script);
            case "/mpchannel.css" -> new Answer(200, "text/css", Map.of("X-Content-Type-Options", "nosniff"), style);
            default -> new Answer(404, "text/plain", NO_CACHE, "not found: this tab serves " + prefix + ", "
                    + prefix + "/status.json, " + prefix + "/health.json, its script and style sheet\n");
        };
    }

    private static String resource(String name) {
        try (InputStream in = PluginContent.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("resource " + name + " is missing from the bundle");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
