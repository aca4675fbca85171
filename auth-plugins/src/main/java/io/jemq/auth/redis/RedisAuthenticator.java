package io.jemq.auth.redis;

import io.jemq.api.AuthResult;
import io.jemq.api.Authenticator;
import io.jemq.api.ClientInfo;
import io.jemq.api.CommandTemplate;
import io.jemq.api.PasswordHash;
import io.jemq.api.PlaceholderValues;
import io.jemq.api.PluginContext;
import io.jemq.api.PluginMetrics;
import io.jemq.api.SourceUnavailableException;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.RejectedExecutionException;

/**
 * {@code auth.redis.auth_cmd}: looks the client up (EMQ's {@code HMGET mqtt_user:%u password [salt]}, or the seed's
 * {@code HGET mqtt_user:%u password}) and checks the password with {@code auth.redis.password_hash}; then
 * {@code auth.redis.super_cmd} says whether it is a superuser (the reply {@code 1}). Both commands are sent at once
 * (Redis pipelines them), so a CONNECT costs one round trip.
 *
 * <p>Called on the client's event loop; returns at once. The replies complete on Lettuce's I/O threads, where fast
 * digests are checked; bcrypt and pbkdf2 are checked on the plugin's pool. Answers: no username, or a nil first
 * field → IGNORE; a user and a wrong or missing password → DENY; Redis unreachable, too slow, or refusing the command
 * → a failed stage naming what failed (the broker's {@code auth.redis.on_error} answers it).
 */
final class RedisAuthenticator implements Authenticator {
    private final PluginContext context;
    private final RedisConnector redis;
    private final CommandTemplate authCmd;
    private final PasswordHash hash;
    private final boolean slowHash;
    private final CommandTemplate superCmd;
    private final PluginMetrics.Counter success;
    private final PluginMetrics.Counter failure;
    private final PluginMetrics.Counter ignore;

    RedisAuthenticator(PluginContext context, RedisConnector redis, RedisConfig config) {
        this.context = context;
        this.redis = redis;
        this.authCmd = config.authCmd();
        this.hash = config.passwordHash();
        String spec = hash.toString();
        this.slowHash = spec.startsWith("bcrypt") || spec.startsWith("pbkdf2");
        this.superCmd = config.superCmd();
        this.success = context.metrics().counter("auth/success");
        this.failure = context.metrics().counter("auth/failure");
        this.ignore = context.metrics().counter("auth/ignore");
    }

    @Override
    public String name() {
        return context.name();
    }

    @Override
    public CompletionStage<AuthResult> authenticate(ClientInfo client, byte[] password) {
        PlaceholderValues values = PlaceholderValues.of(client).withPassword(password);
        if (!authCmd.unfilled(values).isEmpty()) {
            ignore.increment();                                 // no username: asking for mqtt_user: would be wrong
            return AuthResult.IGNORE_STAGE;
        }
        CompletableFuture<List<Object>> user = redis.send(authCmd.arguments(values), "auth.redis.auth_cmd");
        CompletableFuture<Boolean> superuser = superCmd == null || !superCmd.unfilled(values).isEmpty()
                ? CompletableFuture.completedFuture(false)
                : redis.send(superCmd.arguments(values), "auth.redis.super_cmd")
                        .thenApply(r -> !r.isEmpty() && "1".equals(r.get(0)));
        CompletableFuture<AuthResult> checked = slowHash
                ? user.thenApplyAsync(r -> check(r, password), context.blockingExecutor())
                : user.thenApply(r -> check(r, password));
        return checked.handle((result, e) -> {
            if (e != null) {
                throw new CompletionException(unwrap(e));
            }
            return result;
        }).thenCompose(result -> result.decision() != AuthResult.Decision.ALLOW
                ? CompletableFuture.completedFuture(result)
                : superuser.thenApply(AuthResult::allow));
    }

    /** The reply of auth_cmd: {@code [hash]} or {@code [hash, salt]}; a nil hash means no such user. */
    private AuthResult check(List<Object> reply, byte[] password) {
        if (reply.isEmpty() || reply.get(0) == null) {
            ignore.increment();
            return AuthResult.IGNORE;
        }
        if (!(reply.get(0) instanceof String stored) || (reply.size() > 1 && reply.get(1) != null
                && !(reply.get(1) instanceof String))) {
            throw new SourceUnavailableException(context.name(), "auth.redis.auth_cmd (" + authCmd
                    + ") replied " + reply + ", expected the password hash (and salt) of a hash's fields, as "
                    + "HMGET mqtt_user:%u password salt gives");
        }
        String salt = reply.size() > 1 ? (String) reply.get(1) : null;
        if (password == null) {
            failure.increment();
            return AuthResult.deny("no password");
        }
        if (!hash.matches(password, stored, salt)) {
            failure.increment();
            return AuthResult.deny("bad password");
        }
        success.increment();
        return AuthResult.allow(false);
    }

    private Throwable unwrap(Throwable e) {
        Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
        if (cause instanceof RejectedExecutionException) {
            return new SourceUnavailableException(context.name(), "its pool is busy: " + cause.getMessage());
        }
        return cause;
    }
}
