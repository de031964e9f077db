package dev.mpchannel.transport.channel.action;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mpchannel.api.Action;
import dev.mpchannel.api.Message;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Action services as Declarative Services hands them over: a name property that may be missing or malformed. */
class ActionRegistryTest {
    private static final Action ECHO = context -> context.message();

    @Test
    void aServiceWithoutANameIsNeverBoundEvenWhenEverythingIsAllowed() {
        ActionRegistry registry = new ActionRegistry(Whitelist.of("*"));
        Map<String, Object> properties = Map.of("mp.action", "demo.echo", "service.id", 42L,
                "component.name", "demo.Typo");
        assertEquals(ActionRegistry.Binding.REFUSED, registry.bindService(ECHO, properties));
        assertEquals(Optional.empty(), registry.lookup("null"), "bound under the name 'null'");
        assertEquals(Set.of(), registry.boundNames());
        assertFalse(registry.refusedNames().contains("null"), "'null' shown among the refused");
        registry.unbindService(ECHO, properties); // harmless
    }

    @Test
    void aNameThatIsNotAStringIsRefused() {
        ActionRegistry registry = new ActionRegistry(Whitelist.of("*"));
        assertEquals(ActionRegistry.Binding.REFUSED, registry.bindService(ECHO, Map.of(Action.NAME, 42)));
        assertEquals(ActionRegistry.Binding.REFUSED,
                registry.bindService(ECHO, Map.of(Action.NAME, new String[] {"a", "b"})));
        assertEquals(Optional.empty(), registry.lookup("42"), "bound under the name '42'");
        assertEquals(Set.of(), registry.boundNames());
        assertFalse(registry.refusedNames().contains("42"));
    }

    @Test
    void emptyTooLongAndInvalidNamesAreRefused() {
        ActionRegistry registry = new ActionRegistry(Whitelist.of("*"));
        assertEquals(ActionRegistry.Binding.REFUSED, registry.bindService(ECHO, Map.of(Action.NAME, "")));
        assertEquals(ActionRegistry.Binding.REFUSED,
                registry.bindService(ECHO, Map.of(Action.NAME, "x".repeat(Message.MAX_NAME_BYTES + 1))));
        assertEquals(ActionRegistry.Binding.REFUSED, registry.bindService(ECHO, Map.of(Action.NAME, "\uD800")));
        assertEquals(Set.of(), registry.boundNames());
    }

    @Test
    void theRefusalNamesTheChannelTheBundleAndTheService() {
        ActionRegistry registry = new ActionRegistry("vswitch", Whitelist.of("*"));
        ActionProvider provider = ActionProvider.of(Map.of("service.id", 42L, "service.bundleid", 7L,
                "component.name", "demo.Typo", "component.id", 3L), "demo.bundle");
        assertEquals("channel 'vswitch': action service 42 (bundle demo.bundle, component demo.Typo) is not bound: "
                + "it has no mp.action.name; give it the service property mp.action.name=NAME (1..64 bytes of "
                + "UTF-8)", registry.refusal(provider, ActionRegistry.invalidName(null)));
        assertEquals("its mp.action.name is of type Integer, not String", ActionRegistry.invalidName(42));
        assertEquals("its mp.action.name='' is not a valid action name (action name is empty)",
                ActionRegistry.invalidName(""));
    }

    @Test
    void aNamedServiceIsStillBoundWithAWildcard() {
        ActionRegistry registry = new ActionRegistry(Whitelist.of("*"));
        assertEquals(ActionRegistry.Binding.BOUND, registry.bindService(ECHO, Map.of(Action.NAME, "demo.echo")));
        assertEquals(Optional.of(ECHO), registry.lookup("demo.echo"));
        registry.unbindService(ECHO, Map.of(Action.NAME, "demo.echo"));
        assertTrue(registry.boundNames().isEmpty());
    }
}
