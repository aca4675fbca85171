package io.jemq.access.acl;

import io.jemq.api.ClientInfo;

import java.util.List;

/** The clients an acl.conf rule is about. */
public sealed interface Who {
    boolean matches(ClientInfo client);

    /** {@code all}, {@code {user, all}} and {@code {client, all}}: every client. */
    record Everyone() implements Who {
        @Override
        public boolean matches(ClientInfo client) {
            return true;
        }
    }

    /** {@code {user, "name"}}: a client that logged in with that username (never one without a username). */
    record User(String name) implements Who {
        @Override
        public boolean matches(ClientInfo client) {
            return name.equals(client.username());
        }
    }

    /** {@code {client, "id"}}. */
    record Client(String id) implements Who {
        @Override
        public boolean matches(ClientInfo client) {
            return id.equals(client.clientId());
        }
    }

    /** {@code {ipaddr, "CIDR"}}: the peer's address is in the block. */
    record IpAddr(Cidr cidr) implements Who {
        @Override
        public boolean matches(ClientInfo client) {
            return client.peer() != null && cidr.contains(client.peer().getAddress());
        }
    }

    /** {@code {'and', [...]}}: every member matches (an empty list matches everyone, as in EMQ). */
    record And(List<Who> members) implements Who {
        @Override
        public boolean matches(ClientInfo client) {
            for (Who w : members) {
                if (!w.matches(client)) {
                    return false;
                }
            }
            return true;
        }
    }

    /** {@code {'or', [...]}}: some member matches. */
    record Or(List<Who> members) implements Who {
        @Override
        public boolean matches(ClientInfo client) {
            for (Who w : members) {
                if (w.matches(client)) {
                    return true;
                }
            }
            return false;
        }
    }
}
