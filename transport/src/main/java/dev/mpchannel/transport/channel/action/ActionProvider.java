package dev.mpchannel.transport.channel.action;

import java.util.Map;

/**
 * Who offers an action service, for the log: its {@code service.id}, bundle and component, so that a service refused
 * for its name can be found and fixed.
 *
 * @param serviceId the service's {@code service.id}, or {@code null} when it has none (not an OSGi service)
 * @param bundle    the providing bundle's symbolic name, else {@code bundle <service.bundleid>}, else {@code null}
 * @param component the providing component's {@code component.name}, or {@code null}
 */
public record ActionProvider(Object serviceId, String bundle, String component) {
    /** A provider known only by what it is: no service properties to name it by. */
    public static final ActionProvider UNKNOWN = new ActionProvider(null, null, null);

    /** The provider from the service's properties and its bundle's symbolic name ({@code null} if not known). */
    public static ActionProvider of(Map<String, ?> properties, String bundleSymbolicName) {
        Object bundleId = properties.get("service.bundleid");
        String bundle = bundleSymbolicName != null ? bundleSymbolicName
                : bundleId != null ? "bundle " + bundleId : null;
        Object component = properties.get("component.name");
        return new ActionProvider(properties.get("service.id"), bundle, component == null ? null
                : String.valueOf(component));
    }

    /** E.g. {@code action service 42 (bundle demo, component demo.EchoAction)}. */
    @Override
    public String toString() {
        StringBuilder text = new StringBuilder("action service");
        if (serviceId != null) {
            text.append(' ').append(serviceId);
        }
        if (bundle != null || component != null) {
            text.append(" (");
            if (bundle != null) {
                text.append("bundle ").append(bundle.startsWith("bundle ") ? bundle.substring(7) : bundle);
            }
            if (component != null) {
                text.append(bundle != null ? ", " : "").append("component ").append(component);
            }
            text.append(')');
        }
        return text.toString();
    }
}
