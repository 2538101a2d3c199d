package dev.ferry.tests.lab;

import java.util.List;

/**
 * Measures how long a two-host lab (one container each) takes to come up and to tear down.
 * Run: java -cp <test classpath> dev.ferry.tests.lab.LabTimings [rounds]
 */
public final class LabTimings {
    private LabTimings() {
    }

    public static void main(String[] args) {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        for (int i = 0; i < rounds; i++) {
            long t0 = System.nanoTime();
            Lab lab = Lab.start();
            long t1 = System.nanoTime();
            List<LabHost> hosts = lab.addHosts("h1", "h2");
            long t2 = System.nanoTime();
            hosts.get(0).addContainer("a", "02:00:00:00:03:01", "10.0.0.1/24");
            hosts.get(1).addContainer("b", "02:00:00:00:03:02", "10.0.0.2/24");
            long t3 = System.nanoTime();
            lab.close();
            long t4 = System.nanoTime();
            System.out.printf("round %d: lab %d ms, 2 hosts %d ms, 2 containers %d ms, up total %d ms, teardown %d ms%n",
                    i, ms(t1 - t0), ms(t2 - t1), ms(t3 - t2), ms(t3 - t0), ms(t4 - t3));
        }
    }

    private static long ms(long nanos) {
        return nanos / 1_000_000;
    }
}
