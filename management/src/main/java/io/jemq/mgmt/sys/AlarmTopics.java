package io.jemq.mgmt.sys;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jemq.sys.Alarms;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Executor;

/**
 * {@code $SYS/brokers/<node>/alarms/<id>/alert} and {@code …/clear} (EMQ's {@code emqttd_alarm}): JSON
 * {@code {"id","severity","title","summary","ts"}} when an alarm is raised, {@code {"id","ts"}} when it clears; ts in
 * seconds. Told on whichever thread raised or cleared the alarm; publishes on the module's thread.
 */
final class AlarmTopics implements Alarms.Listener {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final SysTopics topics;
    private final Executor sysThread;

    AlarmTopics(SysTopics topics, Executor sysThread) {
        this.topics = topics;
        this.sysThread = sysThread;
    }

    @Override
    public void raised(Alarms.Alarm alarm) {
        sysThread.execute(() -> publish(alarm.id(), "alert", alert(alarm)));
    }

    @Override
    public void cleared(Alarms.Alarm alarm, long clearedAtMillis) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", alarm.id());
        m.put("ts", clearedAtMillis / 1000);
        sysThread.execute(() -> publish(alarm.id(), "clear", m));
    }

    static Map<String, Object> alert(Alarms.Alarm alarm) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", alarm.id());
        m.put("severity", "warning");
        m.put("title", alarm.id());
        m.put("summary", alarm.message());
        m.put("ts", alarm.raisedAtMillis() / 1000);
        return m;
    }

    private void publish(String id, String event, Map<String, Object> payload) {
        if (SysTopics.isTopicLevel(id)) {
            topics.publish("alarms/" + id + "/" + event, json(payload), 0, false);
        }
    }

    private static String json(Map<String, Object> payload) {
        try {
            return JSON.writeValueAsString(payload);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);     // maps of strings and numbers always serialise
        }
    }
}
