/**
 * The wire format: frames, their codec and limits, reading and writing them with file descriptors.
 * Exported for the mpchannel impl bundles only; not a public contract (0.x, changes freely).
 */
@Export
@Version("0.1.0")
package dev.mpchannel.transport.wire;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
