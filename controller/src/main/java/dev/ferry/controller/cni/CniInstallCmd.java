package dev.ferry.controller.cni;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ferry cni install}: copies the few jars the plugin loads into --lib-dir, records an
 * application class-data archive of one training run there, and writes the executable
 * {@code ferry} into --bin-dir: a shell script exec'ing java with that archive.
 */
@Command(name = "install", mixinStandardHelpOptions = true,
    description = "Install the Ferry CNI plugin (executable 'ferry') into a CNI bin directory.")
public final class CniInstallCmd implements Callable<Integer> {
  /** Start-up is the plugin's whole cost: C1 only, serial GC, no perf-data file, JVM warnings off stdout. */
  static final List<String> JVM_FLAGS = List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-XX:-UsePerfData",
      "-Xshare:auto", "-Xlog:disable", "-Xlog:all=warning:stderr");
  static final String ARCHIVE = "ferry-cni.jsa";

  @Option(names = "--bin-dir", paramLabel = "DIR", description = "where the runtime looks for plugins (default /opt/cni/bin)")
  Path binDir = Path.of("/opt/cni/bin");

  @Option(names = "--lib-dir", paramLabel = "DIR", description = "where the plugin's jars and class-data archive go (default /opt/ferry/cni)")
  Path libDir = Path.of("/opt/ferry/cni");

  @Option(names = "--cds", paramLabel = "true|false", arity = "1", description = "create and use a class-data archive (default true)")
  boolean cds = true;

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws IOException, InterruptedException {
    PrintWriter out = spec.commandLine().getOut();
    Path lib = libDir.toAbsolutePath();
    Path bin = binDir.toAbsolutePath();
    Files.createDirectories(lib);
    Files.createDirectories(bin);
    List<String> classpath = new ArrayList<>();
    for (Class<?> c : List.of(CniMain.class, ObjectMapper.class, JsonFactory.class, JsonAutoDetect.class)) {
      classpath.add(copyCodeSource(c, lib).toString());
    }
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> flags = new ArrayList<>(JVM_FLAGS);
    Path archive = lib.resolve(ARCHIVE);
    Files.deleteIfExists(archive);
    if (cds) {
      train(java, classpath, archive);
      flags.add(0, "-XX:SharedArchiveFile=" + archive);
    }
    Path launcher = bin.resolve("ferry");
    writeExecutable(launcher, launcherScript(java, flags, classpath));
    out.println("installed " + launcher + " (" + (cds ? "class-data archive " + archive : "no class-data archive")
        + ", jars in " + lib + ")");
    out.flush();
    return 0;
  }

  static String launcherScript(String java, List<String> flags, List<String> classpath) {
    StringBuilder s = new StringBuilder("#!/bin/sh\n");
    s.append("# Ferry's CNI plugin, written by 'ferry cni install'. The runtime execs it once per pod\n");
    s.append("# operation, so the JVM starts from a class-data archive with the C1 compiler only.\n");
    s.append("exec ").append(quote(java));
    for (String f : flags) {
      s.append(' ').append(quote(f));
    }
    s.append(" -cp ").append(quote(String.join(":", classpath))).append(" dev.ferry.controller.cni.CniMain \"$@\"\n");
    return s.toString();
  }

  /** One run of the plugin's code paths that dumps the classes it loaded (the dump must use the same classpath). */
  private static void train(String java, List<String> classpath, Path archive) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of(java));
    cmd.addAll(JVM_FLAGS);
    cmd.addAll(List.of("-XX:ArchiveClassesAtExit=" + archive, "-cp", String.join(":", classpath),
        CniTraining.class.getName()));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0 || !Files.exists(archive)) {
      p.destroyForcibly();
      throw new IllegalStateException("creating the class-data archive failed: " + output.strip());
    }
  }

  /** Copies the jar holding {@code c} into {@code lib}; classes from a directory (a build tree) are jarred first. */
  private static Path copyCodeSource(Class<?> c, Path lib) throws IOException {
    Path source;
    try {
      source = Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
    if (Files.isDirectory(source)) {
      Path jar = lib.resolve("ferry-controller.jar");
      Path tmp = Files.createTempFile(lib, ".ferry-controller", ".jar");
      try (JarOutputStream jos = new JarOutputStream(Files.newOutputStream(tmp)); Stream<Path> files = Files.walk(source)) {
        for (Path f : (Iterable<Path>) files.filter(Files::isRegularFile).sorted()::iterator) {
          jos.putNextEntry(new JarEntry(source.relativize(f).toString().replace('\\', '/')));
          Files.copy(f, jos);
          jos.closeEntry();
        }
      }
      return Files.move(tmp, jar, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
    Path target = lib.resolve(source.getFileName());
    if (!target.equals(source)) {
      Files.copy(source, target, StandardCopyOption.REPLACE_EXISTING);
    }
    return target;
  }

  private static void writeExecutable(Path target, String content) throws IOException {
    Path tmp = Files.createTempFile(target.getParent(), ".ferry", ".tmp",
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
    try (OutputStream o = Files.newOutputStream(tmp)) {
      o.write(content.getBytes(StandardCharsets.UTF_8));
    }
    Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  private static String quote(String s) {
    if (s.contains("'")) {
      throw new IllegalArgumentException("path with a single quote is not supported: " + s);
    }
    return "'" + s + "'";
  }
}
