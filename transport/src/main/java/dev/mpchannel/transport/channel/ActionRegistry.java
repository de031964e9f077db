package dev.mpchannel.transport.channel;

import dev.mpchannel.api.Action;
import dev.mpchannel.api.Message;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The actions this side can run, by name. Only names on the whitelist are bound. When two services carry the same
 * name, the first one bound serves and the other waits in line: it takes over when the first goes away, so a
 * duplicate never leaks and an unregister never loses a name that still has a provider.
 */
public final class ActionRegistry {
    private static final Logger LOG = LoggerFactory.getLogger(ActionRegistry.class);

    /** What became of a service offered to the registry. */
    public enum Binding {
        /** The action now answers its name. */
        BOUND,
        /** Another service already answers that name; this one waits in line. */
        QUEUED,
        /** The name is not on the whitelist, or not a valid action name. */
        REFUSED
    }

    private final Whitelist whitelist;
    private final Map<String, List<Action>> byName = new TreeMap<>();
    private final Set<String> refused = new TreeSet<>();
    private final Set<Action> inline = Collections.newSetFromMap(new IdentityHashMap<>());
    // What every frame looks up, read without the lock: rebuilt under it whenever a service comes or goes.
    private volatile Map<String, Action> serving = Map.of();
    private volatile Set<Action> servingInline = Set.of();

    public ActionRegistry(Whitelist whitelist) {
        this.whitelist = whitelist;
    }

    /**
     * Offers an action service, named by its {@value Action#NAME} property, and logs what became of it; a refusal
     * names the configuration key that would allow it. For the components' dynamic reference bind methods.
     */
    public Binding bindService(Action action, Map<String, ?> properties) {
        String name = nameOf(properties);
        Binding binding = bind(name, action, isTrue(properties.get(Action.INLINE)));
        switch (binding) {
            case BOUND -> LOG.info("action '{}' bound", name);
            case QUEUED -> LOG.warn("action '{}' is already bound to another service; this one waits until that one "
                    + "goes away", name);
            case REFUSED -> LOG.warn(refusal(name));
        }
        return binding;
    }

    /** Withdraws an action service when it goes away. */
    public void unbindService(Action action, Map<String, ?> properties) {
        String name = nameOf(properties);
        boolean wasServing = lookup(name).filter(bound -> bound == action).isPresent();
        unbind(name, action);
        if (wasServing) {
            LOG.info("action '{}' unbound{}", name, lookup(name).isPresent() ? "; the next service in line serves it" : "");
        }
    }

    private static boolean isTrue(Object value) {
        return value instanceof Boolean b ? b : value != null && Boolean.parseBoolean(value.toString());
    }

    private static String nameOf(Map<String, ?> properties) {
        Object name = properties.get(Action.NAME);
        return name instanceof String text ? text : String.valueOf(name);
    }

    /** Binds an action; {@code inline} if it declared itself quick and non-blocking ({@value Action#INLINE}). */
    public synchronized Binding bind(String name, Action action, boolean inline) {
        if (inline) {
            this.inline.add(action);
        }
        if (!isValidName(name) || !whitelist.allows(name)) {
            refused.add(String.valueOf(name));
            return Binding.REFUSED;
        }
        List<Action> providers = byName.computeIfAbsent(name, n -> new ArrayList<>());
        providers.add(action);
        publish();
        return providers.size() == 1 ? Binding.BOUND : Binding.QUEUED;
    }

    /** Removes the service; its name stops answering at once unless another service waits in line for it. */
    public synchronized void unbind(String name, Action action) {
        inline.remove(action);
        List<Action> providers = byName.get(name);
        if (providers != null && providers.remove(action) && providers.isEmpty()) {
            byName.remove(name);
        }
        if (providers == null) {
            refused.remove(String.valueOf(name));
        }
        publish();
    }

    /** Rebuilds what lookups read, after a change (under the lock). */
    private void publish() {
        Map<String, Action> first = new HashMap<>();
        byName.forEach((name, providers) -> first.put(name, providers.get(0)));
        Set<Action> quick = Collections.newSetFromMap(new IdentityHashMap<>());
        quick.addAll(inline);
        serving = first;
        servingInline = quick;
    }

    /** The action that answers this name, if any. */
    public Optional<Action> lookup(String name) {
        return Optional.ofNullable(serving.get(name));
    }

    /** Whether this action may run on the reading thread ({@value Action#INLINE}). */
    public boolean isInline(Action action) {
        return servingInline.contains(action);
    }

    /** Why a message for this name found no action, in words for the peer that sent it. */
    public synchronized String whyNot(String name) {
        if (!whitelist.allows(name)) {
            return "action '" + name + "' is not on the whitelist (" + Whitelist.KEY + ")";
        }
        return "no action '" + name + "' is registered";
    }

    /** What a refused service's name needs, for the log. */
    public String refusal(String name) {
        if (!isValidName(name)) {
            return "action service with " + Action.NAME + "='" + name + "' is not bound: a name is 1.."
                    + Message.MAX_NAME_BYTES + " bytes of UTF-8";
        }
        return "action '" + name + "' is not bound: it is not on the whitelist; add it (or a glob matching it) to "
                + Whitelist.KEY + " in the channel configuration (now: " + whitelist + ")";
    }

    public synchronized Set<String> boundNames() {
        return Set.copyOf(byName.keySet());
    }

    public synchronized Set<String> refusedNames() {
        return Set.copyOf(refused);
    }

    private static boolean isValidName(String name) {
        try {
            Message.checkName(name);
            return true;
        } catch (IllegalArgumentException | NullPointerException e) {
            return false;
        }
    }
}
