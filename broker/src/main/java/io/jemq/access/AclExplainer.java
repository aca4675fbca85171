package io.jemq.access;

import io.jemq.api.Access;
import io.jemq.api.ClientInfo;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Explains a check for an operator: for a connected client with its own superuser flag and ACL cache, otherwise (a
 * client id that is not connected, or a username and address) through the ACL chain as a client with just those
 * details would be checked. Shared by {@code ctl acl explain} and {@code GET /api/v2/acl/explain}, so both say the
 * same. Changes no cache. Thread-safe; answers on whichever thread the last source answered.
 */
public final class AclExplainer {

    /** Asks a connected client's own ACL, on its event loop; empty when it is not connected. */
    @FunctionalInterface
    public interface Connected {
        CompletableFuture<Optional<AclExplanation>> explain(String clientId, Access access, String topic);
    }

    private final AclChain chain;
    private final Connected connected;

    public AclExplainer(AclChain chain, Connected connected) {
        this.chain = chain;
        this.connected = connected;
    }

    /** The connected client's check, or, when it is not connected, the chain's for a client with only that id. */
    public CompletableFuture<AclExplanation> byClientId(String clientId, Access access, String topic) {
        return connected.explain(clientId, access, topic).thenCompose(found -> found.isPresent()
                ? CompletableFuture.completedFuture(found.get())
                : chain.explain(new ClientInfo(clientId, null, null, 4, null), access, topic)
                        .thenApply(e -> noted(e, "client " + clientId + " is not connected: asked as a client with "
                                + "that id, no username and no address (superuser status is decided at CONNECT)")));
    }

    /**
     * The chain's check for a client with this username and IP address (either may be null) and an empty client id.
     *
     * @throws IllegalArgumentException when {@code ip} is not an IP address literal
     */
    public CompletableFuture<AclExplanation> byUsername(String username, String ip, Access access, String topic) {
        InetSocketAddress peer = ip == null || ip.isEmpty() ? null : new InetSocketAddress(literal(ip), 0);
        return chain.explain(new ClientInfo("", username, peer, 4, null), access, topic)
                .thenApply(e -> noted(e, "asked as a client with username " + username + (peer == null ? ""
                        : " from " + ip) + " (not a connection: no ACL cache, superuser status not known)"));
    }

    private static AclExplanation noted(AclExplanation e, String note) {
        return new AclExplanation(e.allowed(), e.decidedBy(), e.reason() + "; " + note, new ArrayList<>(e.steps()));
    }

    /** Parses an address literal only: never a name lookup. */
    private static InetAddress literal(String ip) {
        if (!ip.matches("[0-9a-fA-F.:]+") || !ip.contains(".") && !ip.contains(":")) {
            throw new IllegalArgumentException("not an IP address: " + ip);
        }
        try {
            return InetAddress.getByName(ip);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not an IP address: " + ip);
        }
    }

    /** {@code publish} or {@code subscribe}. */
    public static Access access(String text) {
        return switch (text) {
            case "publish", "pub", "2" -> Access.PUBLISH;
            case "subscribe", "sub", "1" -> Access.SUBSCRIBE;
            default -> throw new IllegalArgumentException("access must be publish or subscribe, got " + text);
        };
    }
}
