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
import org.ops4j.pax.exam.karaf.options.KarafDistributionBaseConfigurationOption;
import org.ops4j.pax.exam.karaf.options.KarafDistributionConfigurationFilePutOption;
import org.ops4j.pax.exam.karaf.options.KarafFeaturesOption;
import org.ops4j.pax.exam.options.CompositeOption;
import org.ops4j.pax.exam.options.extra.VMOption;

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
        assertEquals(List.of("etc/org.ops4j.pax.url.mvn.cfg org.ops4j.pax.url.mvn.localRepository="
                        + Artifacts.localRepository().toAbsolutePath(),
                "etc/dev.mpchannel.channel-echo.cfg role=primary",
                "etc/dev.mpchannel.channel-echo.cfg prefix=echo",
                "etc/dev.mpchannel.channel-echo.cfg socket.dir=/tmp/echo-sockets",
                "etc/dev.mpchannel.channel-echo.cfg allowed.actions=echo.*"), edits);
        assertEquals("mvn:dev.mpchannel/mpchannel-features/" + Artifacts.version()
                + "/xml/features mpchannel-primary,mpchannel-secondary", features);
        assertTrue(options.stream().anyMatch(o -> o.toString().contains("mpchannel-testkit")), options.toString());
    }

    @Test
    void offlineKarafReadsTheGivenRepositoriesFirstThenItsOwnThenTheLocalOne() {
        List<String> edits = new ArrayList<>();
        for (Option option : flatten(KarafOptions.offline(Path.of("/build/repo")))) {
            KarafDistributionConfigurationFilePutOption put = (KarafDistributionConfigurationFilePutOption) option;
            assertEquals("etc/org.ops4j.pax.url.mvn.cfg", put.getConfigurationFilePath());
            edits.add(put.getKey() + "=" + put.getValue());
        }
        assertEquals(List.of("org.ops4j.pax.url.mvn.localRepository=" + Artifacts.localRepository().toAbsolutePath(),
                "org.ops4j.pax.url.mvn.defaultRepositories=file:/build/repo@id=test-1@snapshots,"
                        + "${karaf.home.uri}${karaf.default.repository}@id=system.repository@snapshots,"
                        + "${karaf.data.uri}kar@id=kar.repository@multi@snapshots,"
                        + "${karaf.base.uri}${karaf.default.repository}@id=child.system.repository@snapshots",
                "org.ops4j.pax.url.mvn.offline=true"), edits);
    }

    @Test
    void karafIsTheDistributionOfThatVersionWithTheJvmOptionsItsScriptWouldPass() {
        List<Option> options = flatten(KarafOptions.karaf("4.4.10"));
        KarafDistributionBaseConfigurationOption distribution = options.stream()
                .filter(KarafDistributionBaseConfigurationOption.class::isInstance)
                .map(KarafDistributionBaseConfigurationOption.class::cast).findFirst().orElseThrow();
        assertEquals("mvn:org.apache.karaf/apache-karaf/4.4.10/tar.gz", distribution.getFrameworkURL());
        assertEquals("4.4.10", distribution.getKarafVersion());
        List<String> vm = options.stream().filter(VMOption.class::isInstance)
                .map(o -> ((VMOption) o).getOption()).toList();
        assertTrue(vm.contains("java.base=lib/endorsed/org.apache.karaf.specs.locator-4.4.10.jar"), vm.toString());
        assertTrue(vm.contains("java.base/java.lang=ALL-UNNAMED"), vm.toString());
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
