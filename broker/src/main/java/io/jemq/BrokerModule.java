package io.jemq;

/**
 * A part that runs beside the core and is found on the class path, not named by it: management (HTTP API,
 * {@code $SYS}, Prometheus, trace), the cluster member. Declared in {@code META-INF/services/io.jemq.BrokerModule}
 * with a public no-argument constructor; {@link java.util.ServiceLoader} makes a fresh instance for each broker, so a
 * module may keep per-broker state in fields.
 *
 * <p>{@link Broker#start()} calls {@link #start} on its own thread, after the plugins loaded and before the MQTT
 * listeners bind, by {@link #startOrder()} and within one order as the class path lists them; a module that throws
 * stops the start (the message names the module). {@link Broker#close()} closes the started modules first, in reverse
 * order, while sessions and plugins still exist. Embedding code and tests reach a running module with
 * {@link Broker#module(Class)}.
 */
public interface BrokerModule extends AutoCloseable {

    /** A short name for logs and errors, e.g. {@code management}. */
    String name();

    /**
     * When to start among the modules, lowest first (default 0): a module that uses another's running parts (the
     * dashboard uses management's admins and routes) returns a higher number, so class-path order cannot break it.
     */
    default int startOrder() {
        return 0;
    }

    /** Reads its settings from {@code broker.settings()}, binds what it serves, registers listeners and commands. */
    void start(Broker broker) throws Exception;

    /** Releases what {@link #start} made; must not throw. */
    @Override
    void close();
}
