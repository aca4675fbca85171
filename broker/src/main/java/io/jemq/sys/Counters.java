package io.jemq.sys;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/**
 * The broker's one counter table: the {@link Counter}s ({@code $SYS/.../metrics/...}), the {@link Stat}s with their
 * maximum ({@code $SYS/.../stats/...}), one {@link ListenerCounters} row per listener and one {@link AuthOutcome} row
 * per authentication source. Built by the broker and handed to whoever counts.
 *
 * <p>Threads: bumped from every event loop (and auth executors) at once, so each counter is a {@link LongAdder}
 * found by the enum's ordinal in an array: no lookup, no lock, no allocation on the hot path. Read by exporters
 * ({@link #snapshot}, {@link #stats}, {@link #figures}) on any thread; a read sums the adders, so it is exact once the
 * counting threads are quiet and close to exact while they run.
 */
public final class Counters {
    private static final Counter[] RECEIVED_BY_TYPE = new Counter[16];
    private static final Counter[] SENT_BY_TYPE = new Counter[16];
    private static final Counter[] QOS_RECEIVED = {
        Counter.MESSAGES_QOS0_RECEIVED, Counter.MESSAGES_QOS1_RECEIVED, Counter.MESSAGES_QOS2_RECEIVED};
    private static final Counter[] QOS_SENT = {
        Counter.MESSAGES_QOS0_SENT, Counter.MESSAGES_QOS1_SENT, Counter.MESSAGES_QOS2_SENT};

    static {
        // indexed by the MQTT control packet type, the high nibble of a packet's first byte
        RECEIVED_BY_TYPE[1] = Counter.PACKETS_CONNECT;
        RECEIVED_BY_TYPE[3] = Counter.PACKETS_PUBLISH_RECEIVED;
        RECEIVED_BY_TYPE[4] = Counter.PACKETS_PUBACK_RECEIVED;
        RECEIVED_BY_TYPE[5] = Counter.PACKETS_PUBREC_RECEIVED;
        RECEIVED_BY_TYPE[6] = Counter.PACKETS_PUBREL_RECEIVED;
        RECEIVED_BY_TYPE[7] = Counter.PACKETS_PUBCOMP_RECEIVED;
        RECEIVED_BY_TYPE[8] = Counter.PACKETS_SUBSCRIBE;
        RECEIVED_BY_TYPE[10] = Counter.PACKETS_UNSUBSCRIBE;
        RECEIVED_BY_TYPE[12] = Counter.PACKETS_PINGREQ;
        RECEIVED_BY_TYPE[14] = Counter.PACKETS_DISCONNECT;
        SENT_BY_TYPE[2] = Counter.PACKETS_CONNACK;
        SENT_BY_TYPE[3] = Counter.PACKETS_PUBLISH_SENT;
        SENT_BY_TYPE[4] = Counter.PACKETS_PUBACK_SENT;
        SENT_BY_TYPE[5] = Counter.PACKETS_PUBREC_SENT;
        SENT_BY_TYPE[6] = Counter.PACKETS_PUBREL_SENT;
        SENT_BY_TYPE[7] = Counter.PACKETS_PUBCOMP_SENT;
        SENT_BY_TYPE[9] = Counter.PACKETS_SUBACK;
        SENT_BY_TYPE[11] = Counter.PACKETS_UNSUBACK;
        SENT_BY_TYPE[13] = Counter.PACKETS_PINGRESP;
        SENT_BY_TYPE[14] = Counter.PACKETS_DISCONNECT_SENT;
    }

    private final LongAdder[] counters = adders(Counter.values().length);
    private final AtomicReferenceArray<LongSupplier> statNow = new AtomicReferenceArray<>(Stat.values().length);
    private final AtomicLong[] statMax = new AtomicLong[Stat.values().length];
    private final ConcurrentHashMap<String, ListenerCounters> listeners = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, LongAdder[]> authSources = new ConcurrentHashMap<>();

    public Counters() {
        for (int i = 0; i < statMax.length; i++) {
            statMax[i] = new AtomicLong();
        }
    }

    static LongAdder[] adders(int n) {
        LongAdder[] a = new LongAdder[n];
        for (int i = 0; i < n; i++) {
            a[i] = new LongAdder();
        }
        return a;
    }

    // ---------------------------------------------------------------- counting (hot path)

    public void bump(Counter c) {
        counters[c.ordinal()].increment();
    }

    public void add(Counter c, long n) {
        counters[c.ordinal()].add(n);
    }

    /** One MQTT packet received: {@code packets/received} and its type's counter. {@code type} 0 = not decoded. */
    public void packetReceived(int type) {
        counters[Counter.PACKETS_RECEIVED.ordinal()].increment();
        Counter c = RECEIVED_BY_TYPE[type & 0x0F];
        if (c != null) {
            counters[c.ordinal()].increment();
        }
    }

    /** One MQTT packet sent: {@code packets/sent} and its type's counter. */
    public void packetSent(int type) {
        counters[Counter.PACKETS_SENT.ordinal()].increment();
        Counter c = SENT_BY_TYPE[type & 0x0F];
        if (c != null) {
            counters[c.ordinal()].increment();
        }
    }

    /** One application message accepted from a publisher: {@code messages/received} and its QoS's counter. */
    public void messageReceived(int qos) {
        counters[Counter.MESSAGES_RECEIVED.ordinal()].increment();
        counters[QOS_RECEIVED[qos].ordinal()].increment();
    }

    /** One application message written to a subscriber: {@code messages/sent} and its QoS's counter. */
    public void messageSent(int qos) {
        counters[Counter.MESSAGES_SENT.ordinal()].increment();
        counters[QOS_SENT[qos].ordinal()].increment();
    }

    /** Counted once per CONNECT and source, so the row is looked up by name: not the hot path. */
    public void authOutcome(String source, AuthOutcome outcome) {
        authSources.computeIfAbsent(source, s -> adders(AuthOutcome.values().length))[outcome.ordinal()].increment();
    }

    /** A listener's row, made on first use; its handlers keep it so they never look it up again. */
    public ListenerCounters listener(String listenerId) {
        return listeners.computeIfAbsent(listenerId, ListenerCounters::new);
    }

    // ---------------------------------------------------------------- stats

    /** Where a stat's value now is read from; bound once when the broker is wired. */
    public void bind(Stat s, LongSupplier now) {
        statNow.set(s.ordinal(), now);
    }

    /** An owner's new value of a stat (called where the value changes, off the hot path): keeps the maximum. */
    public void observe(Stat s, long value) {
        AtomicLong max = statMax[s.ordinal()];
        long seen = max.get();
        while (value > seen && !max.compareAndSet(seen, value)) {
            seen = max.get();
        }
    }

    /** The stat's value now; 0 when nothing was bound. */
    public long count(Stat s) {
        LongSupplier now = statNow.get(s.ordinal());
        return now == null ? 0 : now.getAsLong();
    }

    /** The highest value the stat had since the broker started (at least its value now). */
    public long max(Stat s) {
        observe(s, count(s));
        return statMax[s.ordinal()].get();
    }

    // ---------------------------------------------------------------- reading

    public long get(Counter c) {
        return c.isGauge() ? count(c.gaugeOf()) : counters[c.ordinal()].sum();
    }

    /** One source's count of one outcome; 0 for a source never asked. */
    public long auth(String source, AuthOutcome outcome) {
        LongAdder[] row = authSources.get(source);
        return row == null ? 0 : row[outcome.ordinal()].sum();
    }

    /**
     * The {@code $SYS/.../metrics/} tree, sorted by path: every {@link Counter} ({@code packets/puback/missed → 3}),
     * then per source {@code auth/<source>/<outcome>} and per listener {@code listeners/<id>/<path>}.
     */
    public Map<String, Long> snapshot() {
        Map<String, Long> m = new TreeMap<>();
        for (Figure f : figures()) {
            if (f.path().startsWith("metrics/")) {
                m.put(f.path().substring("metrics/".length()), f.value());
            }
        }
        return m;
    }

    /** The {@code $SYS/.../stats/} tree, sorted by path: {@code clients/count → 2}, {@code clients/max → 5}... */
    public Map<String, Long> stats() {
        Map<String, Long> m = new TreeMap<>();
        for (Stat s : Stat.values()) {
            m.put(s.countPath(), count(s));
            m.put(s.maxPath(), max(s));
        }
        return m;
    }

    /** Every figure with its $SYS path and Prometheus name, in table order (for {@code /metrics} and the REST API). */
    public List<Figure> figures() {
        List<Figure> out = new ArrayList<>();
        for (Counter c : Counter.values()) {
            out.add(new Figure("metrics/" + c.path(), c.prometheusName(), c.isGauge(), null, null, c.help(), get(c)));
        }
        for (Stat s : Stat.values()) {
            out.add(new Figure("stats/" + s.countPath(), s.prometheusCount(), true, null, null, s.help(), count(s)));
            out.add(new Figure("stats/" + s.maxPath(), s.prometheusMax(), true, null, null,
                    "most " + s.help() + " since the broker started", max(s)));
        }
        new TreeMap<>(listeners).forEach((id, row) -> {
            for (ListenerCounter c : ListenerCounter.values()) {
                out.add(new Figure("metrics/listeners/" + id + "/" + c.path(), c.prometheusName(), false, "listener",
                        id, c.help(), row.get(c)));
            }
        });
        new TreeMap<>(authSources).forEach((source, row) -> {
            for (AuthOutcome o : AuthOutcome.values()) {
                out.add(new Figure("metrics/auth/" + source + "/" + o.path(), o.prometheusName(), false, "source",
                        source, o.help(), row[o.ordinal()].sum()));
            }
        });
        return out;
    }
}
