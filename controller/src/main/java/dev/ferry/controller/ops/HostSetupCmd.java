package dev.ferry.controller.ops;

import dev.ferry.controller.cli.CtlClient;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code ferry host-setup}: makes this host's OVS what Ferry needs and registers the host.
 * Idempotent: it reads the current state, runs only the ovs-vsctl commands that close the gap
 * (in one transaction) and writes to REST only what differs.
 */
@Command(name = "host-setup", mixinStandardHelpOptions = true,
    description = "Create or fix br-int, vxlan0 and the controller target on this host, then register it with Ferry.")
public final class HostSetupCmd implements Callable<Integer> {

  @Option(names = "--name", description = "host name in Ferry (default: this machine's hostname)")
  String name;

  @Option(names = "--tunnel-ip", required = true, description = "this host's underlay (VXLAN endpoint) address")
  String tunnelIp;

  @Option(names = "--controller", required = true, paramLabel = "TARGET",
      description = "tcp:IP:6653 or ssl:IP:PORT; repeat for several controllers")
  List<String> controllers;

  @Option(names = "--datapath-id", description = "16 hex digits (default: br-int's current one, else derived from --name)")
  String datapathId;

  @Option(names = "--datapath-type", description = "netdev or system (default: system when the kernel has the openvswitch module)")
  String datapathType;

  @Option(names = "--db", paramLabel = "REMOTE", description = "ovsdb to configure, e.g. unix:/run/openvswitch/db.sock")
  String db;

  @Option(names = "--dry-run", description = "print the ovs-vsctl commands and REST change, change nothing")
  boolean dryRun;

  @Option(names = "--no-wait", description = "do not wait for ovs-vswitchd to apply the change (it is not running yet)")
  boolean noWait;

  @Option(names = "--no-register", description = "only configure OVS; do not register the host through REST")
  boolean noRegister;

  @Mixin
  RestOptions rest;

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    String host = name != null ? name : OpsNames.hostname();
    Vsctl vsctl = new Vsctl(Commands.SYSTEM, db);
    OvsState now = OvsStateReader.read(vsctl);
    HostSetupSpec want = new HostSetupSpec(
        datapathType != null ? datapathType : HostIdentity.datapathType(),
        datapathIdFor(host, now), controllers);
    List<List<String>> plan = HostSetupPlan.plan(now, want);
    if (plan.isEmpty()) {
      out.println("ovs: br-int up to date (datapath id " + want.datapathId() + ")");
    } else if (dryRun) {
      out.println(String.join(" ", vsctl.command(HostSetupPlan.asArguments(plan))));
    } else {
      List<String> args = new java.util.ArrayList<>(HostSetupPlan.asArguments(plan));
      if (noWait) {
        args.add(0, "--no-wait");
      }
      vsctl.run(args).check();
      out.println("ovs: br-int configured (" + plan.size() + " changes, datapath id " + want.datapathId() + ")");
    }
    if (!noRegister) {
      var env = System.getenv();
      CtlClient admin = rest.client(env);
      var outcome = HostRegistration.ensure(admin, host, want.datapathId(), tunnelIp, dryRun);
      out.println("ferry: host " + host + " " + (dryRun ? "would be " : "")
          + outcome.name().toLowerCase().replace('_', ' '));
      if (!dryRun) {
        var credential = HostCredential.ensure(admin, t -> rest.withToken(env, t), host, rest.credentialFile());
        if (credential == HostCredential.Outcome.ISSUED) {
          out.println("ferry: host credential written to " + rest.credentialFile() + " (mode 0600)");
        }
      }
    }
    out.flush();
    return 0;
  }

  private String datapathIdFor(String host, OvsState now) {
    if (datapathId != null) {
      return HostIdentity.normalizeDatapathId(datapathId);
    }
    if (now.datapathId().matches("[0-9a-fA-F]{16}")) {
      return now.datapathId().toLowerCase();
    }
    return HostIdentity.derivedDatapathId(host);
  }
}
