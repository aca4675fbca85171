package io.jemq.store.rocksdb;

import io.jemq.message.Delivery;
import io.jemq.message.Message;
import io.jemq.message.Message.MessageProperties;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** A queued message's record, written the fast way, is the record the stream form writes and reads back. */
class CodecTest {

    @Test
    void theDirectEncodingIsTheStreamEncodingByteForByte() throws Exception {
        Method stream = Codec.class.getDeclaredMethod("deliveryByStream", Delivery.class);
        stream.setAccessible(true);
        String[] topics = {"a/b", "t/ümlaut/€", "emoji/\uD83D\uDE00"};
        String[] publishers = {"client-1", null, "ид"};
        for (int i = 0; i < topics.length; i++) {
            Message m = new Message(topics[i], 1, i == 1, Unpooled.wrappedBuffer(("payload " + i)
                    .getBytes(StandardCharsets.UTF_8)), publishers[i], 1000L + i, i == 2 ? 5000 : 0,
                    MessageProperties.NONE);
            Delivery d = new Delivery(m, 1, i == 0, i == 2 ? new int[] {7, 300000} : new int[0]);
            byte[] fast = Codec.delivery(d);
            assertThat(fast).isEqualTo((byte[]) stream.invoke(null, d));
            Delivery back = Codec.delivery(fast);
            assertThat(back.message().topic()).isEqualTo(topics[i]);
            assertThat(back.message().publisherId()).isEqualTo(publishers[i]);
            assertThat(back.message().payloadBytes()).isEqualTo(m.payloadBytes());
            assertThat(back.subscriptionIds()).isEqualTo(d.subscriptionIds());
            back.release();
            m.release();
        }
    }

    @Test
    void keysOfMessagesSortBySequence() {
        byte[] key = Keys.message(Keys.QUEUED, 0x0102030405060708L, 0x1112131415161718L);
        assertThat(Keys.incarnation(key)).isEqualTo(0x0102030405060708L);
        assertThat(Keys.tail(key)).isEqualTo(0x1112131415161718L);
        assertThat(key[0]).isEqualTo(Keys.QUEUED);
    }
}
