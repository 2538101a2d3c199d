package dev.ferry.tests.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** A controller in the test JVM, bound to the lab's controller address, gets the hosts' OpenFlow HELLO. */
@ExtendWith(LabExtension.class)
class LabControllerTargetTest {
    private static final int OFP_HELLO = 0;

    @Test
    void hostsConnectToTheControllerAddressWithTheirOpenFlowVersion(Lab lab) throws Exception {
        try (ServerSocket server = new ServerSocket()) {
            server.bind(lab.controllerListenAddress());
            server.setSoTimeout(15_000);
            LabHost of13 = lab.addHost("h1");
            assertHello(server, of13, 0x04).close();
            LabHost of14 = lab.addHost(HostSpec.named("h2").withProtocols(HostSpec.OPENFLOW13_14));
            assertHello(server, of14, 0x05).close();
        }
    }

    /** OVS says HELLO first, with the highest version it allows (0x04 = 1.3, 0x05 = 1.4). */
    private static Socket assertHello(ServerSocket server, LabHost host, int version) throws Exception {
        Socket switchSide = acceptFrom(server, host);
        switchSide.setSoTimeout(10_000);
        InputStream in = switchSide.getInputStream();
        byte[] header = in.readNBytes(2);
        assertEquals(version, header[0], "OpenFlow version in HELLO");
        assertEquals(OFP_HELLO, header[1], "message type");
        return switchSide;
    }

    /** Hosts a test hung up on reconnect (max_backoff 1 s): skip their connections. */
    private static Socket acceptFrom(ServerSocket server, LabHost host) throws Exception {
        while (true) {
            Socket socket = server.accept();
            String peer = ((InetSocketAddress) socket.getRemoteSocketAddress()).getAddress().getHostAddress();
            if (peer.equals(host.managementIp())) {
                return socket;
            }
            socket.close();
        }
    }
}
