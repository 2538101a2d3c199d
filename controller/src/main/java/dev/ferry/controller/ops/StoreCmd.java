package dev.ferry.controller.ops;

import dev.ferry.controller.store.EtcdLocation;
import dev.ferry.controller.store.EtcdStore;
import dev.ferry.controller.store.ModelDump;
import dev.ferry.controller.store.SqliteStore;
import dev.ferry.controller.store.Store;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code ferry store export|import}: the whole model as JSON, between stores and for backups. */
@Command(name = "store", mixinStandardHelpOptions = true,
    subcommands = {StoreCmd.Export.class, StoreCmd.Import.class},
    description = "Export or import the whole model (JSON): SQLite <-> etcd, backups.")
public final class StoreCmd implements Runnable {

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "missing subcommand: export or import");
  }

  /** Which store to open: the same flags as {@code ferry run}. */
  static final class Location {
    @Option(names = "--store", paramLabel = "sqlite|etcd://HOST:PORT,...[/PREFIX]", defaultValue = "sqlite",
        description = "the store (default sqlite, in --data-dir)")
    String store;

    @Option(names = "--data-dir", paramLabel = "DIR", defaultValue = "./data", description = "SQLite's data directory (default ./data)")
    Path dataDir;

    @Option(names = "--etcd-cacert", paramLabel = "PEM") String etcdCacert;
    @Option(names = "--etcd-cert", paramLabel = "PEM") String etcdCert;
    @Option(names = "--etcd-key", paramLabel = "PEM") String etcdKey;

    Store open() {
      if (EtcdLocation.isEtcd(store)) {
        return EtcdStore.open(EtcdLocation.parse(store, etcdCacert, etcdCert, etcdKey));
      }
      if (!store.equals("sqlite")) {
        throw new IllegalArgumentException("--store must be sqlite or etcd://host:port,..., not '" + store + "'");
      }
      if (!Files.exists(dataDir.resolve("ferry.db"))) {
        throw new IllegalArgumentException("no ferry.db in " + dataDir + " (--data-dir)");
      }
      return SqliteStore.open(dataDir);
    }
  }

  @Command(name = "export", mixinStandardHelpOptions = true, description = "Write the whole model as JSON.")
  static final class Export implements Callable<Integer> {
    @CommandLine.Mixin Location location;

    @Option(names = "--out", paramLabel = "FILE", description = "write here (default: standard output)")
    Path out;

    @Override
    public Integer call() throws Exception {
      try (Store store = location.open()) {
        ModelDump dump = ModelDump.of(store);
        if (out == null) {
          dump.write(new NonClosing(System.out));
          System.out.println();
        } else {
          try (OutputStream o = Files.newOutputStream(out)) {
            dump.write(o);
          }
          System.err.println("exported " + dump.tenants().size() + " tenants, " + dump.networks().size()
              + " networks, " + dump.ports().size() + " ports to " + out);
        }
      }
      return 0;
    }
  }

  @Command(name = "import", mixinStandardHelpOptions = true, description = "Load an export into an empty store.")
  static final class Import implements Callable<Integer> {
    @CommandLine.Mixin Location location;

    @Parameters(paramLabel = "FILE", description = "an export written by 'ferry store export'")
    Path file;

    @Override
    public Integer call() throws Exception {
      ModelDump dump;
      try (InputStream in = Files.newInputStream(file)) {
        dump = ModelDump.read(in);
      }
      if (!EtcdLocation.isEtcd(location.store)) {
        Files.createDirectories(location.dataDir);
        SqliteStore.open(location.dataDir).close(); // creates an empty ferry.db
      }
      try (Store store = location.open()) {
        dump.restoreInto(store);
      }
      System.err.println("imported " + dump.tenants().size() + " tenants, " + dump.networks().size()
          + " networks, " + dump.ports().size() + " ports");
      return 0;
    }
  }

  /** System.out must stay open after Jackson is done with it. */
  private static final class NonClosing extends java.io.FilterOutputStream {
    NonClosing(OutputStream out) {
      super(out);
    }

    @Override
    public void close() throws java.io.IOException {
      flush();
    }
  }
}
