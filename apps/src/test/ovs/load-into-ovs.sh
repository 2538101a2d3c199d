#!/bin/bash
# Usage (root, OVS 3.1 installed): load-into-ovs.sh apps/src/test/resources/golden/seed-host1.ovs
# Set EXTRA to a shell snippet to run ofproto/trace before cleanup (see docs/pipeline.md).
# Loads a FlowText OVS-style file into a real OVS 3.1 in namespace pipx-h1; cleans up after.
set -u
d=/tmp/pipx-lab/h1; ns=pipx-h1; f=$1
cleanup() {
  for p in $d/vswitchd.pid $d/ovsdb.pid; do [ -f $p ] && kill $(cat $p) 2>/dev/null; done
  sleep 0.5; ip netns del $ns 2>/dev/null; rm -rf /tmp/pipx-lab
}
trap cleanup EXIT
ip netns add $ns; ip -n $ns link set lo up; mkdir -p $d
ovsdb-tool create $d/conf.db /usr/share/openvswitch/vswitch.ovsschema
OVS_RUNDIR=$d ip netns exec $ns ovsdb-server $d/conf.db --remote=punix:$d/db.sock --pidfile=$d/ovsdb.pid --detach -vconsole:warn --log-file=$d/ovsdb.log --unixctl=$d/ovsdb.ctl
V="ovs-vsctl --db=unix:$d/db.sock"
$V --no-wait init
OVS_RUNDIR=$d ip netns exec $ns ovs-vswitchd unix:$d/db.sock --pidfile=$d/vswitchd.pid --detach -vconsole:warn --log-file=$d/vswitchd.log --unixctl=$d/vswitchd.ctl
$V add-br br-int -- set bridge br-int datapath_type=netdev fail_mode=secure protocols=OpenFlow13
$V add-port br-int vxlan0 -- set interface vxlan0 type=vxlan options:key=flow options:remote_ip=flow ofport_request=1
$V add-port br-int p2 -- set interface p2 type=internal ofport_request=2
$V add-port br-int p3 -- set interface p3 type=internal ofport_request=3
B=unix:$d/br-int.mgmt
O="ovs-ofctl -O OpenFlow13"
grep '^meter=' $f > $d/meters; grep '^group_id=' $f > $d/groups; grep '^table=' $f > $d/flows
echo "== meters"; $O add-meters $B $d/meters 2>&1 || while read -r l; do $O add-meter $B "$l" || echo "REJECTED: $l"; done < $d/meters
echo "== groups"; $O add-groups $B $d/groups; echo rc=$?
echo "== flows"; $O add-flows $B $d/flows; echo rc=$?
echo "== counts: flows $($O dump-flows $B | grep -c cookie) of $(wc -l < $d/flows); groups $($O dump-groups $B | grep -c group_id) of $(wc -l < $d/groups)"
$O dump-meters $B; $O dump-groups $B; $O dump-flows $B
${EXTRA:+eval "$EXTRA"}
