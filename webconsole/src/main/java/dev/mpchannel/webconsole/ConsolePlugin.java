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
 * <p>
 * One tab, whatever happens to the bundles: Web Console 5.0.18 and 4.8.12 keep a list of plugins per label and show
 * the first, so a second registration (two versions of this bundle installed) adds no second tab (Web Console 5 logs
 * that it ignores it) and takes over when the first one's bundle stops; a bundle stopped and started again
 * registers its tab again (tried in the distribution's console).
 */
@Component(immediate = true)
public final class ConsolePlugin {
    /** The tab's address under the console's root, and its service property {@code felix.webconsole.label}. */
    static final String LABEL = "mpchannel";
    static final String TITLE = "mpchannel";
    static final String JAKARTA = "jakarta.servlet";
    static final String JAVAX = "javax.servlet";
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
        boolean consoleFive = consoleFiveInstalled(context);
        for (String api : servletApis(jakarta, javax, consoleFive)) {
            registrations.add(api.equals(JAKARTA)
                    ? context.registerService("jakarta.servlet.Servlet", new JakartaPluginServlet(content),
                            properties("Jakarta"))
                    : context.registerService("javax.servlet.Servlet", new JavaxPluginServlet(content),
                            properties("javax")));
        }
        if (registrations.isEmpty()) {
            LOG.warn(whyNoTab(jakarta, consoleFive));
        }
    }

    /**
     * The servlet APIs to register the tab under: Jakarta when it is wired; javax when it is wired and no Web Console
     * 5 is installed. Both consoles keep one plugin per label, so two registrations (two copies of this bundle, or
     * both APIs under a console that tracks both) still make one tab, and the other takes over when one goes.
     */
    static List<String> servletApis(boolean jakartaWired, boolean javaxWired, boolean consoleFive) {
        List<String> apis = new ArrayList<>();
        if (jakartaWired) {
            apis.add(JAKARTA);
        }
        if (javaxWired && !consoleFive) {
            apis.add(JAVAX);
        }
        return apis;
    }

    /** What the log says when {@link #servletApis} is empty, and what to do about it. */
    static String whyNoTab(boolean jakartaWired, boolean consoleFive) {
        if (consoleFive && !jakartaWired) {
            // javax is wired (else there would be nothing to say about the console): the bundle was resolved before
            // a Jakarta servlet API was installed
            return "the mpchannel Web Console tab is not registered: Web Console 5 takes Jakarta servlets, and"
                    + " jakarta.servlet is not wired to this bundle (it was resolved before a Jakarta servlet API was"
                    + " installed); refresh this bundle";
        }
        return "the mpchannel Web Console tab is not registered: neither jakarta.servlet nor javax.servlet is wired"
                + " to this bundle (install a Web Console and its HTTP service, then refresh this bundle)";
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
