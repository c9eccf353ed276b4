package dev.onshelf.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The password file pruned of users the registry no longer has; comments and kept users untouched. */
class BrokerFilesTest {

    @Test
    void usersNoLongerRegisteredLeaveThePasswordFile(@TempDir Path dir) throws Exception {
        // given a password file with a gateway, two devices and an old bare-id user
        Path passwd = dir.resolve("passwd");
        Files.writeString(passwd, """
            # operators' comment
            onshelf-gateway:$7$101$aaa
            S1.till-1:$7$101$bbb
            S2.till-1:$7$101$ccc
            till-1:$7$101$ddd
            """);
        // when S2's till-1 was deleted
        var removed = BrokerFiles.prune(passwd, Set.of("onshelf-gateway", "S1.till-1"));
        // then it and the bare-id user leave, and the rest is as it was
        assertThat(removed).containsExactly("S2.till-1", "till-1");
        assertThat(Files.readAllLines(passwd)).containsExactly("# operators' comment", "onshelf-gateway:$7$101$aaa",
            "S1.till-1:$7$101$bbb");
        // and a second prune changes nothing
        assertThat(BrokerFiles.prune(passwd, Set.of("onshelf-gateway", "S1.till-1"))).isEmpty();
    }

    @Test
    void aFileIsReplacedWhole(@TempDir Path dir) throws Exception {
        Path acl = dir.resolve("acl");
        BrokerFiles.replace(acl, "user a\n");
        BrokerFiles.replace(acl, "user b\n");
        assertThat(Files.readString(acl)).isEqualTo("user b\n");
        try (var files = Files.list(dir)) {
            assertThat(files).as("no temporary file left behind").containsExactly(acl);
        }
    }
}
