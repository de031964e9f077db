/**
 * Testing one's own actions with mpchannel: {@link dev.mpchannel.testkit.ChannelConfiguration} describes a channel,
 * {@link dev.mpchannel.testkit.PeerProcess} runs a peer in another JVM with the test's bundles and channel,
 * {@link dev.mpchannel.testkit.ChannelAssertions} checks replies and counters, and
 * {@link dev.mpchannel.testkit.InMemoryChannel} stands in for a channel in a unit test. Nothing here needs Pax Exam;
 * its options are in {@code dev.mpchannel.testkit.paxexam} and {@code dev.mpchannel.testkit.karaf}.
 */
@Export
@Version("1.0.0")
package dev.mpchannel.testkit;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
