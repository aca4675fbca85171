package io.jemq.session;

import io.jemq.routing.SubOptions;
import io.jemq.routing.TopicFilter;

/**
 * One subscription of one client as management shows it.
 *
 * @param filter the filter as subscribed, {@code $share/group/} prefix included
 */
public record SubscriptionSnapshot(String clientId, String filter, int qos, boolean noLocal,
                                   boolean retainAsPublished, int retainHandling, int subscriptionId) {

    static SubscriptionSnapshot of(String clientId, TopicFilter f, SubOptions o) {
        String filter = f.shared() ? "$share/" + f.shareGroup() + "/" + f.filter() : f.filter();
        return new SubscriptionSnapshot(clientId, filter, o.qos(), o.noLocal(), o.retainAsPublished(),
                o.retainHandling(), o.subscriptionId());
    }
}
