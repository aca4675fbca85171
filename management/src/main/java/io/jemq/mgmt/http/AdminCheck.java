package io.jemq.mgmt.http;

import io.jemq.mgmt.admin.AdminSessions;

/**
 * Checks an admin's HTTP Basic credentials (or dashboard session) for the routes guarded by
 * {@link Routes.Guard#ADMIN}. Called on the API's threads; may block briefly (a bcrypt check).
 */
public interface AdminCheck {

    /** Whether the name and password are an admin's. */
    boolean check(String username, String password);

    /** Non-null while the shipped admin password is still in use: said in a {@code Warning} header on every answer. */
    String warning();

    /** The dashboard's sessions, whose cookie authenticates as well as HTTP Basic does; null: Basic only. */
    default AdminSessions sessions() {
        return null;
    }
}
