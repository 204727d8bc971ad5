/**
 * Capture file support other bundles use directly: writing pcap and pcapng files. Reading and decoding are offered as
 * services ({@link org.weir.core.CaptureFormat}, {@link org.weir.core.PacketDecoderFactory}).
 */
@org.osgi.annotation.versioning.Version("0.2.0")
package org.weir.packet;
