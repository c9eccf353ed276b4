package dev.onshelf.app;

import dev.onshelf.aggregator.redis.CatalogStore;
import dev.onshelf.core.catalog.CatalogFile;
import dev.onshelf.core.catalog.Product;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads a catalogue at start-up (ONSHELF_CATALOG_FILE, format in {@link CatalogFile}), or the
 * demo's from the classpath. Entries are added or replaced; entries not in the file stay. Runs
 * before the process serves anything (or, in the demo, from the CLI thread), so waiting blocks no
 * event loop.
 */
final class CatalogLoader {
    static final String DEMO_RESOURCE = "/onshelf/demo-catalog.csv";
    private static final Logger LOG = LoggerFactory.getLogger(CatalogLoader.class);

    private CatalogLoader() {
    }

    static List<Product> load(Path file, CatalogStore catalog) throws Exception {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new OnShelfConfig.ConfigException("ONSHELF_CATALOG_FILE " + file + " is not readable: " + e.getMessage());
        }
        List<Product> products;
        try {
            products = parse(file.getFileName().toString(), text);
        } catch (CatalogFile.Error e) {
            throw new OnShelfConfig.ConfigException("ONSHELF_CATALOG_FILE " + file + ", " + e.getMessage());
        }
        store(products, catalog);
        LOG.info("catalogue loaded [file: {}, products: {}]", file, products.size());
        return products;
    }

    /** The demo's catalogue (a resource of this module). */
    static List<Product> demo() throws IOException {
        try (InputStream in = CatalogLoader.class.getResourceAsStream(DEMO_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("demo catalogue missing from the classpath: " + DEMO_RESOURCE);
            }
            try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                return CatalogFile.parse(r, CatalogFile.Format.CSV);
            }
        }
    }

    static List<Product> parse(String fileName, String text) throws IOException {
        String first = text.lines().filter(l -> !l.isBlank()).findFirst().orElse("");
        return CatalogFile.parse(new StringReader(text), CatalogFile.formatOf(fileName, first));
    }

    /** Writes entries, at most 256 at a time in flight. */
    static void store(List<Product> products, CatalogStore catalog) throws Exception {
        for (int i = 0; i < products.size(); i += 256) {
            CompletableFuture<?>[] batch = products.subList(i, Math.min(products.size(), i + 256)).stream()
                .map(p -> catalog.put(p).toCompletableFuture()).toArray(CompletableFuture[]::new);
            CompletableFuture.allOf(batch).get(30, TimeUnit.SECONDS);
        }
    }
}
