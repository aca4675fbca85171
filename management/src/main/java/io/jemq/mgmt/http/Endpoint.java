package io.jemq.mgmt.http;

import java.util.concurrent.CompletionStage;

/**
 * One route's work. Called on one of the API's threads (never a Netty event loop), so it may block briefly (a file,
 * a bcrypt check, a plugin load); what it waits for from the broker comes as a future. The answer is a {@link Reply}
 * sent as it is, a {@link Page} or any other value Jackson writes, sent in EMQ's envelope
 * {@code {"code":0,"result":...}} ({@code null}: {@code {"code":0}}). Refusals are thrown as {@link ApiError}.
 */
@FunctionalInterface
public interface Endpoint {
    CompletionStage<?> handle(Call call) throws Exception;
}
