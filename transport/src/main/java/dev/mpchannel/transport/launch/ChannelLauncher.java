package dev.mpchannel.transport.launch;

import dev.mpchannel.api.Channel;
import dev.mpchannel.api.Role;
import dev.mpchannel.transport.channel.ConfiguredChannel;
import dev.mpchannel.transport.channel.SideFactories;
import dev.mpchannel.transport.channel.SideStart;
import dev.mpchannel.transport.config.ChannelConfiguration;
import dev.mpchannel.transport.config.ChannelSettings;
import dev.mpchannel.transport.config.CheckedConfiguration;
import dev.mpchannel.transport.socket.PrimaryAliveException;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.util.EnumMap;
import java.util.Hashtable;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.osgi.service.component.ComponentConstants;
import org.osgi.service.component.ComponentFactory;
import org.osgi.service.component.ComponentInstance;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One channel per factory configuration of {@value ChannelConfiguration#FACTORY_PID}: it checks the configuration,
 * decides the role, and starts that side, and only that side, through the component factory its impl bundle
 * declares ({@link SideFactories}). The side's component instance is the {@link Channel} service, registered by
 * Declarative Services with {@code mp.role}, {@code mp.channel} and {@code mp.socket.path}. While the side's bundle
 * is missing the channel waits, says so once, and starts when the bundle arrives; if the bundle goes, the channel
 * closes until it is back. A changed configuration re-creates this channel only. While the channel runs, its
 * status and counters are a JMX MBean ({@link ChannelMXBean}).
 */
@Component(configurationPid = ChannelConfiguration.FACTORY_PID, configurationPolicy = ConfigurationPolicy.REQUIRE,
        service = ConfiguredChannel.class, immediate = true)
@Designate(ocd = ChannelConfiguration.class, factory = true)
public final class ChannelLauncher implements ConfiguredChannel {
    private static final Logger LOG = LoggerFactory.getLogger(ChannelLauncher.class);
    /** role=auto may lose the lock to another process between deciding and listening: decide again. */
    private static final int AUTO_ATTEMPTS = 3;

    private final ChannelSettings settings; // null when the configuration is not valid
    private final String name;
    private final Map<String, Object> configuration;
    private final Map<Role, ComponentFactory<Channel>> factories = new EnumMap<>(Role.class);
    private ComponentInstance<Channel> side;
    // The factory whose side failed to start: tried again only when another one comes (its bundle restarted) or the
    // configuration changes, not at every coming and going of the other side's factory.
    private ComponentFactory<Channel> failed;
    private Role sideRole;
    private ChannelManagement management;
    private String problem = "not started yet";
    private boolean active;

    /**
     * Checks the whole configuration: unknown keys are warned about (with the key they likely misspell), and a value
     * that is not allowed is logged as one line that names the channel, the key, the value and what is allowed; such
     * a channel does not start, and its {@link ConfiguredChannel} says why. Nothing is thrown: a typo is no reason for a
     * stack trace.
     */
    @Activate
    public ChannelLauncher(Map<String, Object> properties) {
        CheckedConfiguration read = CheckedConfiguration.read(properties);
        read.warnings().forEach(warning -> LOG.warn("{}: {}", read.label(), warning));
        if (!read.valid()) {
            LOG.error("{}: {}; the channel does not start until its configuration is fixed", read.label(),
                    read.problem());
            problem = "its configuration is not valid: " + read.problem();
        }
        this.settings = read.settings();
        this.name = read.name();
        this.configuration = Map.copyOf(properties);
    }

    @Activate
    synchronized void start() {
        active = true;
        launch();
    }

    @Deactivate
    synchronized void stop() {
        active = false;
        disposeSide();
    }

    @Reference(name = "sides", service = ComponentFactory.class, target = SideFactories.FILTER,
            cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    synchronized void bindSide(ComponentFactory<Channel> factory, Map<String, ?> properties) {
        SideFactories.roleOf(properties.get(ComponentConstants.COMPONENT_FACTORY))
                .ifPresent(role -> factories.put(role, factory));
        launch();
    }

    synchronized void unbindSide(ComponentFactory<Channel> factory, Map<String, ?> properties) {
        Optional<Role> role = SideFactories.roleOf(properties.get(ComponentConstants.COMPONENT_FACTORY));
        if (role.isPresent() && factories.remove(role.get(), factory) && role.get() == sideRole) {
            disposeSide(); // its bundle has already taken it down; this forgets it
            LOG.info("channel '{}' closed: bundle {} went away", name, SideFactories.bundleOf(role.get()));
        }
        launch();
    }

    private void launch() {
        for (int attempt = 1; active && side == null && settings != null; attempt++) {
            Optional<Role> role;
            try {
                role = RoleChoice.choose(settings.role(), settings.paths(), factories.keySet());
            } catch (IOException e) {
                problem = "cannot tell whether its primary is alive (lock " + settings.paths().lock() + "): " + e;
                LOG.error("channel '{}' {}", name, problem);
                return;
            }
            if (role.isEmpty()) {
                waiting("neither mpchannel-impl-primary nor mpchannel-impl-secondary is active");
                return;
            }
            ComponentFactory<Channel> factory = factories.get(role.get());
            if (factory == null) {
                waiting("it is to be the " + name(role.get()) + ", but bundle " + SideFactories.bundleOf(role.get())
                        + " is not active");
                return;
            }
            if (factory == failed) {
                return; // its failure is logged and in problem()
            }
            Exception failure;
            try {
                ComponentInstance<Channel> started = factory.newInstance(sideProperties(role.get()));
                failure = started.getInstance() instanceof SideStart start ? start.startFailure().orElse(null) : null;
                if (failure == null) {
                    side = started;
                    sideRole = role.get();
                    problem = null;
                    failed = null;
                    management = ChannelManagement.register(name, side.getInstance());
                    return;
                }
                started.dispose();
            } catch (RuntimeException e) { // ComponentException: the side's activation failed unexpectedly
                failure = e;
            }
            if (settings.role() == null && causedBy(failure, PrimaryAliveException.class) && attempt < AUTO_ATTEMPTS) {
                continue; // role=auto lost the race for the lock: now a primary is alive, so be its secondary
            }
            failed = factory;
            problem = "could not start as the " + name(role.get()) + ": " + rootMessage(failure);
            if (causedBy(failure, IOException.class) || causedBy(failure, IllegalArgumentException.class)) {
                LOG.error("channel '{}' {}", name, problem); // the operator's to fix: the line says what
            } else {
                LOG.error("channel '{}' {}", name, problem, failure); // a bug: its stack trace helps
            }
            return;
        }
    }

    private void waiting(String why) {
        String waiting = "waits: " + why + "; it starts when that bundle does";
        if (!waiting.equals(problem)) {
            LOG.info("channel '{}' {}", name, waiting);
            problem = waiting;
        }
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public synchronized Optional<Channel> channel() {
        return side == null ? Optional.empty() : Optional.ofNullable(side.getInstance());
    }

    @Override
    public synchronized Optional<String> problem() {
        return Optional.ofNullable(problem);
    }

    private void disposeSide() {
        if (management != null) {
            management.close();
            management = null;
        }
        if (side != null) {
            side.dispose();
            side = null;
            sideRole = null;
            problem = active ? "closed: its side went away" : "stopped";
        }
    }

    /**
     * The side's component properties, which DS also registers its Channel service with: the configuration's keys
     * (not its bookkeeping), the decided role, the channel's name and socket, and the targets of the side's action
     * and peer-listener references, so that an action or listener pinned to another channel with {@code mp.channel}
     * is never bound here.
     */
    private Hashtable<String, Object> sideProperties(Role role) {
        Hashtable<String, Object> properties = new Hashtable<>();
        configuration.forEach((key, value) -> {
            if (!key.startsWith("service.") && !key.startsWith("component.") && !key.startsWith("felix.")
                    && !key.startsWith("org.apache.karaf.")) {
                properties.put(key, value);
            }
        });
        properties.put(Channel.ROLE, name(role));
        properties.put(Channel.NAME, name);
        properties.put("mp.socket.path", settings.socketPath().toString());
        String forThisChannel = "(|(!(" + Channel.NAME + "=*))(" + Channel.NAME + "=" + name + "))";
        properties.put("actions.target", forThisChannel);
        properties.put("peerListeners.target", forThisChannel);
        return properties;
    }

    private static String name(Role role) {
        return role.name().toLowerCase(Locale.ROOT);
    }

    private static boolean causedBy(Throwable error, Class<? extends Throwable> type) {
        for (Throwable cause = error; cause != null; cause = cause.getCause()) {
            if (type.isInstance(cause)) {
                return true;
            }
        }
        return false;
    }

    /** The failure's root cause in words: a file system error says which file and what about it. */
    private static String rootMessage(Throwable error) {
        Throwable root = error;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        if (root instanceof FileSystemException failed && failed.getFile() != null) {
            String what = root instanceof NoSuchFileException ? "no such file or directory, and it cannot be created there"
                    : root instanceof AccessDeniedException ? "permission denied"
                    : root instanceof FileAlreadyExistsException ? "exists, and is not what was to be created there"
                    : root instanceof NotDirectoryException ? "not a directory"
                    : failed.getReason() != null ? failed.getReason() : root.getClass().getSimpleName();
            return failed.getFile() + ": " + what;
        }
        return root.getMessage() != null ? root.getMessage() : root.toString();
    }
}
