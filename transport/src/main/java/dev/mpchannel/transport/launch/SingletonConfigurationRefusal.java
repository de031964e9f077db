package dev.mpchannel.transport.launch;

import dev.mpchannel.transport.config.ChannelConfiguration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Says what to write instead when it finds a configuration of the single-channel PID {@value #PID}, which no
 * component reads: each channel is a factory configuration of {@value ChannelConfiguration#FACTORY_PID}.
 */
@Component(configurationPid = SingletonConfigurationRefusal.PID, configurationPolicy = ConfigurationPolicy.REQUIRE,
        service = {}, immediate = true)
public final class SingletonConfigurationRefusal {
    static final String PID = "dev.mpchannel";
    static final String ADVICE = "configuration " + PID + " is not read: each channel is a factory configuration of "
            + ChannelConfiguration.FACTORY_PID + " with the same keys. Rename the file " + PID + ".cfg to "
            + ChannelConfiguration.FACTORY_PID + "-NAME.cfg (NAME is yours, e.g. its prefix), or in Karaf run "
            + "config:edit --factory --alias NAME " + ChannelConfiguration.FACTORY_PID
            + ", set the keys and config:update; then delete " + PID;

    @Activate
    void refuse() {
        LoggerFactory.getLogger(SingletonConfigurationRefusal.class).error(ADVICE);
    }
}
