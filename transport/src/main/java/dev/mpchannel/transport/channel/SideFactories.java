package dev.mpchannel.transport.channel;

import dev.mpchannel.api.Role;
import java.util.Locale;
import java.util.Optional;

/**
 * The names of the Declarative Services component factories that start one side of a channel: each impl bundle
 * declares the factory of its role, and the channel's configuration component asks the one its role needs.
 */
public final class SideFactories {
    /** The factory of {@code mpchannel-impl-primary}. */
    public static final String PRIMARY = "dev.mpchannel.side.primary";
    /** The factory of {@code mpchannel-impl-secondary}. */
    public static final String SECONDARY = "dev.mpchannel.side.secondary";
    /** Matches both factories' {@code component.factory} property. */
    public static final String FILTER = "(component.factory=dev.mpchannel.side.*)";

    private SideFactories() {
    }

    /** The role a factory starts, from its {@code component.factory} name. */
    public static Optional<Role> roleOf(Object factoryName) {
        return PRIMARY.equals(factoryName) ? Optional.of(Role.PRIMARY)
                : SECONDARY.equals(factoryName) ? Optional.of(Role.SECONDARY) : Optional.empty();
    }

    /** The bundle that carries a role's side, for messages. */
    public static String bundleOf(Role role) {
        return "mpchannel-impl-" + role.name().toLowerCase(Locale.ROOT);
    }
}
