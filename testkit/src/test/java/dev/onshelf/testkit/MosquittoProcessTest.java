package dev.onshelf.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MosquittoProcessTest {

    @Test
    void theBrokerBinaryIsTheOneNamedWhenOneIsNamed(@TempDir Path dir) throws Exception {
        // given an executable file named by ONSHELF_MOSQUITTO
        Path built = Files.createFile(dir.resolve("mosquitto"),
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));

        // then it is the broker the tests run
        assertThat(MosquittoProcess.binary(built.toString())).isEqualTo(built.toString());
    }

    @Test
    void aNamedBinaryThatCannotRunIsRefusedSayingWhich(@TempDir Path dir) throws Exception {
        Path notExecutable = Files.createFile(dir.resolve("mosquitto"));

        assertThatThrownBy(() -> MosquittoProcess.binary(notExecutable.toString()))
            .isInstanceOf(IllegalStateException.class)
            .hasMessageContaining("ONSHELF_MOSQUITTO=" + notExecutable);
        assertThatThrownBy(() -> MosquittoProcess.binary(dir.resolve("absent").toString()))
            .isInstanceOf(IllegalStateException.class)
            .hasMessageContaining("is not an executable file");
        assertThatThrownBy(() -> MosquittoProcess.binary(dir.toString()))
            .as("a directory is executable but not a broker")
            .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void unsetOrEmptyMeansTheInstalledBroker() {
        // the default path is unchanged: what locate finds (Debian's /usr/sbin/mosquitto), or its message
        String installed;
        try {
            installed = ServiceProcess.locate("mosquitto");
        } catch (IllegalStateException notInstalled) {
            assertThatThrownBy(() -> MosquittoProcess.binary(null)).hasMessageContaining("not installed");
            return;
        }
        assertThat(MosquittoProcess.binary(null)).isEqualTo(installed);
        assertThat(MosquittoProcess.binary("")).isEqualTo(installed);
    }
}
