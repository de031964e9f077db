package dev.mpchannel.bench.harness;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import org.osgi.framework.Bundle;
import org.osgi.framework.Constants;
import org.osgi.framework.launch.Framework;
import org.osgi.framework.launch.FrameworkFactory;

/**
 * Several real mpchannel secondaries in one JVM: K Felix frameworks side by side, each with the bundles of the
 * bench's executable jar (mpchannel's, SCR, ConfigAdmin, slf4j, the bench bundle), each configured as a
 * secondary through framework properties. The API registers one Channel per framework, so this is how one JVM
 * holds several; each framework has its own class loaders and so its own copy of junixsocket's native library.
 *
 * <pre>  FrameworkHost BENCH_JAR WORK_DIR K PREFIX SOCKET_DIR</pre>
 */
public final class FrameworkHost {
    private FrameworkHost() {
    }

    public static void main(String[] args) throws Exception {
        Path benchJar = Path.of(args[0]);
        Path work = Path.of(args[1]);
        int k = Integer.parseInt(args[2]);
        List<Path> bundles = extractBundles(benchJar, work.resolve("bundles"));
        FrameworkFactory factory = ServiceLoader.load(FrameworkFactory.class).iterator().next();
        List<Framework> frameworks = new ArrayList<>();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> frameworks.forEach(FrameworkHost::stop)));
        for (int i = 0; i < k; i++) {
            Map<String, String> properties = new HashMap<>();
            properties.put(Constants.FRAMEWORK_STORAGE, work.resolve("fw-" + i).toString());
            properties.put(Constants.FRAMEWORK_STORAGE_CLEAN, Constants.FRAMEWORK_STORAGE_CLEAN_ONFIRSTINIT);
            properties.put("mpbench.role", "secondary");
            properties.put("mpbench.prefix", args[3]);
            properties.put("mpbench.socket.dir", args[4]);
            Framework framework = factory.newFramework(properties);
            framework.init();
            List<Bundle> installed = new ArrayList<>();
            for (Path bundle : bundles) {
                installed.add(framework.getBundleContext().installBundle(bundle.toUri().toString()));
            }
            framework.start();
            for (Bundle bundle : installed) {
                if (bundle.getHeaders().get(Constants.FRAGMENT_HOST) == null) {
                    bundle.start();
                }
            }
            frameworks.add(framework);
        }
        System.out.println("STARTED " + k);
        System.out.flush();
        Thread.currentThread().join(); // until the harness stops this JVM
    }

    /** The bundles inside the bnd executable jar ({@code jar/*.jar}), less the launcher and the framework. */
    static List<Path> extractBundles(Path benchJar, Path dir) throws IOException {
        Files.createDirectories(dir);
        List<Path> bundles = new ArrayList<>();
        try (JarFile jar = new JarFile(benchJar.toFile())) {
            for (Enumeration<JarEntry> entries = jar.entries(); entries.hasMoreElements();) {
                JarEntry entry = entries.nextElement();
                String name = entry.getName();
                if (!name.startsWith("jar/") || !name.endsWith(".jar") || name.contains("biz.aQute.launcher")
                        || name.contains("org.apache.felix.framework")) {
                    continue;
                }
                Path target = dir.resolve(name.substring("jar/".length()));
                try (InputStream in = jar.getInputStream(entry)) {
                    Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
                }
                bundles.add(target);
            }
        }
        return bundles;
    }

    private static void stop(Framework framework) {
        try {
            framework.stop();
            framework.waitForStop(5000);
        } catch (Exception e) {
            // the JVM is going away anyway
        }
    }
}
