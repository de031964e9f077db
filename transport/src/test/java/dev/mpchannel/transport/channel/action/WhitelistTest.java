package dev.mpchannel.transport.channel.action;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mpchannel.api.Action;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class WhitelistTest {
    @Test
    void namesAndGlobsMatchWholeNamesOnly() {
        Whitelist whitelist = Whitelist.of("vdev.attach, mem.*", "eal.?");
        assertTrue(whitelist.allows("vdev.attach"));
        assertFalse(whitelist.allows("vdev.attach2"), "no prefix match, unlike the RFC's strncmp");
        assertFalse(whitelist.allows("vdev.atta"));
        assertTrue(whitelist.allows("mem.alloc"));
        assertTrue(whitelist.allows("eal.x"));
        assertFalse(whitelist.allows("eal.xy"));
        assertFalse(whitelist.allows("memXalloc"), "the dot is literal");
    }

    @Test
    void emptyAllowsNothing() {
        assertFalse(Whitelist.of().allows("anything"));
        assertFalse(Whitelist.of("").allows("anything"));
    }

    @Test
    void aDuplicateNameWaitsInLineAndTakesOver() {
        ActionRegistry registry = new ActionRegistry(Whitelist.of("*"));
        Action first = context -> context.message();
        Action second = context -> null;
        assertEquals(ActionRegistry.Binding.BOUND, registry.bind("a", first, false));
        assertEquals(ActionRegistry.Binding.QUEUED, registry.bind("a", second, false));
        assertEquals(Optional.of(first), registry.lookup("a"));
        registry.unbind("a", first);
        assertEquals(Optional.of(second), registry.lookup("a"));
        registry.unbind("a", second);
        assertEquals(Optional.empty(), registry.lookup("a"));
        registry.unbind("never-bound", first); // harmless, unlike the RFC's NULL dereference
    }

    @Test
    void invalidNamesAreRefused() {
        ActionRegistry registry = new ActionRegistry(Whitelist.of("*"));
        assertEquals(ActionRegistry.Binding.REFUSED, registry.bind("x".repeat(65), context -> context.message(), false));
        assertEquals(ActionRegistry.Binding.REFUSED, registry.bind(null, context -> context.message(), false));
    }
}
