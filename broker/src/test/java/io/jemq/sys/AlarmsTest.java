package io.jemq.sys;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/** Listeners hear each alarm once when it is raised and once when it clears, however often it is raised meanwhile. */
class AlarmsTest {
    @Test
    void listenersAreToldOfEachChangeOnce() {
        Alarms alarms = new Alarms();
        List<String> heard = new CopyOnWriteArrayList<>();
        alarms.addListener(new Alarms.Listener() {
            @Override
            public void raised(Alarms.Alarm alarm) {
                heard.add("raised " + alarm.id() + ": " + alarm.message());
            }

            @Override
            public void cleared(Alarms.Alarm alarm, long clearedAtMillis) {
                heard.add("cleared " + alarm.id());
            }
        });
        alarms.raise("disk_almost_full", "95% full");
        alarms.raise("disk_almost_full", "96% full");
        alarms.clear("disk_almost_full");
        alarms.clear("disk_almost_full");

        assertThat(heard).containsExactly("raised disk_almost_full: 95% full", "cleared disk_almost_full");
        assertThat(alarms.active()).isEmpty();
    }
}
