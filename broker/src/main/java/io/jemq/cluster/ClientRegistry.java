package io.jemq.cluster;

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
}
