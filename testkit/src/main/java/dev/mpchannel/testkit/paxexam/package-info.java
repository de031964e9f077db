/**
 * Pax Exam options that provision mpchannel into a test's framework (Felix in Pax Exam's native container):
 * {@link dev.mpchannel.testkit.paxexam.MpChannelOptions}.
 */
@Export
@Version("1.0.0")
package dev.mpchannel.testkit.paxexam;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
