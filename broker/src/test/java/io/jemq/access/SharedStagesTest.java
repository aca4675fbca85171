package io.jemq.access;

import io.jemq.api.AclResult;
import io.jemq.api.AuthResult;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The completed stages the access code hands to every caller (IGNORE of an authenticator, the answers of acl.conf,
 * the chain's decisions) are shared by every connection: no caller may change what the others see.
 */
class SharedStagesTest {
    static Stream<CompletableFuture<?>> sharedStages() {
        Stream<CompletableFuture<?>> auth = Stream.of(AuthResult.IGNORE_STAGE);
        Stream<CompletableFuture<?>> results = Stream.of(AclResult.values()).map(AclResult::stage);
        Stream<CompletableFuture<?>> decisions = Stream.of(AclDecision.values()).map(AclDecision::stage);
        return Stream.of(auth, results, decisions).flatMap(s -> s);
    }

    @ParameterizedTest
    @MethodSource("sharedStages")
    @SuppressWarnings("unchecked")
    void noCallerCanCompleteObtrudeOrCancelASharedStage(CompletableFuture<?> shared) {
        CompletableFuture<Object> stage = (CompletableFuture<Object>) shared.toCompletableFuture();
        Object value = stage.join();
        List<Consumer<CompletableFuture<Object>>> attempts = List.of(
                f -> f.obtrudeValue("changed"),
                f -> f.obtrudeException(new IllegalStateException("changed")),
                f -> f.complete("changed"),
                f -> f.completeExceptionally(new IllegalStateException("changed")),
                f -> f.cancel(true));
        for (Consumer<CompletableFuture<Object>> attempt : attempts) {
            assertThatThrownBy(() -> attempt.accept(stage)).isInstanceOf(UnsupportedOperationException.class);
        }

        assertThat(shared.isCompletedExceptionally()).isFalse();
        assertThat(shared.join()).isSameAs(value);
    }

    @ParameterizedTest
    @MethodSource("sharedStages")
    void stagesBuiltOnASharedStageAreOrdinaryFutures(CompletableFuture<?> shared) {
        CompletableFuture<String> next = shared.thenApply(String::valueOf);

        assertThat(next.complete("mine")).isFalse();                        // already done, like any other
        next.obtrudeValue("mine");
        assertThat(next.join()).isEqualTo("mine");
        assertThat(shared.join()).isNotEqualTo("mine");
    }
}
