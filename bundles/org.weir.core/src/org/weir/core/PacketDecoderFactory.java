package org.weir.core;

/** DS service that makes decoders; each pipeline thread asks for its own. */
public interface PacketDecoderFactory {

    PacketDecoder create(DecoderOptions options);
}
