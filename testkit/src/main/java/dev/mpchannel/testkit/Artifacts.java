package dev.mpchannel.testkit;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Properties;

/**
 * Finds the jars a test provisions: on the test's class path (where Maven put its dependencies, or the reactor its
 * freshly built modules), else in the local Maven repository. Both work offline, with nothing fetched at test time.
 */
public final class Artifacts {
    /** The mpchannel group id. */
    public static final String GROUP_ID = "dev.mpchannel";

    private static final Properties KIT = load();

    private Artifacts() {
    }

    /** The mpchannel version this kit belongs to (the version of the bundles it provisions by default). */
    public static String version() {
        return KIT.getProperty("version");
    }

    /**
     * The jar of {@code groupId:artifactId} on the class path of {@code loader}, found by the {@code pom.properties}
     * Maven packs into every jar it builds, or by the jar's name ({@code artifactId-VERSION.jar}) in the class path.
     */
    public static Optional<Path> onClassPath(ClassLoader loader, String groupId, String artifactId) {
        URL descriptor = loader.getResource("META-INF/maven/" + groupId + "/" + artifactId + "/pom.properties");
        if (descriptor != null && descriptor.getProtocol().equals("jar")) {
            try {
                URL jar = ((JarURLConnection) descriptor.openConnection()).getJarFileURL();
                return Optional.of(Path.of(jar.toURI()));
            } catch (IOException | URISyntaxException | ClassCastException e) {
                // fall back to the names in the class path
            }
        }
        for (String property : new String[] {"java.class.path", "surefire.test.class.path"}) {
            for (String entry : System.getProperty(property, "").split(File.pathSeparator)) {
                Path path = Path.of(entry.isEmpty() ? "." : entry);
                String name = path.getFileName() == null ? "" : path.getFileName().toString();
                if (name.startsWith(artifactId + "-") && name.endsWith(".jar") && !name.endsWith("-sources.jar")
                        && !name.endsWith("-tests.jar") && Character.isDigit(name.charAt(artifactId.length() + 1))
                        && Files.isRegularFile(path)) {
                    return Optional.of(path);
                }
            }
        }
        return Optional.empty();
    }

    /**
     * The local Maven repository: {@code org.ops4j.pax.url.mvn.localRepository} (as Pax Exam's tests set it), else
     * {@code maven.repo.local}, else {@code ~/.m2/repository}.
     */
    public static Path localRepository() {
        String configured = System.getProperty("org.ops4j.pax.url.mvn.localRepository",
                System.getProperty("maven.repo.local"));
        return configured != null && !configured.isBlank() ? Path.of(configured)
                : Path.of(System.getProperty("user.home"), ".m2", "repository");
    }

    /**
     * The jar {@code groupId:artifactId:version[:classifier]} in the local Maven repository.
     *
     * @param classifier {@code null} for none
     * @throws IllegalStateException if it is not there, saying how to get it there
     */
    public static Path inLocalRepository(String groupId, String artifactId, String version, String classifier) {
        String name = artifactId + "-" + version + (classifier == null ? "" : "-" + classifier) + ".jar";
        Path jar = localRepository().resolve(groupId.replace('.', '/')).resolve(artifactId).resolve(version)
                .resolve(name);
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("no " + jar + ": declare " + groupId + ":" + artifactId + ":" + version
                    + (classifier == null ? "" : ":jar:" + classifier) + " in the test's pom (as a test dependency,"
                    + " or copied by maven-dependency-plugin) so that Maven fetches it before the tests run");
        }
        return jar;
    }

    /** The version of {@code artifactId} this kit was built with ({@code testkit.properties}); the kit's own if none. */
    public static String versionOf(String artifactId) {
        return KIT.getProperty(artifactId + ".version", version());
    }

    private static Properties load() {
        Properties properties = new Properties();
        try (InputStream in = Artifacts.class.getResourceAsStream("testkit.properties")) {
            if (in == null) {
                throw new IllegalStateException("testkit.properties is missing from the mpchannel test kit's jar");
            }
            properties.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return properties;
    }
}
