package dev.onshelf.app;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The broker's files as ./onshelf mosquitto-acl writes them: replaced at once (written beside, then
 * moved over), so the broker never reads half a file when it reloads (SIGHUP). At the command line only.
 */
final class BrokerFiles {
    private BrokerFiles() {
    }

    static void replace(Path file, String text) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Path tmp = Files.createTempFile(dir, file.getFileName().toString(), ".tmp");
        try {
            Files.writeString(tmp, text, StandardCharsets.UTF_8);
            try {  // the file's own permissions (a new file: rw-r--r--, as the broker must read it)
                Files.setPosixFilePermissions(tmp, Files.exists(file) ? Files.getPosixFilePermissions(file)
                    : java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
            } catch (UnsupportedOperationException e) {
                // not a POSIX file system: its defaults
            }
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /**
     * Removes from a Mosquitto password file ({@code user:hash} per line) every user not in {@code keep};
     * comments, blank lines and the kept users' lines stay as they are. Returns the users removed.
     */
    static List<String> prune(Path file, Set<String> keep) throws IOException {
        List<String> kept = new ArrayList<>();
        List<String> removed = new ArrayList<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            int colon = line.indexOf(':');
            if (line.startsWith("#") || colon < 0 || keep.contains(line.substring(0, colon))) {
                kept.add(line);
            } else {
                removed.add(line.substring(0, colon));
            }
        }
        if (!removed.isEmpty()) {
            replace(file, String.join("\n", kept) + "\n");
        }
        return removed;
    }
}
