package io.jemq.mgmt.trace;

import io.jemq.Broker;
import io.jemq.BrokerModule;

/**
 * Message and packet tracing ({@code ctl trace …}, REFERENCE 2.11): registers the {@code trace} command; traces run
 * until turned off or until the broker stops (nothing of them is kept across a restart). Started and closed by the
 * broker ({@link BrokerModule}).
 */
public final class TraceModule implements BrokerModule {
    private Broker broker;
    private Tracer tracer;

    @Override
    public String name() {
        return "trace";
    }

    @Override
    public void start(Broker broker) {
        this.broker = broker;
        this.tracer = new Tracer(broker, TraceSettings.from(broker.settings().file()));
        broker.commands().register("trace", new TraceCommand(tracer));
    }

    @Override
    public void close() {
        if (tracer != null) {
            broker.commands().unregister("trace");
            tracer.close();
        }
    }
}
