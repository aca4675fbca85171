package io.jemq.api;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

/**
 * A completed future handed to every caller that gets this answer (IGNORE, acl.conf's answers, the ACL chain's
 * decisions): one instance, so the synchronous path allocates nothing. Being shared, it refuses whatever would change
 * it for the others (complete, obtrude, cancel) with {@link UnsupportedOperationException}. It stays a
 * {@link CompletableFuture} because the hot path reads it with {@code isDone} and {@code getNow}; stages built on it
 * ({@code thenApply}, {@code copy}) are ordinary futures.
 */
public final class SharedStage<T> extends CompletableFuture<T> {
    public SharedStage(T value) {
        super.complete(value);
    }

    @Override
    public boolean complete(T value) {
        throw refused();
    }

    @Override
    public boolean completeExceptionally(Throwable ex) {
        throw refused();
    }

    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
        throw refused();
    }

    @Override
    public void obtrudeValue(T value) {
        throw refused();
    }

    @Override
    public void obtrudeException(Throwable ex) {
        throw refused();
    }

    @Override
    public CompletableFuture<T> completeAsync(Supplier<? extends T> supplier, Executor executor) {
        throw refused();
    }

    @Override
    public CompletableFuture<T> completeAsync(Supplier<? extends T> supplier) {
        throw refused();
    }

    // orTimeout and completeOnTimeout are left as they are: on a completed future they do nothing

    private static UnsupportedOperationException refused() {
        return new UnsupportedOperationException("a shared completed stage cannot be changed; copy() it");
    }
}
