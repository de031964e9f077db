package dev.mpchannel.webconsole;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Which servlets the tab is registered as, from what is wired and which console is installed. */
class ConsolePluginTest {
    @Test
    void jakartaWhenWiredJavaxOnlyWhereNoWebConsoleFiveWouldTakeItAsASecondPlugin() {
        assertEquals(List.of("jakarta.servlet"), ConsolePlugin.servletApis(true, true, true));
        assertEquals(List.of("jakarta.servlet", "javax.servlet"), ConsolePlugin.servletApis(true, true, false));
        assertEquals(List.of("javax.servlet"), ConsolePlugin.servletApis(false, true, false));
        assertEquals(List.of(), ConsolePlugin.servletApis(false, false, false));
    }

    @Test
    void withoutATabTheLogSaysWhichApiIsMissingAndToRefresh() {
        // Web Console 5 there, this bundle resolved when only javax.servlet was
        assertEquals(List.of(), ConsolePlugin.servletApis(false, true, true));
        String late = ConsolePlugin.whyNoTab(false, true);
        assertTrue(late.contains("Web Console 5 takes Jakarta servlets") && late.endsWith("refresh this bundle"), late);
        String none = ConsolePlugin.whyNoTab(false, false);
        assertTrue(none.contains("neither jakarta.servlet nor javax.servlet is wired"), none);
    }
}
