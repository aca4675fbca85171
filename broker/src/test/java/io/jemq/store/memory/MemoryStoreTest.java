package io.jemq.store.memory;

import io.jemq.message.Delivery;
import io.jemq.store.Store;
import io.jemq.store.StoreContract;
import io.jemq.store.StoredSession;
import io.jemq.store.Written;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The memory store keeps the store contract, and its writes are durable at once, without allocating a result. */
class MemoryStoreTest extends StoreContract {

    @Override
    protected Store newStore(long maxRetained) {
        return new MemoryStore(maxRetained);
    }

    @Test
    void everyWriteAnswersTheSharedDoneResult() {
        Store store = newStore(0);
        StoredSession s = store.sessions().create("c1", 0);
        Delivery d = new Delivery(message("t", "p"), 1, false, null);
        assertThat(s.queue().add(d)).isSameAs(Written.DONE);
        assertThat(s.qos2().receive(1, 0)).isSameAs(Written.DONE);
        assertThat(s.expirySeconds(10)).isSameAs(Written.DONE);
        assertThat(store.retained().durable()).isSameAs(Written.DONE);
        assertThat(s.delete()).isSameAs(Written.DONE);
        boolean[] ran = new boolean[1];
        Written.DONE.whenDone(() -> ran[0] = true);
        assertThat(ran[0]).as("at once, on the caller's thread").isTrue();
    }
}
