#!/bin/bash
# Real-traffic check of the compiled seed flows, no controller: two OVS hosts in namespaces
# joined by a veth underlay, four containers (tenant A and B, same IPs on both hosts), the
# golden seed-host{1,2}.ovs loaded as is, then routed-host{1,2}.ovs (tenant A's second network). ARP is Ferry's job (packet-in), so containers get
# static neighbours. Usage (root): seed-ping-lab.sh [golden dir]. Cleans up after itself.
set -u
G=${1:-$(dirname "$0")/../resources/golden}
P=pipx; L=/tmp/$P-ping
declare -A MAC=([a1]=02:00:00:00:a0:02 [a2]=02:00:00:00:a0:0a [b1]=02:00:00:00:b0:02 [b2]=02:00:00:00:b0:0a [a4]=02:00:00:00:a1:05)
declare -A IP=([a1]=172.17.42.2 [a2]=172.17.42.10 [b1]=172.17.42.2 [b2]=172.17.42.10 [a4]=10.0.1.5)
cleanup() {
  for h in h1 h2; do for p in $L/$h/vswitchd.pid $L/$h/ovsdb.pid; do
    [ -f $p ] && kill $(cat $p) 2>/dev/null; done; done
  sleep 0.5
  for ns in $P-h1 $P-h2 $P-a1 $P-a2 $P-b1 $P-b2 $P-a4; do ip netns del $ns 2>/dev/null; done
  rm -rf $L
}
trap cleanup EXIT
start_host() { # name underlay-ip
  local h=$1 d=$L/$1 ns=$P-$1
  ip netns add $ns; ip -n $ns link set lo up; mkdir -p $d
  ovsdb-tool create $d/conf.db /usr/share/openvswitch/vswitch.ovsschema
  OVS_RUNDIR=$d ip netns exec $ns ovsdb-server $d/conf.db --remote=punix:$d/db.sock \
    --pidfile=$d/ovsdb.pid --detach -vconsole:warn --log-file=$d/ovsdb.log --unixctl=$d/ovsdb.ctl
  ovs-vsctl --db=unix:$d/db.sock --no-wait init
  OVS_RUNDIR=$d ip netns exec $ns ovs-vswitchd unix:$d/db.sock --pidfile=$d/vswitchd.pid \
    --detach -vconsole:warn --log-file=$d/vswitchd.log --unixctl=$d/vswitchd.ctl
  V="ovs-vsctl --db=unix:$d/db.sock"
  $V add-br br-phy -- set bridge br-phy datapath_type=netdev
  ip link set $P-u$h netns $ns; ip -n $ns link set $P-u$h up
  $V add-port br-phy $P-u$h
  ip -n $ns addr add $2/24 dev br-phy; ip -n $ns link set br-phy up
  $V add-br br-int -- set bridge br-int datapath_type=netdev fail_mode=secure protocols=OpenFlow13
  $V add-port br-int vxlan0 -- set interface vxlan0 type=vxlan options:key=flow \
    options:remote_ip=flow ofport_request=1
}
container() { # name host ofport
  local c=$1 h=$2 ns=$P-$1
  ip netns add $ns; ip -n $ns link set lo up
  ip link add $P-$c-o type veth peer name eth0 netns $ns
  ip link set $P-$c-o netns $P-$h; ip -n $P-$h link set $P-$c-o up
  ovs-vsctl --db=unix:$L/$h/db.sock add-port br-int $P-$c-o -- set interface $P-$c-o ofport_request=$3
  ip netns exec $ns sysctl -qw net.ipv6.conf.all.disable_ipv6=1
  ip -n $ns link set eth0 address ${MAC[$c]} mtu 1450
  ip -n $ns addr add ${IP[$c]}/24 dev eth0; ip -n $ns link set eth0 up
}
gateway() { # container gateway-ip gateway-mac: Ferry would answer this ARP
  neigh $1 $2 $3; ip -n $P-$1 route add default via $2
}
load() { # host golden
  local B=unix:$L/$1/br-int.mgmt O="ovs-ofctl -O OpenFlow13"
  $O del-flows $B; $O del-groups $B; $O del-meters $B  # groups must exist before flows
  grep '^meter=' $2 | while read -r l; do $O add-meter $B "$l"; done
  grep '^group_id=' $2 > $L/$1/groups; $O add-groups $B $L/$1/groups
  grep '^table=' $2 > $L/$1/flows; $O add-flows $B $L/$1/flows
  echo "$1: $($O dump-flows $B | grep -c cookie) flows, $($O dump-groups $B | grep -c group_id) groups"
}
neigh() { ip -n $P-$1 neigh replace $2 lladdr $3 dev eth0 nud permanent; }
try() { # label expect(ok|fail) container target
  if ip netns exec $P-$3 ping -c 2 -W 1 -i 0.3 $4 >/dev/null 2>&1; then got=ok; else got=fail; fi
  [ $got = $2 ] && r=PASS || r=FAIL; echo "$r $1 (ping $3 -> $4: $got, expected $2)"
}

mkdir -p $L; ip link add $P-uh1 type veth peer name $P-uh2
start_host h1 192.168.5.2; start_host h2 192.168.5.3
container a1 h1 2; container b1 h1 3; container a2 h2 2; container b2 h2 3
load h1 $G/seed-host1.ovs; load h2 $G/seed-host2.ovs
neigh a1 172.17.42.10 ${MAC[a2]}; neigh a2 172.17.42.2 ${MAC[a1]}
neigh b1 172.17.42.10 ${MAC[b2]}; neigh b2 172.17.42.2 ${MAC[b1]}
try "tenant A across hosts over VXLAN 100" ok a1 172.17.42.10
try "tenant B across hosts over VXLAN 200, same IPs" ok b1 172.17.42.10
neigh a1 172.17.42.10 ${MAC[b2]}
try "tenant A aiming at tenant B's MAC" fail a1 172.17.42.10
neigh a1 172.17.42.10 ${MAC[a2]}
ip -n $P-a1 link set eth0 address 02:00:00:00:a0:99
neigh a1 172.17.42.10 ${MAC[a2]} # a MAC change flushes the neighbour table
try "tenant A with a spoofed source MAC" fail a1 172.17.42.10
ip -n $P-a1 link set eth0 address ${MAC[a1]}
neigh a1 172.17.42.10 ${MAC[a2]}
[ -n "${DEBUG:-}" ] && eval "$DEBUG"
try "tenant A again after un-spoofing" ok a1 172.17.42.10
ip -n $P-b2 addr add 172.17.42.99/24 dev eth0
neigh b1 172.17.42.99 ${MAC[b2]}
try "tenant B, port security off on b2: spoofed IP reply passes" ok b1 172.17.42.99
container a4 h2 4
load h2 $G/routed-host2.ovs >/dev/null; load h1 $G/routed-host1.ovs
gateway a1 172.17.42.1 02:fe:00:00:00:64; gateway a4 10.0.1.1 02:fe:00:00:00:65
gateway b1 172.17.42.1 02:fe:00:00:00:c8
try "tenant A routed 172.17.42.0/24 -> 10.0.1.0/24 across hosts" ok a1 10.0.1.5
try "tenant B cannot route into tenant A's network" fail b1 10.0.1.5
echo "ttl of a4's reply at a1 (64 - 1 router hop): $(ip netns exec $P-a1 ping -c1 -W1 10.0.1.5 | grep -o 'ttl=[0-9]*')"
echo "broadcast: tenant A ping to 172.17.42.255 seen by (tcpdump on a2, b2):"
for c in a2 b2; do
  ip netns exec $P-$c timeout 3 tcpdump -c 1 -ni eth0 icmp >$L/$c.cap 2>/dev/null & done
sleep 1; ip netns exec $P-a1 ping -b -c 2 -W 1 172.17.42.255 >/dev/null 2>&1; wait
for c in a2 b2; do echo "  $c: $(grep -c 'ICMP echo request' $L/$c.cap) packet(s)"; done
