package dev.onshelf.app;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The metric names in the queries of deploy/: what OperationsPackIT checks against a live /metrics. */
class PromQlNamesTest {
    @Test
    void aSelectorIsItsName() {
        assertThat(PromQlNames.of("up{job=~\"onshelf.*\"} == 0")).containsExactly("up");
    }

    @Test
    void functionsAggregationsAndGroupingLabelsAreNotNames() {
        assertThat(PromQlNames.of("histogram_quantile(0.99, sum by (job, instance, le) "
            + "(rate(onshelf_aggregator_apply_duration_seconds_bucket[5m]))) > 0.5"))
            .containsExactly("onshelf_aggregator_apply_duration_seconds_bucket");
        assertThat(PromQlNames.of("sum(rate(a_total[5m])) without (instance) / on (job) group_left (x) b"))
            .containsExactly("a_total", "b");
        assertThat(PromQlNames.of("process_cpu_usage{job=~\"$job\"} * on (instance) group_left system_cpu_count"))
            .containsExactly("process_cpu_usage", "system_cpu_count");
    }

    @Test
    void labelValuesAndStringsAreNotNames() {
        assertThat(PromQlNames.of("sum(rate(vertx_http_server_requests_total{code=~\"5..\",route!~\".*/changes\"}"
            + "[$__rate_interval])) / sum(rate(vertx_http_server_requests_total[$__rate_interval]))"))
            .containsExactly("vertx_http_server_requests_total");
        assertThat(PromQlNames.of("label_values(onshelf_dependency_up, job)")).containsExactly("onshelf_dependency_up");
        assertThat(PromQlNames.of("label_values(job)")).isEmpty();
    }

    @Test
    void numbersDurationsAndKeywordsAreNotNames() {
        assertThat(PromQlNames.of("a >= 0.9 * b offset 5m and c > bool 1e9 or d unless e"))
            .containsExactly("a", "b", "c", "d", "e");
    }

    @Test
    void aMadeUpNameIsFound() {
        assertThat(PromQlNames.of("sum by (reason) (increase(onshelf_gateway_events_rejected_totl[10m])) > 0"))
            .containsExactly("onshelf_gateway_events_rejected_totl");
    }
}
