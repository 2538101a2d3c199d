package dev.ferry.controller.store;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The store contract on the embedded SQLite store (one store: its writers share one lock). */
class SqliteStoreContractTest extends StoreContractTest {

  @TempDir
  Path dir;

  @Override
  protected Store openStore() {
    return SqliteStore.open(dir);
  }

  @Override
  protected Store peer(Store store) {
    return store;
  }
}
