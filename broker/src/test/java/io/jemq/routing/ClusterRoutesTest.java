package io.jemq.routing;

import io.jemq.sys.Counters;
import io.jemq.cluster.ClusterRoutes;
import io.jemq.config.SharedStrategy;
import io.jemq.flow.Backpressure;
import io.jemq.message.Message;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static io.jemq.routing.TestSubscriber.qos;
import static org.assertj.core.api.Assertions.assertThat;

/** The router tells the cluster about a filter when its first local subscriber comes and its last one goes. */
class ClusterRoutesTest {

    private static final class Recording implements ClusterRoutes {
        final List<String> calls = new ArrayList<>();

        @Override
        public void routeAdded(String filter) {
            calls.add("+" + filter);
        }

        @Override
        public void routeRemoved(String filter) {
            calls.add("-" + filter);
        }

        @Override
        public int forward(Message message, Backpressure backpressure) {
            return 0;
        }
    }

    private final Recording cluster = new Recording();
    private final Router router = new Router(SharedStrategy.RANDOM, cluster, new Counters());
    private final Subscriber a = new TestSubscriber("a");
    private final Subscriber b = new TestSubscriber("b");

    @Test
    void aRouteIsAddedWithTheFirstSubscriberAndRemovedWithTheLast() {
        router.subscribe(a, TopicFilter.parse("s/+"), qos(1));
        router.subscribe(b, TopicFilter.parse("s/+"), qos(0));
        router.subscribe(a, TopicFilter.parse("s/+"), qos(2));              // replaces a's own: nothing new
        assertThat(cluster.calls).containsExactly("+s/+");

        router.unsubscribe(a, TopicFilter.parse("s/+"));
        assertThat(cluster.calls).as("b is still there").containsExactly("+s/+");
        router.unsubscribe(b, TopicFilter.parse("s/+"));
        assertThat(cluster.calls).containsExactly("+s/+", "-s/+");
    }

    @Test
    void sharedAndPlainSubscribersOfOneFilterShareItsRoute() {
        router.subscribe(a, TopicFilter.parse("$share/g/t"), qos(1));
        router.subscribe(b, TopicFilter.parse("t"), qos(1));
        router.unsubscribe(a, TopicFilter.parse("$share/g/t"));
        assertThat(cluster.calls).containsExactly("+t");
        router.unsubscribe(b, TopicFilter.parse("t"));
        assertThat(cluster.calls).containsExactly("+t", "-t");
    }

    @Test
    void routesListEachFilterWithItsSubscriberCount() {
        router.subscribe(a, TopicFilter.parse("x/#"), qos(1));
        router.subscribe(b, TopicFilter.parse("x/#"), qos(1));
        router.subscribe(a, TopicFilter.parse("$share/g/y/+/z"), qos(1));
        router.subscribe(b, TopicFilter.parse("$share/g/y/+/z"), qos(1));
        router.subscribe(a, TopicFilter.parse("#"), qos(0));
        assertThat(router.routes()).containsExactlyInAnyOrder(new RouteSnapshot("x/#", 2),
                new RouteSnapshot("y/+/z", 2), new RouteSnapshot("#", 1));
        router.unsubscribe(a, TopicFilter.parse("#"));
        assertThat(router.routes()).extracting(RouteSnapshot::filter).containsExactlyInAnyOrder("x/#", "y/+/z");
    }
}
