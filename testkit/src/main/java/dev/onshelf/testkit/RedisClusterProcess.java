package dev.onshelf.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * A real Redis Cluster for tests: six {@code redis-server} processes (three masters, a replica each) on
 * free loopback ports, each in its own temporary directory, joined by {@code redis-cli --cluster create}.
 * A node can be killed with SIGKILL and started again on its port (it rejoins from its nodes.conf, as a
 * replica once its replica has taken over). Never the machine's 6379.
 */
public final class RedisClusterProcess implements AutoCloseable {
    /**
     * How long a node may be silent before the others take it for failed, by default: small, so a
     * failover takes a few seconds, and not smaller, so that a loaded CI machine does not fail nodes over.
     */
    public static final int NODE_TIMEOUT_MILLIS = 2_000;

    private final List<Node> nodes = new ArrayList<>();
    private final int nodeTimeoutMillis;

    /** One cluster node: a redis-server with cluster mode on. */
    public static final class Node extends ServiceProcess {
        private final int nodeTimeoutMillis;

        Node(int nodeTimeoutMillis) {
            // the cluster bus listens on port + 10000: both must be free, and below the ephemeral range
            super("redis-server", ServiceProcess.restartablePortWithCompanion(10_000));
            this.nodeTimeoutMillis = nodeTimeoutMillis;
        }

        @Override
        protected List<String> command(String path) {
            return List.of(path, "--port", Integer.toString(port), "--bind", "127.0.0.1", "--save", "",
                "--appendonly", "no", "--dir", dir.toString(), "--hash-max-listpack-value", "256",
                "--cluster-enabled", "yes", "--cluster-config-file", "nodes.conf",
                "--cluster-node-timeout", Integer.toString(nodeTimeoutMillis),
                "--repl-diskless-sync-delay", "0", "--enable-debug-command", "local");
        }

        public String address() {
            return "127.0.0.1:" + port;
        }
    }

    public RedisClusterProcess() {
        this(NODE_TIMEOUT_MILLIS);
    }

    /** With another cluster-node-timeout (a benchmark on a busy machine wants no failover it did not ask for). */
    public RedisClusterProcess(int nodeTimeoutMillis) {
        this.nodeTimeoutMillis = nodeTimeoutMillis;
        for (int i = 0; i < 6; i++) {
            nodes.add(new Node(nodeTimeoutMillis));
        }
    }

    /** Starts the six servers, creates the cluster and waits until every node sees all slots served. */
    public RedisClusterProcess start() {
        nodes.forEach(Node::start);
        List<String> create = new ArrayList<>(List.of(ServiceProcess.locate("redis-cli"), "--cluster", "create"));
        nodes.forEach(n -> create.add(n.address()));
        create.addAll(List.of("--cluster-replicas", "1", "--cluster-yes"));
        String out = run(create, Duration.ofSeconds(60));
        if (!out.contains("[OK] All 16384 slots covered")) {
            throw new IllegalStateException("redis-cli --cluster create failed:\n" + out);
        }
        awaitHealthy(Duration.ofSeconds(30));
        return this;
    }

    /** {@code host:port,...} of every node (ONSHELF_REDIS_CLUSTER_NODES). */
    public String nodesSetting() {
        return String.join(",", nodes.stream().map(Node::address).toList());
    }

    public List<Node> nodes() {
        return List.copyOf(nodes);
    }

    /** The running node that is the master of the key's slot, as the other running nodes see it now. */
    public Node masterOf(String key) {
        int slot = Integer.parseInt(cli(anyRunning(), "CLUSTER", "KEYSLOT", key).trim());
        for (Node viewer : running()) {
            Optional<Node> m = masterOfSlot(viewer, slot);
            if (m.isPresent()) {
                return m.get();
            }
        }
        throw new IllegalStateException("no running node knows the master of slot " + slot);
    }

    /**
     * SIGKILL of the master of the key's slot; returns it (to {@link ServiceProcess#start} again later).
     * Its replica takes over within a few node timeouts.
     */
    public Node killMasterOf(String key) {
        Node m = masterOf(key);
        m.kill();
        return m;
    }

    /**
     * Waits until every running node reports {@code cluster_state:ok} with all 16384 slots served by
     * masters it does not take for failed, every master it knows of is a running node, and every
     * running replica is in sync with its master (a replica that never synced cannot take over).
     */
    public void awaitHealthy(Duration timeout) {
        await(timeout, "the cluster to be healthy", () -> running().stream().allMatch(this::healthyAsSeenBy));
    }

    /** Waits until a running node other than {@code dead} is the master of the key's slot for every running node. */
    public Node awaitFailover(String key, Node dead, Duration timeout) {
        int slot = Integer.parseInt(cli(anyRunning(), "CLUSTER", "KEYSLOT", key).trim());
        await(timeout, "a replica to take over slot " + slot, () -> running().stream()
            .allMatch(v -> masterOfSlot(v, slot).filter(m -> m != dead && m.isRunning()).isPresent()));
        return masterOf(key);
    }

    /** The replicas' view: how many replicas the key's master has that are connected (INFO replication). */
    public int connectedReplicas(Node master) {
        for (String line : cli(master, "INFO", "replication").split("\r?\n")) {
            if (line.startsWith("connected_slaves:")) {
                return Integer.parseInt(line.substring("connected_slaves:".length()).trim());
            }
        }
        return 0;
    }

    private boolean healthyAsSeenBy(Node viewer) {
        String info = cliOrEmpty(viewer, "CLUSTER", "INFO");
        if (!info.contains("cluster_state:ok") || !info.contains("cluster_slots_ok:16384")) {
            return false;
        }
        String replication = cliOrEmpty(viewer, "INFO", "replication");
        if (replication.contains("role:slave") && !replication.contains("master_link_status:up")) {
            return false;  // a replica that has not synced cannot take over
        }
        for (String line : cliOrEmpty(viewer, "CLUSTER", "NODES").split("\n")) {
            String[] f = line.trim().split(" ");
            if (f.length > 8 && f[2].contains("master") && byAddress(f[1]).filter(Node::isRunning).isEmpty()) {
                return false;  // a slot still served by a node that is down
            }
        }
        return true;
    }

    private Optional<Node> masterOfSlot(Node viewer, int slot) {
        for (String line : cliOrEmpty(viewer, "CLUSTER", "NODES").split("\n")) {
            String[] f = line.trim().split(" ");
            if (f.length < 9 || !f[2].contains("master") || f[2].contains("fail")) {
                continue;
            }
            for (int i = 8; i < f.length; i++) {
                if (f[i].startsWith("[")) {
                    continue;  // a slot being migrated
                }
                String[] range = f[i].split("-");
                int lo = Integer.parseInt(range[0]);
                int hi = range.length > 1 ? Integer.parseInt(range[1]) : lo;
                if (slot >= lo && slot <= hi) {
                    return byAddress(f[1]);
                }
            }
        }
        return Optional.empty();
    }

    /** "127.0.0.1:port@cport[,hostname]" to the node on that port. */
    private Optional<Node> byAddress(String address) {
        String hostPort = address.split("@")[0];
        int port = Integer.parseInt(hostPort.substring(hostPort.lastIndexOf(':') + 1));
        return nodes.stream().filter(n -> n.port() == port).findFirst();
    }

    private List<Node> running() {
        return nodes.stream().filter(Node::isRunning).toList();
    }

    private Node anyRunning() {
        return running().stream().findFirst().orElseThrow(() -> new IllegalStateException("no node runs"));
    }

    /** redis-cli against one node; its output. */
    public static String cli(Node node, String... args) {
        List<String> cmd = new ArrayList<>(List.of(ServiceProcess.locate("redis-cli"), "-p", Integer.toString(node.port())));
        cmd.addAll(List.of(args));
        return run(cmd, Duration.ofSeconds(10));
    }

    private static String cliOrEmpty(Node node, String... args) {
        try {
            return cli(node, args);
        } catch (IllegalStateException e) {
            return "";
        }
    }

    private static String run(List<String> cmd, Duration timeout) {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            p.getOutputStream().close();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("timed out: " + String.join(" ", cmd));
            }
            if (p.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", cmd) + " exited " + p.exitValue() + ":\n"
                    + new String(out, StandardCharsets.UTF_8));
            }
            return new String(out, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void await(Duration timeout, String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("timed out after " + timeout + " waiting for " + what);
            }
            try {
                Thread.sleep(50);  // the poll interval of a condition with a deadline
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    @Override
    public void close() {
        nodes.forEach(Node::close);
    }
}
