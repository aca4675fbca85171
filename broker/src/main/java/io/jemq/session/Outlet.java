package io.jemq.session;

import io.jemq.message.Delivery;

/**
 * What a session needs of its connection: write packets, know whether the socket keeps up. Implemented by the
 * protocol layer's PacketWriter; called on the owner loop only.
 */
public interface Outlet {
    /** Writes a PUBLISH; false when it could not be sent to this client at all (too large for it). */
    boolean sendPublish(Delivery d, int packetId, boolean dup);

    void sendPubrel(int packetId);

    boolean isWritable();

    /** Clients may cap the inflight window below ours (5.0 Receive Maximum). */
    int receiveMaximum();

    /** 5.0 forbids resending during a connection; 3.x clients get EMQ's retry_interval redelivery. */
    boolean retriesInflight();

    void flush();

    /** Closes the connection because another connection took the session over. */
    void kick();
}
