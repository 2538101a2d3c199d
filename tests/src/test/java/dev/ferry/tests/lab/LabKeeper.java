package dev.ferry.tests.lab;

/** Child JVM for the leftover tests: builds a small lab, says READY, then waits to be killed. */
public final class LabKeeper {
    private LabKeeper() {
    }

    public static void main(String[] args) throws InterruptedException {
        Lab lab = Lab.start();
        LabHost host = lab.addHost(HostSpec.named("h1").withoutController());
        LabContainer container = host.addContainer("k", "02:00:00:00:09:01", "10.9.0.1/24");
        container.spawn("sleep", "600");
        System.out.println("READY " + lab.prefix() + " " + lab.stateDir());
        System.out.flush();
        Thread.sleep(600_000);
    }
}
