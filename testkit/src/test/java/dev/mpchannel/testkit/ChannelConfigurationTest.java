package dev.mpchannel.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChannelConfigurationTest {
    @TempDir
    Path dir;

    @Test
    void writesAFactoryConfigurationFileThatReadsBackAsWritten() throws Exception {
        ChannelConfiguration echo = ChannelConfiguration.primary("echo").socketDir(dir)
                .allowedActions("echo.*", "other.one").with("request.timeout.ms", 5000)
                .with("odd", "a=b:c\\d ${not.interpolated}");
        Path file = echo.writeTo(dir);
        assertEquals("dev.mpchannel.channel-echo.cfg", file.getFileName().toString());
        Properties read = new Properties();
        try (InputStream in = Files.newInputStream(file)) {
            read.load(in);
        }
        assertEquals("primary", read.getProperty("role"));
        assertEquals("echo", read.getProperty("prefix"));
        assertEquals(dir.toAbsolutePath().toString(), read.getProperty("socket.dir"));
        assertEquals("echo.*,other.one", read.getProperty("allowed.actions"));
        assertEquals("5000", read.getProperty("request.timeout.ms"));
        assertEquals("a=b:c\\d ${not.interpolated}", read.getProperty("odd"));
    }

    @Test
    void aSecondaryOfTheSameChannelKeepsItsNameAndSocketDirectory() {
        ChannelConfiguration primary = ChannelConfiguration.primary("echo").socketDir(dir);
        ChannelConfiguration secondary = primary.withRole("secondary");
        assertEquals("secondary", secondary.role());
        assertEquals(primary.socketDir(), secondary.socketDir());
        assertEquals("(&(mp.channel=echo)(mp.role=secondary))", secondary.serviceFilter());
        assertEquals("(mp.channel=echo)", primary.withRole("auto").serviceFilter());
        assertEquals("primary", primary.role()); // unchanged: every with... returns a copy
    }

    @Test
    void aNameThatIsNoSafeFileNameIsRefused() {
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> ChannelConfiguration.primary("../etc"));
        assertEquals("channel name '../etc' is not 1 to 64 of [A-Za-z0-9._-] starting with a letter or digit",
                refused.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ChannelConfiguration.of("leader", "echo"));
        assertThrows(IllegalArgumentException.class, () -> ChannelConfiguration.primary("echo").with("prefix", "x"));
    }
}
