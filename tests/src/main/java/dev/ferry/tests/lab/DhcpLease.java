package dev.ferry.tests.lab;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What a real DHCP client (busybox udhcpc) was handed: the script udhcpc calls on "bound"
 * applies address, router and MTU to the interface and writes the options it saw to a file,
 * which {@link #read} turns into this record.
 *
 * @param mtu 0 when the server sent no option 26
 */
public record DhcpLease(String ip, int prefixLength, String router, List<String> dns, int mtu) {
    private static final String SCRIPT = """
            #!/bin/sh
            # udhcpc hook: apply the lease, record what the server sent
            case "$1" in
              bound|renew)
                ip addr flush dev "$interface"
                ip addr add "$ip/$mask" dev "$interface"
                [ -n "$mtu" ] && ip link set dev "$interface" mtu "$mtu"
                [ -n "$router" ] && ip route replace default via "${router%% *}" dev "$interface"
                printf 'ip=%s\\nmask=%s\\nrouter=%s\\ndns=%s\\nmtu=%s\\n' \\
                  "$ip" "$mask" "$router" "$dns" "$mtu" > "$(dirname "$0")/lease.env"
                ;;
            esac
            exit 0
            """;

    /** Writes the udhcpc script into dir (created) and returns its path. */
    static Path writeScript(Path dir) {
        try {
            Files.createDirectories(dir);
            Path script = dir.resolve("udhcpc.sh");
            Files.writeString(script, SCRIPT);
            Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
            Files.deleteIfExists(dir.resolve("lease.env"));
            return script;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static DhcpLease read(Path dir) {
        Map<String, String> env = new HashMap<>();
        try {
            for (String line : Files.readAllLines(dir.resolve("lease.env"))) {
                int eq = line.indexOf('=');
                env.put(line.substring(0, eq), line.substring(eq + 1).strip());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String dns = env.getOrDefault("dns", "");
        String mtu = env.getOrDefault("mtu", "");
        return new DhcpLease(env.get("ip"), Integer.parseInt(env.get("mask")), env.get("router"),
                dns.isEmpty() ? List.of() : Arrays.asList(dns.split(" ")),
                mtu.isEmpty() ? 0 : Integer.parseInt(mtu));
    }
}
