package io.jemq.mgmt.http;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One page of a list the API answers with. EMQ 2.3 asks with {@code curr_page} and {@code page_size} and answers
 * {@code {"current_page","page_size","total_num","total_page","objects":[...]}}; EMQX 4 asks with {@code _page} and
 * {@code _limit} and adds {@code "meta":{"page","limit","count"}} beside the result. Both are accepted and both forms
 * are in the answer, so scripts written for either work.
 *
 * @param page    1-based page number
 * @param limit   entries per page
 * @param total   entries in all
 * @param objects the entries of this page
 */
public record Page(int page, int limit, int total, List<?> objects) {
    public static final int DEFAULT_LIMIT = 20;
    public static final int MAX_LIMIT = 10_000;

    public Page {
        objects = List.copyOf(objects);
    }

    /** The page {@code call} asks for, out of every entry. */
    public static Page of(Call call, List<?> all) {
        int page = number(call, "_page", "curr_page", 1, Integer.MAX_VALUE, 1);
        int limit = number(call, "_limit", "page_size", DEFAULT_LIMIT, MAX_LIMIT, 1);
        long from = (long) (page - 1) * limit;
        List<?> slice = from >= all.size() ? List.of() : all.subList((int) from, (int) Math.min(all.size(),
                from + limit));
        return new Page(page, limit, all.size(), slice);
    }

    private static int number(Call call, String name, String emqName, int defaultValue, int max, int min) {
        String text = call.query(name).or(() -> call.query(emqName)).orElse(null);
        if (text == null || text.isBlank()) {
            return defaultValue;
        }
        try {
            int n = Integer.parseInt(text.trim());
            if (n < min || n > max) {
                throw ApiError.type(name, "a number from " + min + " to " + max);
            }
            return n;
        } catch (NumberFormatException e) {
            throw ApiError.type(name, "a number");
        }
    }

    /** EMQ 2.3's result object. */
    public Map<String, Object> result() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("current_page", page);
        m.put("page_size", limit);
        m.put("total_num", total);
        m.put("total_page", (total + limit - 1) / limit);
        m.put("objects", objects);
        return m;
    }

    /** EMQX 4's meta object. */
    public Map<String, Object> meta() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("page", page);
        m.put("limit", limit);
        m.put("count", total);
        return m;
    }
}
