/**
 * DPDK's own multi-process wire ({@code rte_mp_*}), so that a channel can join a DPDK application as one of its
 * secondaries: the datagram layouts, the runtime directory, and a connection that turns datagrams into the channel's
 * frames. Exported for the mpchannel impl bundles only; not a public contract (0.x, changes freely).
 */
@Export
@Version("0.1.0")
package dev.mpchannel.transport.dpdk;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
