package io.jemq.auth.mongo;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoDatabase;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import io.jemq.auth.servers.RedisServer;
import org.bson.Document;

import java.util.ArrayList;
import java.util.List;

/**
 * A MongoDB wire-protocol server for one test class: MongoDB has no Debian package, so the tests run against
 * mongo-java-server (de.bwaldvogel, its memory backend) on a free port of 127.0.0.1. {@link #stop} and
 * {@link #restart} on the same port act out an outage; the memory backend starts empty again, so a restart
 * re-inserts what {@link #insert} inserted. Called from the test's thread.
 */
final class MongoTestServer implements AutoCloseable {
    private final int port = RedisServer.freePort();
    private final List<Document[]> inserted = new ArrayList<>();
    private final List<String> collections = new ArrayList<>();
    private MongoServer server;
    private MongoClient client;

    static MongoTestServer start() {
        MongoTestServer m = new MongoTestServer();
        m.restart();
        return m;
    }

    int port() {
        return port;
    }

    /** The {@code mqtt} database, as a test writes to it. */
    MongoDatabase mqtt() {
        if (client == null) {
            client = MongoClients.create("mongodb://127.0.0.1:" + port + "/?serverSelectionTimeoutMS=3000");
        }
        return client.getDatabase("mqtt");
    }

    /** Inserts documents into {@code mqtt.<collection>}, and again after each restart. */
    void insert(String collection, Document... documents) {
        mqtt().getCollection(collection).insertMany(List.of(documents));
        collections.add(collection);
        inserted.add(documents);
    }

    void stop() {
        if (server != null) {
            server.shutdownNow();
            server = null;
        }
    }

    void restart() {
        if (server != null) {
            return;
        }
        server = new MongoServer(new MemoryBackend());
        server.bind("127.0.0.1", port);
        if (client != null) {
            client.close();                             // its pooled connections went with the old server
            client = null;
        }
        for (int i = 0; i < inserted.size(); i++) {
            mqtt().getCollection(collections.get(i)).insertMany(List.of(inserted.get(i)));
        }
    }

    @Override
    public void close() {
        if (client != null) {
            client.close();
        }
        stop();
    }
}
