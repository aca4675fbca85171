package io.jemq.mgmt.http;

import io.jemq.api.ConfigException;
import io.jemq.mgmt.admin.AdminSessions;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * The last step of the management listener's pipeline: finds the route of each whole request, checks the admin, runs
 * the endpoint on the API's executor and writes the answer: EMQ's JSON envelope, or the endpoint's own {@link Reply}.
 * Any failure becomes a JSON error with EMQ's code (REFERENCE 2.12); an unexpected one is logged here and answered 500
 * without its stack trace.
 *
 * <p>Shared by every connection of the listener; {@link #channelRead0} runs on the connection's event loop and only
 * copies the request, the endpoint runs on the executor, and the answer is written from whichever thread finishes.
 */
@ChannelHandler.Sharable
final class RequestHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
    private static final Logger log = LoggerFactory.getLogger(RequestHandler.class);
    static final String REALM = "Basic Realm=\"emqx control center\"";

    private final Routes routes;
    private final AdminCheck admins;
    private final Executor executor;

    RequestHandler(Routes routes, AdminCheck admins, Executor executor) {
        this.routes = routes;
        this.admins = admins;
        this.executor = executor;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
        boolean keepAlive = HttpUtil.isKeepAlive(request);
        if (!request.decoderResult().isSuccess()) {
            write(ctx, Reply.text(400, "Bad Request"), false);
            return;
        }
        String method = request.method().name();
        Optional<Routes.Match> match;
        Call call;
        try {
            QueryStringDecoder uri = new QueryStringDecoder(request.uri(), StandardCharsets.UTF_8);
            match = routes.find(method, segments(uri.rawPath()));
            if (match.isEmpty()) {
                write(ctx, Reply.text(404, "Not Found"), keepAlive);
                return;
            }
            call = new Call(method, uri.path(), match.get().params(), uri.parameters(), request.headers().copy(),
                    ByteBufUtil.getBytes(request.content()), (InetSocketAddress) ctx.channel().remoteAddress(), null);
        } catch (IllegalArgumentException badEscape) {
            write(ctx, Reply.text(400, "Bad Request"), keepAlive);      // e.g. %zz in the path or query
            return;
        }
        Routes.Route route = match.get().route();
        try {
            executor.execute(() -> run(ctx, route, call, keepAlive));
        } catch (RejectedExecutionException e) {
            write(ctx, Reply.text(503, "Service Unavailable"), false);
        }
    }

    /** On the API's executor. */
    private void run(ChannelHandlerContext ctx, Routes.Route route, Call call, boolean keepAlive) {
        CompletionStage<?> answer;
        try {
            answer = route.endpoint().handle(route.guard() == Routes.Guard.ADMIN ? authenticated(call) : call);
        } catch (Exception e) {
            answer = CompletableFuture.failedFuture(e);
        }
        answer.whenComplete((result, error) -> write(ctx,
                error == null ? toReply(result) : failure(route, error, call), keepAlive));
    }

    private Call authenticated(Call call) {
        Optional<BasicAuth> basic = BasicAuth.parse(call.headers().get(HttpHeaderNames.AUTHORIZATION));
        if (basic.isEmpty() && admins.sessions() != null) {
            Optional<String> admin = SessionCookie.admin(admins.sessions(), call);
            if (admin.isPresent()) {
                return call.as(admin.get());
            }
        }
        if (basic.isEmpty() || basic.get().username().isEmpty()) {
            throw new ApiError(401, ApiError.EMPTY_LOGIN, "HTTP Basic credentials of an admin are required");
        }
        if (!admins.check(basic.get().username(), basic.get().password())) {
            throw new ApiError(401, ApiError.BAD_LOGIN, "bad username or password");
        }
        return call.as(basic.get().username());
    }

    private static Reply toReply(Object result) {
        if (result instanceof Reply r) {
            return r;
        }
        Map<String, Object> envelope = new LinkedHashMap<>();
        envelope.put("code", 0);
        if (result instanceof Page p) {
            envelope.put("result", p.result());
            envelope.put("meta", p.meta());
        } else if (result != null) {
            envelope.put("result", result);
        }
        return Reply.json(200, envelope);
    }

    /** The error answer; a 401 asks for Basic credentials unless the dashboard made the call (no browser prompt). */
    private static Reply failure(Routes.Route route, Throwable error, Call call) {
        Throwable e = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        if (e instanceof ApiError a) {
            Reply r = Reply.json(a.status(), error(a.code(), String.valueOf(a.getMessage())));
            boolean dashboard = call.headers().contains(AdminSessions.CSRF_HEADER);
            return a.status() == 401 && !dashboard ? r.withHeader("WWW-Authenticate", REALM) : r;
        }
        if (e instanceof ConfigException c) {
            // a config file an endpoint read (a plugin's) is broken: its message names the file, line and key
            return Reply.json(400, error(ApiError.UNKNOWN, c.getMessage()));
        }
        log.warn("{} {} failed", route.method(), route.pattern(), e);
        return Reply.json(500, error(ApiError.UNKNOWN, "internal error: see the broker's log"));
    }

    /** EMQ's error body, code first. */
    private static Map<String, Object> error(int code, String message) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("code", code);
        m.put("message", message);
        return m;
    }

    /** The raw path's segments, each percent-decoded on its own (an encoded slash stays inside its segment). */
    private static List<String> segments(String rawPath) {
        List<String> out = new ArrayList<>();
        String p = rawPath.startsWith("/") ? rawPath.substring(1) : rawPath;
        if (p.isEmpty()) {
            return out;
        }
        for (String s : p.split("/", -1)) {
            out.add(QueryStringDecoder.decodeComponent(s, StandardCharsets.UTF_8));
        }
        return out;
    }

    private void write(ChannelHandlerContext ctx, Reply reply, boolean keepAlive) {
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                HttpResponseStatus.valueOf(reply.status()), Unpooled.wrappedBuffer(reply.body()));
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, reply.contentType());
        response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, reply.body().length);
        reply.headers().forEach((k, v) -> response.headers().set(k, v));
        String warning = admins.warning();
        if (warning != null) {
            response.headers().set(HttpHeaderNames.WARNING, "299 jemq \"" + warning + "\"");
        }
        if (keepAlive) {
            HttpUtil.setKeepAlive(response, true);
            ctx.writeAndFlush(response);
        } else {
            ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        log.debug("management connection from {} failed: {}", ctx.channel().remoteAddress(), cause.toString());
        ctx.close();
    }
}
