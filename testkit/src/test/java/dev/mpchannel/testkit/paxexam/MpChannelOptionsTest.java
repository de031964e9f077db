package dev.mpchannel.testkit.paxexam;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mpchannel.testkit.ChannelConfiguration;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.options.CompositeOption;
import org.ops4j.pax.exam.options.FrameworkPropertyOption;

class MpChannelOptionsTest {
    @Test
    void theChannelsAreFilesInTheDirectoryFileInstallIsToldToRead() throws Exception {
        ChannelConfiguration echo = ChannelConfiguration.primary("echo").allowedActions("echo.*");
        List<Option> options = flatten(MpChannelOptions.channels(echo, ChannelConfiguration.secondary("other")));
        Map<String, Object> properties = options.stream().filter(FrameworkPropertyOption.class::isInstance)
                .map(FrameworkPropertyOption.class::cast)
                .collect(Collectors.toMap(FrameworkPropertyOption::getKey, FrameworkPropertyOption::getValue));
        Path directory = Path.of((String) properties.get("felix.fileinstall.dir"));
        try {
            assertTrue(Files.readString(directory.resolve("dev.mpchannel.channel-echo.cfg"))
                    .contains("allowed.actions=echo.*"));
            assertTrue(Files.isRegularFile(directory.resolve("dev.mpchannel.channel-other.cfg")));
            assertEquals("true", properties.get("felix.fileinstall.noInitialDelay"));
        } finally {
            try (var files = Files.list(directory)) {
                files.forEach(file -> file.toFile().delete());
            }
            Files.delete(directory);
        }
    }

    @Test
    void aThirdPartysBundleOfAnotherVersionOnTheClassPathIsNotTaken() {
        // this module's test class path has SCR 2.2.18 (a runtime dependency): taken from there, as a file
        String scr = url(MpChannelOptions.provision("org.apache.felix", "org.apache.felix.scr"));
        assertTrue(scr.startsWith("file:") && scr.endsWith("org.apache.felix.scr-2.2.18.jar"), scr);
        // junit-jupiter-api is on it too, in a version the kit does not know: mvn: in the kit's own version
        String other = url(MpChannelOptions.provision("org.junit.jupiter", "junit-jupiter-api"));
        assertTrue(other.startsWith("mvn:org.junit.jupiter/junit-jupiter-api/"), other);
    }

    private static String url(Option option) {
        return ((org.ops4j.pax.exam.options.ProvisionOption<?>) option).getURL();
    }

    static List<Option> flatten(Option option) {
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
