package dev.mpchannel.webconsole;

import dev.mpchannel.transport.channel.ConfiguredChannel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Hashtable;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceRegistration;
import org.osgi.framework.Version;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code mpchannel} tab of the Felix Web Console, registered as a plain servlet service with the console's
 * plugin properties: the console wraps its page in the console's frame and sends it every request under
 * {@code /system/console/mpchannel}, after its own authentication. Plain servlets (rather than the console's plugin
 * base classes) are the one form both console lines take: Web Console 5 tracks {@code jakarta.servlet.Servlet}
 * services, Web Console 4.x (Karaf 4.4) {@code javax.servlet.Servlet} ones.
 * <p>
 * So this component registers the Jakarta servlet when {@code jakarta.servlet} is wired to the bundle, and the javax
 * one when {@code javax.servlet} is wired and no Web Console 5 or later is installed (Web Console 5 would otherwise
 * take the javax one as a "legacy" plugin too, and warn about it). It lists every configured channel through the
 * transport's {@link ConfiguredChannel} services, so a channel that waits for its side's bundle shows, with the reason.
 */
@Component(immediate = true)
public final class ConsolePlugin {
    /** The tab's address under the console's root, and its service property {@code felix.webconsole.label}. */
    static final String LABEL = "mpchannel";
    static final String TITLE = "mpchannel";
    private static final String CONSOLE_BUNDLE = "org.apache.felix.webconsole";
    private static final Logger LOG = LoggerFactory.getLogger(ConsolePlugin.class);

    private final List<ConfiguredChannel> launches = new CopyOnWriteArrayList<>();
    private final List<ServiceRegistration<?>> registrations = new ArrayList<>();

    @Reference(service = ConfiguredChannel.class, cardinality = ReferenceCardinality.MULTIPLE,
            policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    /** A channel configuration appeared (the transport registers one service per configuration). */
    void addLaunch(ConfiguredChannel launch) {
        launches.add(launch);
    }

    /** A channel configuration went away. */
    void removeLaunch(ConfiguredChannel launch) {
        launches.remove(launch);
    }

    /** Registers the tab's servlet for each servlet API that is wired (see the class comment). */
    @Activate
    void activate(BundleContext context) {
        PluginContent content = new PluginContent(() -> List.copyOf(launches), context);
        boolean jakarta = wired("jakarta.servlet.http.HttpServlet");
        boolean javax = wired("javax.servlet.http.HttpServlet");
        if (jakarta) {
            registrations.add(context.registerService("jakarta.servlet.Servlet", new JakartaPluginServlet(content),
                    properties("Jakarta")));
        }
        if (javax && !consoleFiveInstalled(context)) {
            registrations.add(context.registerService("javax.servlet.Servlet", new JavaxPluginServlet(content),
                    properties("javax")));
        }
        if (registrations.isEmpty()) {
            LOG.warn("the mpchannel Web Console tab is not registered: neither jakarta.servlet nor javax.servlet is"
                    + " wired to this bundle (install a Web Console and its HTTP service, then refresh this bundle)");
        }
    }

    /** Unregisters the tab. */
    @Deactivate
    void deactivate() {
        for (ServiceRegistration<?> registration : registrations) {
            try {
                registration.unregister();
            } catch (IllegalStateException alreadyGone) {
                // the framework unregisters a stopping bundle's services itself
            }
        }
        registrations.clear();
    }

    /** The service properties that make a servlet a Web Console tab: label, title, category. */
    static Hashtable<String, Object> properties(String api) {
        Hashtable<String, Object> properties = new Hashtable<>();
        properties.put("felix.webconsole.label", LABEL);
        properties.put("felix.webconsole.title", TITLE);
        properties.put("felix.webconsole.category", "Main");
        properties.put(Constants.SERVICE_DESCRIPTION, "mpchannel Web Console tab (" + api + " servlet)");
        return properties;
    }

    /** Whether a class of an optionally imported package can be loaded: whether that package is wired. */
    private static boolean wired(String className) {
        try {
            Class.forName(className, false, ConsolePlugin.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    private static boolean consoleFiveInstalled(BundleContext context) {
        return Arrays.stream(context.getBundles())
                .filter(bundle -> CONSOLE_BUNDLE.equals(bundle.getSymbolicName()))
                .map(Bundle::getVersion)
                .anyMatch(version -> version.compareTo(new Version(5, 0, 0)) >= 0);
    }
}
