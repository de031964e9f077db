package dev.mpchannel.transport.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Each wrong value of a channel configuration, as a file or a console gives it, is one line naming the channel, the
 * key, the value and what is allowed; a typo of a key is a warning that suggests the key.
 */
class CheckedConfigurationTest {
    private static final String PID = "dev.mpchannel.channel~vswitch";
    private Path directory;

    @BeforeEach
    void createDirectory() throws IOException {
        directory = Files.createTempDirectory("mpch-config-test");
    }

    @AfterEach
    void deleteDirectory() throws IOException {
        Files.deleteIfExists(directory.resolve("file"));
        Files.deleteIfExists(directory);
    }

    private Map<String, Object> valid() {
        Map<String, Object> properties = new HashMap<>();
        properties.put("service.pid", PID);
        properties.put("service.factoryPid", "dev.mpchannel.channel");
        properties.put("felix.fileinstall.filename", "file:/etc/dev.mpchannel.channel-vswitch.cfg");
        properties.put("component.name", "dev.mpchannel.transport.launch.ChannelLauncher");
        properties.put("component.id", 4L);
        properties.put("service.bundleLocation", "?");
        properties.put("org.apache.karaf.features.configKey", "dev.mpchannel.channel-vswitch");
        properties.put(".private", "x");
        properties.put("osgi.ds.satisfying.condition.target", "(osgi.condition.id=true)");
        properties.put("sides.target", "(component.factory=dev.mpchannel.side.*)");
        properties.put("role", "primary");
        properties.put("prefix", "vswitch");
        properties.put("socket.dir", directory.toString());
        return properties;
    }

    private String problem(String key, Object value) {
        Map<String, Object> properties = valid();
        properties.put(key, value);
        CheckedConfiguration read = CheckedConfiguration.read(properties);
        assertNull(read.settings(), "accepted " + key + "=" + value);
        return read.label() + ": " + read.problem();
    }

    @Test
    void aValidConfigurationHasSettingsAndNoWarning() {
        CheckedConfiguration read = CheckedConfiguration.read(valid());
        assertNotNull(read.settings(), read.problem());
        assertEquals("vswitch", read.name());
        assertEquals(List.of(), read.warnings());
    }

    @Test
    void typedValuesAsAConsoleGivesThemAreAccepted() {
        Map<String, Object> properties = valid();
        properties.put("max.fds", 12);
        properties.put("write.timeout.ms", 100L);
        properties.put("allowed.actions", new String[] {"a.*", "b"});
        properties.put("allowed.gids", List.of("100", "200"));
        properties.put("max.message.bytes", " 4096 ");
        CheckedConfiguration read = CheckedConfiguration.read(properties);
        assertNotNull(read.settings(), read.problem());
        assertEquals(12, read.settings().limits().maxFileDescriptors());
        assertEquals(4096, read.settings().limits().maxParamsBytes());
    }

    @Test
    void numbersThatAreNoNumbersOrOverflowNameTheChannelTheKeyAndTheRange() {
        assertEquals("channel 'vswitch' (" + PID + "): max.message.bytes=lots is not a number (allowed: "
                + "0..2147483583)", problem("max.message.bytes", "lots"));
        assertEquals("channel 'vswitch' (" + PID + "): max.message.bytes=99999999999999999999 is out of range "
                + "(allowed: 0..2147483583)", problem("max.message.bytes", "99999999999999999999"));
        assertEquals("channel 'vswitch' (" + PID + "): queue.depth=0 is out of range (allowed: 1..2147483647)",
                problem("queue.depth", "0"));
        assertEquals("channel 'vswitch' (" + PID + "): write.timeout.ms=1.5 is not a number (allowed: "
                + "1..9223372036854775807)", problem("write.timeout.ms", "1.5"));
        assertEquals("channel 'vswitch' (" + PID + "): request.spin.us=9223372036854775807 is out of range "
                + "(allowed: 0..9223372036854775)", problem("request.spin.us", Long.MAX_VALUE));
        assertEquals("channel 'vswitch' (" + PID + "): action.threads is empty (allowed: 1..2147483647); remove the "
                + "line for the default 4", problem("action.threads", ""));
        assertEquals("channel 'vswitch' (" + PID + "): max.peers=2.0 is not a whole number (allowed: "
                + "1..2147483647)", problem("max.peers", 2.0));
    }

    @Test
    void maxFdsIsAtMostTheKernelsAndWithDpdkTheLayouts() {
        assertEquals("channel 'vswitch' (" + PID + "): max.fds=254 is out of range (allowed: 0..253)",
                problem("max.fds", "254"));
        assertEquals("channel 'vswitch' (" + PID + "): max.fds=-1 is out of range (allowed: 0..253)",
                problem("max.fds", -1));
        Map<String, Object> dpdk = valid();
        dpdk.put("role", "secondary");
        dpdk.put("wire", "dpdk");
        dpdk.put("dpdk.layout", "22.11");
        dpdk.put("dpdk.runtime.dir", directory.toString());
        dpdk.put("max.fds", "9");
        CheckedConfiguration read = CheckedConfiguration.read(dpdk);
        assertEquals("max.fds=9 is out of range for wire=dpdk with dpdk.layout=22.11 (allowed: 0..8, DPDK's "
                + "RTE_MP_MAX_FD_NUM)", read.problem());
        dpdk.put("max.fds", "8");
        assertNotNull(CheckedConfiguration.read(dpdk).settings(), CheckedConfiguration.read(dpdk).problem());
    }

    @Test
    void pathsMustBeAbsoluteAndDirectories() throws IOException {
        assertEquals("channel 'vswitch' (" + PID + "): socket.dir=run/mpchannel is a relative path (allowed: an "
                + "absolute path, e.g. /run/mpchannel; empty for the default)", problem("socket.dir", "run/mpchannel"));
        Path file = Files.writeString(directory.resolve("file"), "x");
        assertEquals("channel 'vswitch' (" + PID + "): socket.dir=" + file + " exists and is not a directory "
                + "(allowed: a directory, or a path where one can be created)", problem("socket.dir", file.toString()));
        assertEquals("channel 'vswitch' (" + PID + "): socket.dir=" + file + "/sub: " + file + " is not a directory "
                + "(allowed: a directory, or a path where one can be created)",
                problem("socket.dir", file + "/sub"));
        Map<String, Object> dpdk = valid();
        dpdk.put("role", "secondary");
        dpdk.put("wire", "dpdk");
        dpdk.put("dpdk.layout", "25.11");
        dpdk.put("dpdk.runtime.dir", "dpdk/rte");
        assertEquals("dpdk.runtime.dir=dpdk/rte is a relative path (allowed: an absolute path, e.g. "
                + "/run/mpchannel; empty for the default)", CheckedConfiguration.read(dpdk).problem());
    }

    @Test
    void idsMustBeNonNegativeNumbers() {
        assertEquals("channel 'vswitch' (" + PID + "): allowed.gids=-5 is out of range (allowed: numeric ids "
                + "0..4294967294)", problem("allowed.gids", "100,-5"));
        assertEquals("channel 'vswitch' (" + PID + "): allowed.uids=bob is not a number (allowed: numeric ids "
                + "0..4294967294)", problem("allowed.uids", new String[] {"bob"}));
    }

    @Test
    void choicesNameTheirValues() {
        assertEquals("channel 'vswitch' (" + PID + "): role=master is not allowed (allowed: primary, secondary, "
                + "auto)", problem("role", "master"));
        assertEquals("channel 'vswitch' (" + PID + "): primary.loss=exit is not allowed (allowed: reconnect, stop)",
                problem("primary.loss", "exit"));
        assertEquals("channel 'vswitch' (" + PID + "): wire=tcp is not allowed (allowed: mpchannel, dpdk)",
                problem("wire", "tcp"));
        assertEquals("channel 'vswitch' (" + PID + "): role=[primary, secondary] is a list (allowed: one value)",
                problem("role", new String[] {"primary", "secondary"}));
    }

    @Test
    void aBadPrefixNamesTheConfigurationByItsPid() {
        String line = problem("prefix", "a/b");
        assertTrue(line.startsWith("channel " + PID + ": prefix 'a/b' must be"), line);
    }

    @Test
    void controlCharactersInAValueAreEscaped() {
        assertEquals("channel 'vswitch' (" + PID + "): max.fds=1\\nERROR forged is not a number (allowed: "
                + "0..253)", problem("max.fds", "1\nERROR forged"));
    }

    @Test
    void unknownKeysAreWarnedAboutAndATypoSuggestsTheKey() {
        Map<String, Object> properties = valid();
        properties.put("allowed.action", "demo.*");
        properties.put("max_fds", "8");
        properties.put("colour", "blue");
        CheckedConfiguration read = CheckedConfiguration.read(properties);
        assertNotNull(read.settings(), read.problem());
        assertEquals(3, read.warnings().size(), read.warnings().toString());
        assertEquals("unknown key allowed.action is ignored; did you mean allowed.actions?", read.warnings().get(0));
        assertTrue(read.warnings().get(1).startsWith("unknown key colour is ignored (keys: action.threads, "
                + "allowed.actions, "), read.warnings().get(1));
        assertEquals("unknown key max_fds is ignored; did you mean max.fds?", read.warnings().get(2));
    }
}
