package io.jemq.cluster;

import io.jemq.store.StoredSession;

import java.util.concurrent.CompletableFuture;

/**
 * Which node holds each client id's session, for take-over across nodes: a client that connects here while its
 * session lives on another node must have that node end or hand over its session first. Which event loop of this
 * node holds it is the session registry's business.
 *
 * <p>Threads: any; {@link #claim} runs on the loop of the connecting client, inside the registry's decision for
 * that client id, so it must answer at once (a cluster implementation answers from its replicated table and does
 * the remote take-over asynchronously).
 */
public interface ClientRegistry {

    /** One node alone: every client is here. */
    ClientRegistry SINGLE_NODE = new ClientRegistry() {
        @Override
        public CompletableFuture<Boolean> claim(String clientId, boolean resume) {
            return null;
        }

        @Override
        public void released(String clientId) {
        }
    };

    /**
     * This node now holds {@code clientId}'s session.
     *
     * @param resume the client asked to resume its session (clean start 0): a cluster moves the session held by
     *               another node here (subscriptions and undelivered messages, through
     *               {@link io.jemq.session.SessionRegistry#adopt}); otherwise that node just ends it
     * @return when another node held it and the client resumes: the hand-off, completing (on any thread) with true
     *         once that node's session was given to this node's ({@code adopt} called), with false when that node
     *         had none or did not answer in time; null when there is nothing to wait for (no allocation then)
     */
    CompletableFuture<Boolean> claim(String clientId, boolean resume);

    /** The session of {@code clientId} ended on this node. */
    void released(String clientId);

    /**
     * The store of a session this node holds from now on, made or recovered: a cluster may wrap it to mirror a
     * durable session where the other nodes can read it. A node alone answers {@code stored} itself (no allocation).
     * Called on the loop opening the session, or on the broker's start thread for a recovered one (after the
     * modules started, before the listeners open), never for a session already running.
     *
     * @param expirySeconds what the session's connection asked for (a recovered session: what it kept)
     * @param recovered     found in this node's store at start
     * @return what the session works on; null (recovered only) when another node holds the session by now, so this
     *         node must drop its copy
     */
    default StoredSession holding(StoredSession stored, long expirySeconds, boolean recovered) {
        return stored;
    }
}
