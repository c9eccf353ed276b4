package dev.onshelf.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.onshelf.testkit.MosquittoProcess;
import dev.onshelf.testkit.RealServices;
import dev.onshelf.testkit.RedisProcess;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.yaml.snakeyaml.Yaml;

/**
 * The operations pack in deploy/ speaks of what OnShelf really exports: every metric named by a query
 * of the Grafana dashboard or an alert rule is on a live node's /metrics, and every dashboard query is
 * PromQL that promtool accepts.
 */
@ExtendWith(RealServices.class)
@Timeout(120)
class OperationsPackIT {
    private static final Path DEPLOY = Path.of("..", "deploy");
    /** Series Prometheus makes itself, not OnShelf: the only names allowed without being exported. */
    private static final Set<String> PROMETHEUS_OWN = Set.of("up");

    @Test
    void everyQueryNamesAMetricANodeExports(RedisProcess redis, MosquittoProcess mosquitto) throws Exception {
        // given: queries from the dashboard and the alert rules
        Map<String, String> queries = new LinkedHashMap<>(dashboardQueries());
        queries.putAll(ruleQueries());
        assertThat(queries).hasSizeGreaterThan(30);
        try (TestNode node = TestNode.start(redis.url(), mosquitto.url(), "ops-gateway", Map.of())) {
            // when: a node has seen a little of everything (API requests, a reading, a device's status and will)
            traffic(node, mosquitto.port());
            System.gc();  // the GC pause timer appears with the first collection
            await().atMost(Duration.ofSeconds(20)).until(() -> exported(node).contains("jvm_gc_pause_seconds_count"));
            Set<String> exported = exported(node);

            // then: each query's metrics are exported
            List<String> missing = new ArrayList<>();
            queries.forEach((where, expr) -> PromQlNames.of(expr).stream()
                .filter(name -> !exported.contains(name) && !PROMETHEUS_OWN.contains(name))
                .forEach(name -> missing.add(name + " (" + where + ")")));
            assertThat(missing).as("metrics named in deploy/ that a live node does not export").isEmpty();
            // and the check bites: a made-up name would have been reported
            assertThat(PromQlNames.of("rate(onshelf_gateway_events_recieved_total[5m])"))
                .isNotEmpty().allMatch(name -> !exported.contains(name));
        }
    }

    @Test
    void everyDashboardQueryIsPromQl() throws Exception {
        // given: the dashboard's queries with Grafana's variables given values, as recording rules
        StringBuilder rules = new StringBuilder("groups:\n  - name: dashboard\n    rules:\n");
        int n = 0;
        for (String expr : dashboardQueries().values()) {
            if (expr.startsWith("label_values(")) {
                continue;  // Grafana's, not PromQL
            }
            String promql = expr.replace("$__rate_interval", "5m").replace("$job", "onshelf.*");
            rules.append("      - record: onshelf_dashboard:query").append(++n).append("\n        expr: ")
                .append(new JsonObject().put("e", promql).encode().replaceFirst("^\\{\"e\":", "").replaceFirst("}$", ""))
                .append('\n');
        }
        Path file = Files.createTempFile("onshelf-dashboard", ".rules.yml");
        try {
            Files.writeString(file, rules);
            // when: promtool checks them
            Process check;
            try {
                check = new ProcessBuilder("promtool", "check", "rules", file.toString()).redirectErrorStream(true).start();
            } catch (java.io.IOException e) {
                throw new AssertionError("promtool is not installed: apt-get install prometheus (./onshelf test does)", e);
            }
            String out = new String(check.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(check.waitFor(30, TimeUnit.SECONDS)).isTrue();
            // then: every one parses
            assertThat(check.exitValue()).as(out).isZero();
            assertThat(out).contains("SUCCESS: " + n + " rules found");
        } finally {
            Files.deleteIfExists(file);
        }
    }

    private static void traffic(TestNode node, int mqtt) throws Exception {
        Http http = node.http();
        assertThat(http.admin("/v1/admin/stores/OP1", "{\"name\": \"OP1\", \"lat\": 1, \"lon\": 1}").statusCode())
            .isEqualTo(201);
        assertThat(http.admin("/v1/admin/stores/OP1/devices/op-mat", "{\"kind\": \"shelf\"}").statusCode())
            .isEqualTo(201);
        Instant now = Instant.now();
        String status = "onshelf/v1/stores/OP1/status/op-mat";
        // the device listens to its own status, so its first line says it is connected and subscribed
        Process device = MosquittoPub.connectWithWill(mqtt, "op-mat", status, status,
            "{\"state\": \"offline\", \"ts\": \"" + now + "\"}");
        try {
            MosquittoPub.retain(mqtt, status, "{\"state\": \"online\", \"heartbeatSeconds\": 3600, \"ts\": \""
                + now.plusMillis(5) + "\"}");
            BufferedReader lines = new BufferedReader(new InputStreamReader(device.getInputStream(), StandardCharsets.UTF_8));
            await().atMost(Duration.ofSeconds(10)).until(lines::ready);
            MosquittoPub.publish(mqtt, "onshelf/v1/stores/OP1/shelf/op-mat", "{\"eventId\": \"op1\", \"seq\": 1, \"ts\": \""
                + now.plusMillis(10) + "\", \"gtin\": \"4006381333931\", \"count\": 3}");
            MosquittoPub.publish(mqtt, "onshelf/v1/stores/OP1/shelf/op-mat", "not json");  // a dead letter
            await().atMost(Duration.ofSeconds(10)).until(() -> sample(node,
                "onshelf_gateway_events_received_total{channel=\"mqtt\",}") >= 3);
            await().atMost(Duration.ofSeconds(10))
                .until(() -> sample(node, "onshelf_gateway_device_status_total{state=\"online\",}") == 1);
        } finally {
            device.destroyForcibly().waitFor(10, TimeUnit.SECONDS);  // SIGKILL: the broker publishes its will
        }
        await().atMost(Duration.ofSeconds(10))
            .until(() -> sample(node, "onshelf_gateway_device_status_total{state=\"offline\",}") == 1);
        assertThat(http.get("/v1/stores/OP1/products/4006381333931").statusCode()).isEqualTo(200);
        assertThat(http.get("/v1/stores/NOPE/products/4006381333931").statusCode()).isEqualTo(404);
        await().atMost(Duration.ofSeconds(10))
            .until(() -> sample(node, "onshelf_gateway_events_rejected_total{reason=\"json.malformed\",}") == 1);
    }

    /** The sample names (with their _bucket, _count, _sum, _total ... suffixes) on /metrics. */
    private static Set<String> exported(TestNode node) {
        var response = node.http().get("/metrics");
        assertThat(response.statusCode()).isEqualTo(200);
        Set<String> names = new TreeSet<>();
        for (String line : response.body().split("\n")) {
            if (!line.isBlank() && !line.startsWith("#")) {
                names.add(line.split("[{ ]", 2)[0]);
            }
        }
        return names;
    }

    /** One sample's value, by its name and labels as the registry writes them; -1 when absent. */
    private static double sample(TestNode node, String series) {
        for (String line : node.http().get("/metrics").body().split("\n")) {
            if (line.startsWith(series + " ") || line.startsWith(series.replace(",}", "}") + " ")) {
                return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return -1;
    }

    /** Every query of the dashboard (targets' expr, and the variables' queries), by panel title. */
    private static Map<String, String> dashboardQueries() throws Exception {
        JsonObject dashboard = new JsonObject(Files.readString(DEPLOY.resolve("grafana/onshelf.json")));
        Map<String, String> queries = new LinkedHashMap<>();
        for (Object p : dashboard.getJsonArray("panels")) {
            JsonObject panel = (JsonObject) p;
            JsonArray targets = panel.getJsonArray("targets", new JsonArray());
            if (!"row".equals(panel.getString("type"))) {
                assertThat(targets).as("panel " + panel.getString("title")).isNotEmpty();
            }
            for (int i = 0; i < targets.size(); i++) {
                queries.put("dashboard: " + panel.getString("title") + " #" + i, targets.getJsonObject(i).getString("expr"));
            }
        }
        for (Object v : dashboard.getJsonObject("templating").getJsonArray("list")) {
            JsonObject variable = (JsonObject) v;
            if ("query".equals(variable.getString("type"))) {
                queries.put("dashboard variable: " + variable.getString("name"),
                    variable.getJsonObject("query").getString("query"));
            }
        }
        return queries;
    }

    /** Every alert rule's expr, by alert name. */
    @SuppressWarnings("unchecked")
    private static Map<String, String> ruleQueries() throws Exception {
        Map<String, Object> file = new Yaml().load(Files.readString(DEPLOY.resolve("prometheus/onshelf-rules.yml")));
        Map<String, String> queries = new LinkedHashMap<>();
        for (Map<String, Object> group : (List<Map<String, Object>>) file.get("groups")) {
            for (Map<String, Object> rule : (List<Map<String, Object>>) group.get("rules")) {
                queries.put("rule: " + rule.getOrDefault("alert", rule.get("record")), (String) rule.get("expr"));
            }
        }
        assertThat(queries).hasSizeGreaterThanOrEqualTo(10);
        return queries;
    }
}
