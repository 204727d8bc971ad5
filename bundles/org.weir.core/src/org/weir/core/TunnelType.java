package org.weir.core;

/** Encapsulations the decoder unwraps. Ordinals are stored in {@link PacketView#tunnelType}. */
public enum TunnelType {
    NONE, IP_IN_IP, GRE, TEREDO, VXLAN, GENEVE, AYIYA, GTPV1
}
