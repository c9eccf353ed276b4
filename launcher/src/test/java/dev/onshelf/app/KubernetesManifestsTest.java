package dev.onshelf.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;
import picocli.CommandLine;

/**
 * deploy/kubernetes/ agrees with the code: each Deployment runs a role the CLI has, probes paths the
 * API document has, and names only settings OnShelf reads, whose values pass its own validation.
 * (No cluster here, so no server-side validation: this reads the YAML.)
 */
class KubernetesManifestsTest {
    private static final Path DIR = Path.of("..", "deploy", "kubernetes");
    /** Read by the JVM, not by OnShelf. */
    private static final Set<String> JVM_VARIABLES = Set.of("JAVA_TOOL_OPTIONS");
    private static final List<Map<String, Object>> DOCS = new ArrayList<>();

    @BeforeAll
    @SuppressWarnings("unchecked")
    static void load() throws Exception {
        try (Stream<Path> files = Files.list(DIR)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) {
                for (Object doc : new Yaml().loadAll(Files.readString(file))) {
                    if (doc != null) {
                        DOCS.add((Map<String, Object>) doc);
                    }
                }
            }
        }
    }

    @Test
    void gatewayAndApiAreSeparateDeploymentsOfRolesTheCliHas() {
        Set<String> commands = new CommandLine(new Main()).getSubcommands().keySet();
        assertThat(args(deployment("onshelf-gateway"))).containsExactly("gateway");
        assertThat(args(deployment("onshelf-api"))).containsExactly("api");
        assertThat(commands).contains("gateway", "api");
    }

    @Test
    void probesAskThePathsOfTheApiDocumentOnTheServedPort() throws Exception {
        Set<String> paths = openApiPaths();
        String port = configMap().get("ONSHELF_HTTP_PORT");
        for (String name : List.of("onshelf-gateway", "onshelf-api")) {
            Map<String, Object> c = container(deployment(name));
            assertThat(probePath(c, "livenessProbe")).as(name).isEqualTo("/health/live");
            assertThat(probePath(c, "readinessProbe")).as(name).isEqualTo("/health/ready");
            assertThat(paths).contains("/health/live", "/health/ready");
            Map<String, Object> http = list(c.get("ports")).get(0);
            assertThat(http).containsEntry("name", "http");
            assertThat(http.get("containerPort").toString()).as(name + " port = ONSHELF_HTTP_PORT").isEqualTo(port);
        }
    }

    @Test
    void everyVariableNamedIsOneOnShelfReadsAndTheValuesPassItsChecks() throws Exception {
        Map<String, String> env = new HashMap<>(configMap());
        env.putAll(secret());
        for (String name : List.of("onshelf-gateway", "onshelf-api")) {
            Map<String, Object> c = container(deployment(name));
            for (Map<String, Object> ref : list(c.get("envFrom"))) {
                if (ref.containsKey("configMapRef")) {
                    assertThat(map(ref.get("configMapRef")).get("name")).isEqualTo(name(configMapDoc()));
                } else {
                    assertThat(map(ref.get("secretRef")).get("name")).isEqualTo(name(secretDoc()));
                }
            }
            for (Map<String, Object> e : list(c.getOrDefault("env", List.of()))) {
                env.put((String) e.get("name"), String.valueOf(e.get("value")));
            }
        }
        // the names OnShelf reads: asked of the environment by OnShelfConfig, or by the logging config
        Set<String> asked = new TreeSet<>();
        Map<String, String> recording = new HashMap<>(env) {
            @Override
            public String get(Object key) {
                asked.add((String) key);
                return super.get(key);
            }
        };
        OnShelfConfig config = OnShelfConfig.fromEnv(recording, true);  // throws, naming the variable, if one is bad
        asked.addAll(logbackVariables());
        Set<String> named = new TreeSet<>(env.keySet());
        named.removeAll(JVM_VARIABLES);
        assertThat(asked).as("variables OnShelf reads").containsAll(named);
        assertThat(config.httpPort()).isEqualTo(8080);
    }

    @Test
    void bothRunOnTheCollectorTheLauncherScriptGives() throws Exception {
        String script = java.nio.file.Files.readString(Path.of("..", "onshelf"), StandardCharsets.UTF_8);
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?m)^DEFAULT_JAVA_OPTS=\"([^\"]*)\"").matcher(script);
        assertThat(m.find()).as("./onshelf sets DEFAULT_JAVA_OPTS").isTrue();
        for (String name : List.of("onshelf-gateway", "onshelf-api")) {
            String options = list(container(deployment(name)).get("env")).stream()
                .filter(e -> "JAVA_TOOL_OPTIONS".equals(e.get("name"))).map(e -> String.valueOf(e.get("value")))
                .findFirst().orElse("");
            assertThat(options).as(name + "'s JAVA_TOOL_OPTIONS").contains(m.group(1));
        }
    }

    @Test
    void theServiceSendsToTheApiPods() {
        Map<String, Object> service = DOCS.stream().filter(d -> "Service".equals(d.get("kind"))).findFirst().orElseThrow();
        Map<String, Object> spec = map(service.get("spec"));
        Map<String, Object> podLabels = map(map(map(map(deployment("onshelf-api").get("spec")).get("template"))
            .get("metadata")).get("labels"));
        assertThat(podLabels).containsAllEntriesOf(map(spec.get("selector")));
        Map<String, Object> gatewayLabels = map(map(map(map(deployment("onshelf-gateway").get("spec")).get("template"))
            .get("metadata")).get("labels"));
        assertThat(gatewayLabels).as("the gateway serves no public API").doesNotContainEntry("app.kubernetes.io/component",
            "api");
        assertThat(list(spec.get("ports")).get(0)).containsEntry("targetPort", "http");
    }

    private static Set<String> openApiPaths() throws Exception {
        try (InputStream in = KubernetesManifestsTest.class.getClassLoader().getResourceAsStream("onshelf/openapi.yaml")) {
            assertThat(in).as("the API document on the classpath").isNotNull();
            Map<String, Object> doc = new Yaml().load(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            return map(doc.get("paths")).keySet();
        }
    }

    private static Set<String> logbackVariables() throws Exception {
        try (InputStream in = KubernetesManifestsTest.class.getClassLoader().getResourceAsStream("onshelf-logback.xml")) {
            assertThat(in).isNotNull();
            Matcher m = Pattern.compile("\\$\\{(ONSHELF_[A-Z0-9_]+)").matcher(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            Set<String> names = new TreeSet<>();
            while (m.find()) {
                names.add(m.group(1));
            }
            return names;
        }
    }

    private static Map<String, Object> deployment(String name) {
        return DOCS.stream().filter(d -> "Deployment".equals(d.get("kind")) && name.equals(name(d))).findFirst()
            .orElseThrow(() -> new AssertionError("no Deployment " + name + " in " + DIR));
    }

    private static Map<String, Object> container(Map<String, Object> deployment) {
        List<Map<String, Object>> containers = list(map(map(map(deployment.get("spec")).get("template")).get("spec"))
            .get("containers"));
        assertThat(containers).hasSize(1);
        return containers.get(0);
    }

    private static List<String> args(Map<String, Object> deployment) {
        @SuppressWarnings("unchecked")
        List<String> args = (List<String>) container(deployment).get("args");
        return args;
    }

    private static String probePath(Map<String, Object> container, String probe) {
        return (String) map(map(container.get(probe)).get("httpGet")).get("path");
    }

    private static Map<String, Object> configMapDoc() {
        return DOCS.stream().filter(d -> "ConfigMap".equals(d.get("kind"))).findFirst().orElseThrow();
    }

    private static Map<String, Object> secretDoc() {
        return DOCS.stream().filter(d -> "Secret".equals(d.get("kind"))).findFirst().orElseThrow();
    }

    private static Map<String, String> configMap() {
        return strings(map(configMapDoc().get("data")));
    }

    private static Map<String, String> secret() {
        return strings(map(secretDoc().get("stringData")));
    }

    private static Map<String, String> strings(Map<String, Object> m) {
        Map<String, String> out = new HashMap<>();
        m.forEach((k, v) -> {
            assertThat(v).as(k + " is quoted (a string, as Kubernetes requires)").isInstanceOf(String.class);
            out.put(k, (String) v);
        });
        return out;
    }

    private static String name(Map<String, Object> doc) {
        return (String) map(doc.get("metadata")).get("name");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object o) {
        return (Map<String, Object>) o;
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> list(Object o) {
        return (List<Map<String, Object>>) o;
    }
}
