/**
 * The modules of the JDK that Fray instruments for the *FrayTest tests (profile "fray" in this module's pom): a JDK
 * without packaged modules (jmods/, as Temurin 24+ ships) can still be linked from its run-time image, so the build
 * packs this one module, which requires what the tests use, and lets jlink take the rest from the running JDK.
 */
module mpchannel.fray.jdk {
    requires java.se;
    requires jdk.attach;
    requires jdk.charsets;
    requires jdk.jdwp.agent;
    requires jdk.jfr;
    requires jdk.localedata;
    requires jdk.management;
    requires jdk.management.agent;
    requires jdk.net;
    requires jdk.unsupported;
    requires jdk.zipfs;
}
