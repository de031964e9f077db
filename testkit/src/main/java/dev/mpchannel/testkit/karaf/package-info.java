/**
 * Pax Exam options for a test in Apache Karaf (Pax Exam's Karaf container): mpchannel's features and channel
 * configurations in {@code etc/}, {@link dev.mpchannel.testkit.karaf.KarafOptions}.
 */
@Export
@Version("1.0.0")
package dev.mpchannel.testkit.karaf;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
