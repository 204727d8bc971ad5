package org.weir.packet.internal;

import org.osgi.service.component.annotations.Component;
import org.weir.core.DecoderOptions;
import org.weir.core.PacketDecoder;
import org.weir.core.PacketDecoderFactory;

/** Makes one {@link Decoder} per pipeline thread. */
@Component(service = PacketDecoderFactory.class)
public final class DecoderFactory implements PacketDecoderFactory {

    @Override
    public PacketDecoder create(DecoderOptions options) {
        return new Decoder(options == null ? DecoderOptions.defaults() : options);
    }
}
