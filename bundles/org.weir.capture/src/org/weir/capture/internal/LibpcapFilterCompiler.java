package org.weir.capture.internal;

import org.osgi.service.component.annotations.Component;
import org.weir.core.CaptureFilter;
import org.weir.core.CaptureFilterCompiler;

/**
 * The {@link CaptureFilterCompiler} service: libpcap compiles the expression, exactly as for tcpdump and Zeek, and
 * {@link BpfProgram} runs it in Java, so that the packet path makes no native call per frame. libpcap is loaded on
 * the first compile: a machine without it runs everything but filters.
 */
@Component(service = CaptureFilterCompiler.class)
public final class LibpcapFilterCompiler implements CaptureFilterCompiler {

    private Libpcap.Api pcap;

    @Override
    public synchronized CaptureFilter compile(String expression, int linkType) {
        if (pcap == null) {
            pcap = Libpcap.load(Libpcap.Api.class);
        }
        return Libpcap.compile(pcap, expression, linkType);
    }
}
