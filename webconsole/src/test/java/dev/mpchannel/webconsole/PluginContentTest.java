package dev.mpchannel.webconsole;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The tab's routes, as both servlet flavours pass them on. */
class PluginContentTest {
    private final PluginContent content = new PluginContent(List::of, null);

    @Test
    void thePageLinksItsOwnScriptAndStyleUnderThePluginRoot() {
        PluginContent.Answer page = content.get("/mpchannel", "/system/console/mpchannel");
        assertEquals(200, page.status());
        assertEquals("text/html", page.contentType());
        assertTrue(page.body().contains("src=\"/system/console/mpchannel/mpchannel.js\""), page.body());
        assertTrue(page.body().contains("href=\"/system/console/mpchannel/mpchannel.css\""), page.body());
        assertFalse(page.body().contains("http"), "nothing from another origin: " + page.body());
    }

    @Test
    void thePluginRootIsEscapedInTheMarkup() {
        String body = content.get("/mpchannel/", "/c\"><script>x</script>/mpchannel").body();
        assertFalse(body.contains("<script>x"), body);
        assertTrue(body.contains("/c&quot;&gt;&lt;script&gt;x&lt;/script&gt;/mpchannel/mpchannel.js"), body);
    }

    @Test
    void servesTheScriptTheStyleAndTheStatus() {
        assertEquals("text/javascript", content.get("/mpchannel/mpchannel.js", "/r").contentType());
        assertEquals("text/css", content.get("/mpchannel/mpchannel.css", "/r").contentType());
        PluginContent.Answer status = content.get("/mpchannel/status.json", "/r");
        assertEquals("application/json", status.contentType());
        assertEquals("no-store", status.headers().get("Cache-Control"));
        assertTrue(status.body().endsWith(",\"channels\":[]}"), status.body());
    }

    @Test
    void anythingElseIsNotFound() {
        assertEquals(404, content.get("/mpchannel/../etc/passwd", "/r").status());
        assertEquals(404, content.get("/mpchannel/page.html", "/r").status());
    }
}
