/**
 * A throw-away lab of real Open vSwitch hosts in network namespaces (userspace datapath), for
 * Ferry's end-to-end tests and demos.
 *
 * <pre>{@code
 * try (Lab lab = Lab.start()) {                       // cleans dead runs' leftovers first
 *     Controller ctl = startFerryOn(lab.controllerListenAddress());   // 10.x.y.1:6653, root namespace
 *     List<LabHost> hosts = lab.addHosts("h1", "h2"); // parallel; each points br-int at lab.controllerTarget()
 *     LabContainer a = hosts.get(0).addContainer("a", "02:00:00:00:00:01", "10.0.0.1/24");
 *     LabContainer b = hosts.get(1).addContainer("b", "02:00:00:00:00:02", "10.0.0.2/24");
 *     hosts.get(0).awaitControllerConnected(true, Duration.ofSeconds(10));
 *     assertEquals(3, a.ping(b.ip(), 3, 10));
 *     List<CapturedPacket> wire = CapturedPacket.parseAll(lab.captureUnderlay("udp port 4789", () -> a.ping(b.ip(), 1, 5)));
 * }
 * }</pre>
 *
 * In JUnit, {@code @ExtendWith(LabExtension.class)} (test scope) injects a {@code Lab} parameter,
 * closes it after each test and skips the test when the machine is not root or lacks OVS.
 *
 * <p>Names: namespaces {@code <prefix>-<name>} (hosts, containers, {@code <prefix>-underlay}),
 * root links {@code <prefix>m<k>} (management veths) and {@code <prefix>ctl} (the controller
 * address), state in {@code /tmp/ferry-lab/<prefix>}. A container's port on br-int is
 * {@code "t" + name}.
 *
 * <p>Ownership: a lab belongs to the JVM named in its {@code owner} file and dies with it (close,
 * shutdown hook, or the next run's {@link dev.ferry.tests.lab.Lab#cleanLeftovers}). {@code ./ferry
 * lab up} ({@link dev.ferry.tests.lab.LabCommand}) instead hands its lab to the state file
 * ({@link dev.ferry.tests.lab.Lab#persist}: {@code lab.env}, owner line {@code "<ovsdb pid>
 * <start> persistent"}): no cleaner touches it, and {@code ./ferry lab down} removes it by prefix.
 */
package dev.ferry.tests.lab;
