package dev.mpchannel.transport.channel.action;

import dev.mpchannel.api.Action;
import dev.mpchannel.api.Message;
import dev.mpchannel.transport.text.Printable;
import dev.mpchannel.transport.wire.ControlMessages;
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
import org.osgi.service.component.ComponentServiceObjects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The actions this side can run, by name. Only services whose {@value Action#NAME} is a valid action name on the
 * whitelist are bound; one without a name, or with a name that is not a String, is refused whatever the whitelist
 * says. When two services carry the same name, the first one bound serves and the other waits in line: it takes over
 * when the first goes away, so a duplicate never leaks and an unregister never loses a name that still has a
 * provider. Every bind, unbind and refusal is logged with the channel's name.
 */
public final class ActionRegistry {
    private static final Logger LOG = LoggerFactory.getLogger(ActionRegistry.class);

    /** What became of a service offered to the registry. */
    public enum Binding {
        /** The action now answers its name. */
        BOUND,
        /** Another service already answers that name; this one waits in line. */
        QUEUED,
        /** The name is missing, not a valid action name, or not on the whitelist. */
        REFUSED
    }

    private final String channel;
    private final Whitelist whitelist;
    private final Map<String, List<Action>> byName = new TreeMap<>();
    private final Set<String> refused = new TreeSet<>();
    private final Set<Action> inline = Collections.newSetFromMap(new IdentityHashMap<>());
    private final Set<Action> scopedParams = Collections.newSetFromMap(new IdentityHashMap<>());
    // The action bound for each reference handed to bindService, so that its unbind finds it.
    private final Map<Object, Action> byService = new IdentityHashMap<>();
    // What every frame looks up, read without the lock: rebuilt under it whenever a service comes or goes.
    private volatile Map<String, Action> serving = Map.of();
    private volatile Set<Action> servingInline = Set.of();
    private volatile Set<Action> servingScopedParams = Set.of();

    /** A registry of a channel without a name (tests, local use); its log lines say {@code channel '-'}. */
    public ActionRegistry(Whitelist whitelist) {
        this("-", whitelist);
    }

    /** @param channel the channel's name, its prefix, for the log */
    public ActionRegistry(String channel, Whitelist whitelist) {
        this.channel = channel;
        this.whitelist = whitelist;
    }

    /**
     * Offers an action service by its reference, for the components' dynamic reference bind methods: the service
     * object is fetched on the action's first message, never while Declarative Services binds it (see
     * {@link DeferredAction}). Logs what became of it.
     *
     * @param bundle the symbolic name of the bundle that registered the service, for the log ({@code null} if not
     *               known)
     */
    public Binding bindService(ComponentServiceObjects<Action> service, String bundle, Map<String, ?> properties) {
        return offer(service, new DeferredAction(service), properties, ActionProvider.of(properties, bundle));
    }

    /** Withdraws an action service offered by its reference. */
    public void unbindService(ComponentServiceObjects<Action> service, Map<String, ?> properties) {
        withdraw(service, properties);
    }

    /**
     * Offers an action object with its service properties, and logs what became of it; a refusal names what to fix.
     */
    public Binding bindService(Action action, Map<String, ?> properties) {
        return offer(action, action, properties, ActionProvider.of(properties, null));
    }

    /** Withdraws an action object when it goes away. */
    public void unbindService(Action action, Map<String, ?> properties) {
        withdraw(action, properties);
    }

    private Binding offer(Object key, Action action, Map<String, ?> properties, ActionProvider provider) {
        Object name = properties.get(Action.NAME);
        String invalid = invalidName(name);
        if (invalid != null) {
            LOG.warn("{}", refusal(provider, invalid));
            return Binding.REFUSED;
        }
        String text = (String) name;
        Binding binding;
        synchronized (this) {
            binding = bind(text, action, isTrue(properties.get(Action.INLINE)),
                    isTrue(properties.get(Action.SCOPED_PARAMS)));
            if (binding != Binding.REFUSED) {
                byService.put(key, action);
            }
        }
        switch (binding) {
            case BOUND -> LOG.info("channel '{}': action '{}' bound", channel, Printable.escape(text));
            case QUEUED -> LOG.warn("channel '{}': action '{}' is already bound to another service; {} waits until "
                    + "that one goes away", channel, Printable.escape(text), provider);
            case REFUSED -> LOG.warn("{}", refusal(text));
        }
        return binding;
    }

    private void withdraw(Object key, Map<String, ?> properties) {
        if (!(properties.get(Action.NAME) instanceof String name)) {
            return; // never bound, never listed among the refused
        }
        boolean wasServing;
        boolean stillServed;
        synchronized (this) {
            Action action = byService.remove(key);
            if (action == null) {
                refused.remove(name);
                return;
            }
            wasServing = lookup(name).filter(bound -> bound == action).isPresent();
            unbind(name, action);
            stillServed = lookup(name).isPresent();
        }
        if (wasServing) {
            LOG.info("channel '{}': action '{}' unbound{}", channel, Printable.escape(name),
                    stillServed ? "; the next service in line serves it" : "");
        }
    }

    private static boolean isTrue(Object value) {
        return value instanceof Boolean b ? b : value != null && Boolean.parseBoolean(value.toString());
    }

    /** What is wrong with a service's name property, or {@code null} if it is a valid action name. */
    static String invalidName(Object name) {
        if (name == null) {
            return "it has no " + Action.NAME;
        }
        if (!(name instanceof String text)) {
            return "its " + Action.NAME + " is of type " + name.getClass().getSimpleName() + ", not String";
        }
        if (ControlMessages.isReserved(text)) {
            return "its " + Action.NAME + "='" + Printable.escape(text) + "' starts with '"
                    + ControlMessages.RESERVED_PREFIX + "', which the channel keeps for its own messages";
        }
        try {
            Message.checkName(text);
            return null;
        } catch (IllegalArgumentException e) {
            return "its " + Action.NAME + "='" + Printable.escape(text) + "' is not a valid action name ("
                    + Printable.escape(e.getMessage()) + ")";
        }
    }

    /** Binds an action; {@code inline} if it declared itself quick and non-blocking ({@value Action#INLINE}). */
    public synchronized Binding bind(String name, Action action, boolean inline) {
        return bind(name, action, inline, false);
    }

    /**
     * Binds an action; {@code inline} as above, {@code scopedParams} if it declared that it reads its message's
     * parameters only while it runs ({@value Action#SCOPED_PARAMS}).
     */
    public synchronized Binding bind(String name, Action action, boolean inline, boolean scopedParams) {
        if (!isValidName(name)) {
            return Binding.REFUSED;
        }
        if (!whitelist.allows(name)) {
            refused.add(name);
            return Binding.REFUSED;
        }
        if (inline) {
            this.inline.add(action);
        }
        if (scopedParams) {
            this.scopedParams.add(action);
        }
        List<Action> providers = byName.computeIfAbsent(name, n -> new ArrayList<>());
        providers.add(action);
        publish();
        return providers.size() == 1 ? Binding.BOUND : Binding.QUEUED;
    }

    /** Removes the service; its name stops answering at once unless another service waits in line for it. */
    public synchronized void unbind(String name, Action action) {
        inline.remove(action);
        scopedParams.remove(action);
        List<Action> providers = byName.get(name);
        if (providers != null && providers.remove(action) && providers.isEmpty()) {
            byName.remove(name);
        }
        if (providers == null && name != null) {
            refused.remove(name);
        }
        publish();
    }

    /** Rebuilds what lookups read, after a change (under the lock). */
    private void publish() {
        Map<String, Action> first = new HashMap<>();
        byName.forEach((name, providers) -> first.put(name, providers.get(0)));
        Set<Action> quick = Collections.newSetFromMap(new IdentityHashMap<>());
        quick.addAll(inline);
        Set<Action> scoped = Collections.newSetFromMap(new IdentityHashMap<>());
        scoped.addAll(scopedParams);
        serving = first;
        servingInline = quick;
        servingScopedParams = scoped;
    }

    /** The action that answers this name, if any. */
    public Optional<Action> lookup(String name) {
        return Optional.ofNullable(serving.get(name));
    }

    /** Whether this action may run on the reading thread ({@value Action#INLINE}). */
    public boolean isInline(Action action) {
        return servingInline.contains(action);
    }

    /** Whether this action reads its message's parameters only while it runs ({@value Action#SCOPED_PARAMS}). */
    public boolean hasScopedParams(Action action) {
        return servingScopedParams.contains(action);
    }

    /** Why a message for this name found no action, in words for the peer that sent it. */
    public synchronized String whyNot(String name) {
        if (!whitelist.allows(name)) {
            return "action '" + name + "' is not on the whitelist (" + Whitelist.KEY + ")";
        }
        return "no action '" + name + "' is registered";
    }

    /** What a service refused for its name property needs, for the log: the channel, who offers it, what to fix. */
    public String refusal(ActionProvider provider, String whatIsWrong) {
        return "channel '" + channel + "': " + provider + " is not bound: " + whatIsWrong + "; give it the service "
                + "property " + Action.NAME + "=NAME (1.." + Message.MAX_NAME_BYTES + " bytes of UTF-8)";
    }

    /** What a valid name refused by the whitelist needs, for the log. */
    public String refusal(String name) {
        return "channel '" + channel + "': action '" + Printable.escape(name) + "' is not bound: it is not on the "
                + "whitelist; add it (or a glob matching it) to " + Whitelist.KEY + " in the channel configuration "
                + "(now: " + whitelist + ")";
    }

    /** The names that answer. */
    public synchronized Set<String> boundNames() {
        return Set.copyOf(byName.keySet());
    }

    /** The valid names of services that are not bound because the whitelist does not allow them. */
    public synchronized Set<String> refusedNames() {
        return Set.copyOf(refused);
    }

    private static boolean isValidName(String name) {
        return name != null && invalidName(name) == null;
    }
}
