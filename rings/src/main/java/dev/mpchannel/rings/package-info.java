/**
 * Shared-memory rings opened over an mpchannel {@link dev.mpchannel.api.Channel channel}: the data plane beside the
 * channel's control plane. One side {@linkplain dev.mpchannel.rings.Rings#open opens} a {@link
 * dev.mpchannel.rings.RingPair pair} of one-way rings to a peer; the peer's {@link dev.mpchannel.rings.RingAcceptor}
 * of that name takes it. Records go through memory both processes map, with no system call unless the consumer
 * {@linkplain dev.mpchannel.rings.Idle#PARK parks}. The memory layout and the doorbell protocol are in docs/rings.md.
 */
@Export
@Version("1.0.0")
package dev.mpchannel.rings;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
