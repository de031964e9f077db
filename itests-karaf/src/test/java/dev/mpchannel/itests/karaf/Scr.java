package dev.mpchannel.itests.karaf;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;
import org.osgi.util.tracker.ServiceTracker;

/**
 * What Declarative Services (Karaf's scr feature) shows of mpchannel's components, through its
 * {@link ServiceComponentRuntime}: a class of its own, so that the test loads the scr API only once the scr feature
 * is installed.
 */
final class Scr {
    static final String LAUNCHER = "dev.mpchannel.transport.launch.ChannelLauncher";
    static final String PRIMARY = "dev.mpchannel.primary.PrimaryChannel";
    static final String SECONDARY = "dev.mpchannel.secondary.SecondaryChannel";

    private Scr() {
    }

    /**
     * Asserts that each of {@code channels} (primaries) has exactly one active ChannelLauncher configuration and one
     * active PrimaryChannel component configuration, and that no component configuration of a side other than these
     * primaries exists (no SecondaryChannel at all).
     *
     * @return every mpchannel component configuration, for failure messages
     */
    static String checkPrimaries(BundleContext context, List<String> channels, long timeoutMillis)
            throws InterruptedException {
        ServiceTracker<ServiceComponentRuntime, ServiceComponentRuntime> tracker =
                new ServiceTracker<>(context, ServiceComponentRuntime.class, null);
        tracker.open();
        try {
            ServiceComponentRuntime scr = tracker.waitForService(timeoutMillis);
            assertNotNull("no ServiceComponentRuntime", scr);
            List<ComponentConfigurationDTO> launchers = new ArrayList<>();
            List<ComponentConfigurationDTO> sides = new ArrayList<>();
            for (ComponentDescriptionDTO description : scr.getComponentDescriptionDTOs()) {
                if (LAUNCHER.equals(description.name)) {
                    launchers.addAll(scr.getComponentConfigurationDTOs(description));
                } else if (description.implementationClass.startsWith("dev.mpchannel.primary.")
                        || description.implementationClass.startsWith("dev.mpchannel.secondary.")) {
                    sides.addAll(scr.getComponentConfigurationDTOs(description));
                }
            }
            String all = "\nlaunchers:\n" + describe(launchers) + "\nsides:\n" + describe(sides);
            for (String channel : channels) {
                List<ComponentConfigurationDTO> launcher = launchers.stream()
                        .filter(c -> channel.equals(c.properties.get("prefix"))).collect(Collectors.toList());
                assertEquals("ChannelLauncher configurations of channel " + channel + all, 1, launcher.size());
                assertEquals("ChannelLauncher state of channel " + channel + all,
                        ComponentConfigurationDTO.ACTIVE, launcher.get(0).state);
                List<ComponentConfigurationDTO> side = sides.stream()
                        .filter(c -> channel.equals(c.properties.get("mp.channel"))).collect(Collectors.toList());
                assertEquals("side component configurations of channel " + channel + all, 1, side.size());
                assertEquals(all, PRIMARY, side.get(0).description.name);
                assertEquals("PrimaryChannel state of channel " + channel + all,
                        ComponentConfigurationDTO.ACTIVE, side.get(0).state);
            }
            for (ComponentConfigurationDTO side : sides) {
                assertEquals("a side component configuration that is no primary" + all, PRIMARY, side.description.name);
                assertTrue("a side component configuration of another channel" + all,
                        channels.contains(String.valueOf(side.properties.get("mp.channel"))));
            }
            return all;
        } finally {
            tracker.close();
        }
    }

    private static String describe(List<ComponentConfigurationDTO> configurations) {
        return configurations.stream()
                .map(c -> "  " + c.description.name + " id " + c.id + " state " + c.state + " mp.channel "
                        + c.properties.get("mp.channel") + " prefix " + c.properties.get("prefix"))
                .collect(Collectors.joining("\n"));
    }
}
