package org.weir.capture.internal;

import java.util.ArrayList;
import java.util.List;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import com.sun.jna.Structure;

/**
 * The part of libpcap that Weir calls through JNA: the filter compiler on a "dead" handle, which needs no capture
 * device and no privileges.
 */
public final class Libpcap {

    /** libpcap's functions, as declared in {@code <pcap/pcap.h>}. */
    public interface Api extends Library {
        Pointer pcap_open_dead(int linkType, int snapLength);

        int pcap_compile(Pointer pcap, BpfProgramStruct program, String expression, int optimize, int netmask);

        String pcap_geterr(Pointer pcap);

        void pcap_freecode(BpfProgramStruct program);

        void pcap_close(Pointer pcap);
    }

    /** {@code struct bpf_program}. */
    @Structure.FieldOrder({ "bf_len", "bf_insns" })
    public static final class BpfProgramStruct extends Structure {
        public int bf_len;
        public Pointer bf_insns;
    }

    /** Snap length the programs are compiled for: tcpdump's default, larger than any frame Weir reads. */
    static final int SNAP_LENGTH = 262_144;

    /** {@code PCAP_NETMASK_UNKNOWN}: only {@code ip broadcast} needs the netmask, and refuses without it. */
    static final int NETMASK_UNKNOWN = 0xffffffff;

    /** Names libpcap goes by: the development link, then the runtime libraries of Debian and others. */
    private static final List<String> LIBRARY_NAMES = List.of("pcap", "libpcap.so.1", "libpcap.so.0.8");

    private Libpcap() {
    }

    /**
     * Loads libpcap with the given view of its functions (the tests add the reference filter to {@link Api}).
     *
     * @throws IllegalStateException when libpcap cannot be loaded under any of its names
     */
    public static <T extends Api> T load(Class<T> api) {
        List<String> problems = new ArrayList<>();
        for (String name : LIBRARY_NAMES) {
            try {
                return Native.load(name, api);
            } catch (UnsatisfiedLinkError e) {
                problems.add(e.getMessage());
            }
        }
        throw new IllegalStateException("capture filters need libpcap, which could not be loaded (on Debian: the "
                + "libpcap0.8 package): " + problems.get(0));
    }

    /**
     * Compiles a filter expression with libpcap's optimizer, for frames of a link type.
     *
     * @throws IllegalArgumentException with libpcap's message when the expression does not compile for it
     */
    public static BpfProgram compile(Api pcap, String expression, int linkType) {
        Pointer handle = pcap.pcap_open_dead(dataLinkType(linkType), SNAP_LENGTH);
        if (handle == null) {
            throw new IllegalStateException("libpcap could not open a handle for link type " + linkType);
        }
        try {
            BpfProgramStruct program = new BpfProgramStruct();
            if (pcap.pcap_compile(handle, program, expression, 1, NETMASK_UNKNOWN) != 0) {
                throw new IllegalArgumentException(pcap.pcap_geterr(handle));
            }
            try {
                program.read();
                int n = program.bf_len;
                int[] code = new int[n], jt = new int[n], jf = new int[n], k = new int[n];
                for (int i = 0; i < n; i++) {
                    // struct bpf_insn { u_short code; u_char jt; u_char jf; bpf_u_int32 k; }
                    long at = 8L * i;
                    code[i] = program.bf_insns.getShort(at) & 0xffff;
                    jt[i] = program.bf_insns.getByte(at + 2) & 0xff;
                    jf[i] = program.bf_insns.getByte(at + 3) & 0xff;
                    k[i] = program.bf_insns.getInt(at + 4);
                }
                return new BpfProgram(code, jt, jf, k);
            } finally {
                pcap.pcap_freecode(program);
            }
        } finally {
            pcap.pcap_close(handle);
        }
    }

    /**
     * The DLT value libpcap's compiler knows a file's LINKTYPE by. They differ only where the BSDs had assigned DLT
     * numbers differently: LINKTYPE_ATM_RFC1483 (100) is DLT_ATM_RFC1483 (11), LINKTYPE_RAW (101) is DLT_RAW (12 on
     * all but OpenBSD).
     */
    static int dataLinkType(int linkType) {
        return switch (linkType) {
            case 100 -> 11;
            case 101 -> 12;
            default -> linkType;
        };
    }
}
