package dev.mpchannel.testkit.karaf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mpchannel.testkit.Artifacts;
import dev.mpchannel.testkit.ChannelConfiguration;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.karaf.options.KarafDistributionConfigurationFilePutOption;
import org.ops4j.pax.exam.karaf.options.KarafFeaturesOption;
import org.ops4j.pax.exam.options.CompositeOption;

class KarafOptionsTest {
    @Test
    void aChannelIsItsCfgFileInEtcAndTheFeaturesComeFromTheKitsVersion() {
        List<Option> options = flatten(KarafOptions.mpchannel(ChannelConfiguration.primary("echo")
                .socketDir(Path.of("/tmp/echo-sockets")).allowedActions("echo.*")));
        List<String> edits = new ArrayList<>();
        String features = null;
        for (Option option : options) {
            if (option instanceof KarafDistributionConfigurationFilePutOption put) {
                edits.add(put.getConfigurationFilePath() + " " + put.getKey() + "=" + put.getValue());
            } else if (option instanceof KarafFeaturesOption feature) {
                features = feature.getURL() + " " + String.join(",", feature.getFeatures());
            }
        }
        assertEquals(List.of("etc/dev.mpchannel.channel-echo.cfg role=primary",
                "etc/dev.mpchannel.channel-echo.cfg prefix=echo",
                "etc/dev.mpchannel.channel-echo.cfg socket.dir=/tmp/echo-sockets",
                "etc/dev.mpchannel.channel-echo.cfg allowed.actions=echo.*"), edits);
        assertEquals("mvn:dev.mpchannel/mpchannel-features/" + Artifacts.version()
                + "/xml/features mpchannel-primary,mpchannel-secondary", features);
        assertTrue(options.stream().anyMatch(o -> o.toString().contains("mpchannel-testkit")), options.toString());
    }

    private static List<Option> flatten(Option option) {
        List<Option> all = new ArrayList<>();
        if (option instanceof CompositeOption composite) {
            for (Option inner : composite.getOptions()) {
                all.addAll(flatten(inner));
            }
        } else {
            all.add(option);
        }
        return all;
    }
}
