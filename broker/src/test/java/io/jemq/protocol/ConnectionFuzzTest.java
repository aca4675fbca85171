package io.jemq.protocol;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.jemq.access.AccessControl;
import io.jemq.codec.PacketFramer;
import io.jemq.config.BrokerSettings;
import io.jemq.retain.Retainer;
import io.jemq.routing.Router;
import io.jemq.routing.Dispatcher;
import io.jemq.session.SessionRegistry;
import io.jemq.sys.Counters;
import io.jemq.will.Wills;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.mqtt.MqttDecoder;
import io.netty.handler.codec.mqtt.MqttEncoder;
import io.netty.handler.flow.FlowControlHandler;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.slf4j.LoggerFactory;

import java.util.Arrays;
import java.util.HexFormat;

/**
 * Fuzzes a whole connection: the broker's MQTT pipeline (framer, decoder, encoder, flow control) ending in a real
 * {@link ConnectionHandler} over fresh broker services (sessions, routing, retained messages, wills, access control
 * with the defaults: anonymous clients allowed, no ACL rules), in an EmbeddedChannel. The input is the bytes a client
 * sends, cut in up to four chunks, as for the decoder targets ({@code io.jemq.codec.DecoderFuzzing}): packet bytes,
 * six bytes of cut points, a flag byte (bit 0: send a 3.1.1 CONNECT first, bit 1: a 5.0 one). A finding is an
 * exception out of the pipeline, or one that the connection caught itself (it logs "connection ... failed" with the
 * exception and closes with internal_error). The corpus is in
 * {@code src/test/resources/io/jemq/protocol/ConnectionFuzzTestInputs/connection/}.
 */
class ConnectionFuzzTest {
    private static final HexFormat HEX = HexFormat.ofDelimiter(" ");
    private static final byte[] CONNECT_311 = HEX.parseHex("10 0d 00 04 4d 51 54 54 04 02 00 3c 00 01 61");
    private static final byte[] CONNECT_5 = HEX.parseHex("10 0e 00 04 4d 51 54 54 05 02 00 3c 00 00 01 61");
    private static final BrokerSettings SETTINGS = BrokerSettings.defaults();
    private static final Logger JEMQ = (Logger) LoggerFactory.getLogger("io.jemq");
    /** The budgets a broker with these settings has; shared by every input (only their limits matter here). */
    private static final io.jemq.limits.MemoryBudgets BUDGETS =
            new io.jemq.limits.MemoryBudgets(SETTINGS.budgets(), new io.jemq.sys.Alarms());
    private static final ListAppender<ILoggingEvent> FAILURES = new ListAppender<>();
    private static Level level;

    @BeforeAll
    static void capture() {
        level = JEMQ.getLevel();
        FAILURES.start();
        JEMQ.addAppender(FAILURES);
        JEMQ.setLevel(Level.WARN);
        JEMQ.setAdditive(false);                       // what a client can make the broker log is no finding
    }

    @AfterAll
    static void restore() {
        JEMQ.detachAppender(FAILURES);
        JEMQ.setAdditive(true);
        JEMQ.setLevel(level);
    }

    @FuzzTest(maxDuration = "60s")
    void connection(FuzzedDataProvider data) {
        int flags = data.consumeByte();
        int[] cuts = {data.consumeShort() & 0xFFFF, data.consumeShort() & 0xFFFF, data.consumeShort() & 0xFFFF};
        byte[] input = data.consumeRemainingAsBytes();
        for (int i = 0; i < cuts.length; i++) {
            cuts[i] %= input.length + 1;
        }
        Arrays.sort(cuts);

        Counters counters = new Counters();
        Router router = new Router(SETTINGS.sharedStrategy());
        SessionRegistry sessions = new SessionRegistry(SETTINGS.session(), SETTINGS.mqueue(), router, counters,
                BUDGETS);
        Retainer retainer = new Retainer(SETTINGS.retainer(), counters, BUDGETS.retained());
        Dispatcher dispatcher = new Dispatcher(router, retainer::onRetainedPublish, SETTINGS.session(), counters);
        AccessControl access = new AccessControl(SETTINGS.access(), true, counters);
        ConnectionServices services = new ConnectionServices(SETTINGS, sessions, dispatcher, retainer, access,
                new Wills(dispatcher::dispatch, sessions), counters, BUDGETS, new io.jemq.events.BrokerEvents());
        int max = SETTINGS.mqtt().maxPacketSize();
        EmbeddedChannel ch = new EmbeddedChannel(new PacketFramer(max, counters, BUDGETS.reads()),
                new MqttDecoder(max, SETTINGS.mqtt().maxClientIdLength()), MqttEncoder.INSTANCE,
                new FlowControlHandler(), new ConnectionHandler(services, "tcp.fuzz"));
        FAILURES.list.clear();
        try {
            if ((flags & 3) != 0) {
                write(ch, (flags & 1) != 0 ? CONNECT_311 : CONNECT_5);
            }
            int from = 0;
            for (int cut : cuts) {
                write(ch, Arrays.copyOfRange(input, from, cut));
                from = cut;
            }
            write(ch, Arrays.copyOfRange(input, from, input.length));
            ch.close();
            ch.runPendingTasks();
            ch.checkException();
        } finally {
            ch.finishAndReleaseAll();
        }
        for (ILoggingEvent e : FAILURES.list) {
            if (e.getThrowableProxy() != null || e.getLevel().isGreaterOrEqual(Level.ERROR)) {
                throw new AssertionError("the connection failed: " + e.getFormattedMessage() + ": "
                        + (e.getThrowableProxy() == null ? "" : e.getThrowableProxy().getClassName() + ": "
                        + e.getThrowableProxy().getMessage()));
            }
        }
    }

    private static void write(EmbeddedChannel ch, byte[] bytes) {
        if (bytes.length == 0 || !ch.isOpen()) {
            return;
        }
        ch.writeInbound(Unpooled.wrappedBuffer(bytes));
        ch.runPendingTasks();
        Object out;
        while ((out = ch.readOutbound()) != null) {
            io.netty.util.ReferenceCountUtil.release(out);
        }
    }
}
