package dev.onshelf.simulators.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class RedisInfoTest {
    // as Redis 7.0 answers INFO cpu and INFO commandstats (CRLF line ends)
    private static final String BEFORE = String.join("\r\n",
        "# CPU", "used_cpu_sys:1.250000", "used_cpu_user:2.500000", "used_cpu_sys_children:0.000000",
        "used_cpu_user_children:0.000000", "used_cpu_sys_main_thread:1.200000", "used_cpu_user_main_thread:2.400000",
        "", "# Commandstats",
        "cmdstat_evalsha:calls=1000,usec=25000,usec_per_call=25.00,rejected_calls=0,failed_calls=0",
        "cmdstat_hget:calls=10,usec=20,usec_per_call=2.00,rejected_calls=0,failed_calls=0",
        "cmdstat_client|setname:calls=1,usec=3,usec_per_call=3.00,rejected_calls=0,failed_calls=0", "");
    private static final String AFTER = String.join("\r\n",
        "# CPU", "used_cpu_sys:2.000000", "used_cpu_user:4.000000", "", "# Commandstats",
        "cmdstat_evalsha:calls=3000,usec=85000,usec_per_call=28.33,rejected_calls=0,failed_calls=1",
        "cmdstat_hget:calls=10,usec=20,usec_per_call=2.00,rejected_calls=0,failed_calls=0",
        "cmdstat_client|setname:calls=1,usec=3,usec_per_call=3.00,rejected_calls=0,failed_calls=0",
        "cmdstat_zadd:calls=2000,usec=4000,usec_per_call=2.00,rejected_calls=0,failed_calls=0", "");

    @Test
    void parsesCpuSecondsAsUserPlusSystemOfTheWholeProcess() {
        // the main-thread and children's lines are parts or other processes: not added again
        assertThat(RedisInfo.parse(BEFORE).cpuSeconds()).isCloseTo(3.75, within(1e-9));
    }

    @Test
    void parsesEachCommandsCallsAndMicroseconds() {
        RedisInfo info = RedisInfo.parse(BEFORE);

        assertThat(info.commands()).containsEntry("evalsha", new RedisInfo.Command(1000, 25000))
            .containsEntry("hget", new RedisInfo.Command(10, 20))
            .containsEntry("client|setname", new RedisInfo.Command(1, 3));
    }

    @Test
    void theDifferenceKeepsOnlyCommandsCalledInBetween() {
        RedisInfo delta = RedisInfo.parse(AFTER).since(RedisInfo.parse(BEFORE));

        assertThat(delta.cpuSeconds()).isCloseTo(2.25, within(1e-9));
        assertThat(delta.commands()).containsOnlyKeys("evalsha", "zadd")
            .containsEntry("evalsha", new RedisInfo.Command(2000, 60000))
            .containsEntry("zadd", new RedisInfo.Command(2000, 4000));
    }

    @Test
    void emptyOrForeignTextIsNoCommandsAndNoCpu() {
        RedisInfo info = RedisInfo.parse("# Server\r\nredis_version:7.0.15\r\nnonsense\r\n");

        assertThat(info.cpuSeconds()).isZero();
        assertThat(info.commands()).isEmpty();
    }

    @Test
    void oneFieldOfASectionAsTextOrAsANumber() {
        String server = "# Server\r\nredis_version:7.0.15\r\nrun_id:076a44f6048c53edf6ed8701cc21098d4fbfc7e9\r\n"
            + "aof_rewrites:3\r\n";
        assertThat(RedisInfo.text(server, "run_id")).isEqualTo("076a44f6048c53edf6ed8701cc21098d4fbfc7e9");
        assertThat(RedisInfo.field(server, "aof_rewrites")).isEqualTo(3);
        assertThat(RedisInfo.text(server, "no_such")).isNull();
        assertThat(RedisInfo.field(server, "no_such")).isZero();
    }
}
