package io.jemq.mgmt.http;

/**
 * A request the API refuses, with EMQ's error code (REFERENCE 2.12) and the HTTP status jemq answers with: the body is
 * {@code {"code":<code>,"message":<message>}}. Thrown by endpoints on the API's threads; {@link RequestHandler} turns
 * it into the answer, never into a stack trace.
 */
public final class ApiError extends RuntimeException {
    public static final int BAD_RPC = 101;
    public static final int UNKNOWN = 102;
    public static final int BAD_LOGIN = 103;
    public static final int EMPTY_LOGIN = 104;
    public static final int NO_USER = 105;
    public static final int ADMIN_UNDELETABLE = 106;
    public static final int MISSING_PARAM = 107;
    public static final int PARAM_TYPE = 108;
    public static final int NOT_JSON = 109;
    public static final int PLUGIN_STARTED = 110;
    public static final int PLUGIN_NOT_STARTED = 111;
    public static final int CLIENT_OFFLINE = 112;
    public static final int USER_EXISTS = 113;
    public static final int OLD_PASSWORD_WRONG = 114;

    private final int code;
    private final int status;

    public ApiError(int status, int code, String message) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
    }

    public static ApiError badRequest(int code, String message) {
        return new ApiError(400, code, message);
    }

    public static ApiError notFound(int code, String message) {
        return new ApiError(404, code, message);
    }

    public static ApiError missing(String param) {
        return badRequest(MISSING_PARAM, "missing parameter: " + param);
    }

    public static ApiError type(String param, String expected) {
        return badRequest(PARAM_TYPE, "parameter " + param + " must be " + expected);
    }

    /** EMQ's code, such as 112 (client offline). */
    public int code() {
        return code;
    }

    /** The HTTP status. */
    public int status() {
        return status;
    }
}
