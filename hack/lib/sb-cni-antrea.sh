# shellcheck shell=bash
# --mode antrea: the node layout and OpenFlow pipeline of Antrea (antrea-io/antrea up to 1.5, encap
# mode, Geneve, AntreaProxy off so kube-proxy does Services on the host). hack/README.md lists
# where it differs from a real node.
#
#   br-int (fail_mode=secure)
#     ofport 1  antrea-tun0  type=geneve remote_ip=flow key=flow: one flow-based port for every
#               peer, the peer picked by load:<IP>->NXM_NX_TUN_IPV4_DST[] in L3Forwarding
#               (--underlay ipv6: set_field:<IPv6>->tun_ipv6_dst, as Antrea writes an IPv6 peer)
#     ofport 2  antrea-gw0   internal, the node's pod-subnet gateway (10.244.i.1/24); routes to each
#               peer's subnet via its gateway IP, onlink; iptables ANTREA-POSTROUTING masquerade
#     ofport 3+ <pod[:8]>-<hex> pod veths; the Port row carries antrea-type=container, container-id,
#               pod-name, pod-namespace, ip-address, attached-mac
# Tables: 0 Classifier (reg0[0..15] = 0 tunnel / 1 gateway / 2 pod; reg0[19] = rewrite MAC),
# 10 SpoofGuard, 20 ARPResponder (peer gateways answered with the global virtual MAC, else
# NORMAL), 30 Conntrack (zone 65520), 31 ConntrackState, 40 DNAT (Service CIDR to the gateway),
# 50 EgressRule, 60 EgressDefault, 70 L3Forwarding, 80 L2ForwardingCalc (reg1 = out port,
# reg0[16] = found), 90 IngressRule, 100 IngressDefault, 105 ConntrackCommit, 110 L2ForwardingOut.

CNI_MODES+=" antrea"

ANTREA_GLOBAL_VMAC=aa:bb:cc:dd:ee:ff
ANTREA_CT_ZONE=65520
ANTREA_CLUSTER=10.244.0.0/16
ANTREA_SERVICES=10.96.0.0/16
# flow cookies: round 1 in the top 16 bits, the category in the next 8 (Default, NodeRoute,
# PodConnectivity, Service)
ANTREA_COOKIE_DEFAULT=0x1000000000000
ANTREA_COOKIE_NODE=0x1020000000000
ANTREA_COOKIE_POD=0x1030000000000
ANTREA_COOKIE_SVC=0x1040000000000

# Antrea's host veth name: the pod name's first 8 characters, '-', then hex of a hash, 15 in all
antrea_hostif() {
  local prefix=${1:0:8}-
  printf '%s%s' "$prefix" "$(printf '%s' "$POD_NAMESPACE/$1" | sha1sum | cut -c1-$((15 - ${#prefix})))"
}

antrea_pod_port_args() { # node j pod hostif ip mac: one argument per line for ovs-vsctl
  local pod=$3 hif=$4 pip=$5 mac=$6
  printf '%s\n' -- add-port br-int "$hif" -- set port "$hif" \
    external_ids:antrea-type=container \
    "external_ids:container-id=$(printf 'container/%s/%s' "$POD_NAMESPACE" "$pod" | sha256sum | cut -c1-64)" \
    "external_ids:pod-name=$pod" "external_ids:pod-namespace=$POD_NAMESPACE" \
    "external_ids:ip-address=\"$pip\"" "external_ids:attached-mac=\"$mac\""
}

antrea_node_layout() {
  local i=$1 ns gw k
  ns=$(node_ns "$i")
  gw=10.244.$i.1
  vsctl "$i" -- add-br br-int -- set bridge br-int datapath_type=netdev fail_mode=secure \
    protocols=OpenFlow10,OpenFlow13 other_config:disable-in-band=true \
    -- add-port br-int antrea-tun0 -- set interface antrea-tun0 type=geneve ofport_request=1 \
    options:remote_ip=flow options:key=flow -- set port antrea-tun0 external_ids:antrea-type=tunnel \
    -- add-port br-int antrea-gw0 -- set interface antrea-gw0 type=internal ofport_request=2 \
    mtu_request="$POD_MTU" -- set port antrea-gw0 external_ids:antrea-type=gateway
  ip -n "$ns" link set antrea-gw0 address "$(ip_mac "$gw")" up
  ip -n "$ns" addr add "$gw/24" dev antrea-gw0
  txoff "$ns" antrea-gw0
  # the node route controller: each peer's subnet via its gateway IP, which ARPResponder answers
  for ((k = 1; k <= NODES; k++)); do
    ((k == i)) && continue
    ip -n "$ns" route add "$(pod_subnet "$k")" via "10.244.$k.1" dev antrea-gw0 onlink
  done
  nsx "$ns" iptables-restore --noflush <<EOF
*nat
:ANTREA-POSTROUTING - [0:0]
-A POSTROUTING -m comment --comment "Antrea: jump to Antrea postrouting rules" -j ANTREA-POSTROUTING
-A ANTREA-POSTROUTING -s $(pod_subnet "$i") -m comment --comment "Antrea: masquerade pod to external packets" ! -o antrea-gw0 -j MASQUERADE
COMMIT
EOF
  kube_proxy_rules "$i"
  if has_v6; then antrea_node_layout6 "$i"; fi # hack/lib/sb-ipv6.sh
}

antrea_tun_dst() { # peer node: the L3Forwarding action that picks the peer's tunnel end
  if underlay_v6; then
    echo "set_field:$(node_ip6 "$1")->tun_ipv6_dst"
  else
    echo "load:$(antrea_hex_ip "$(node_ip "$1")")->NXM_NX_TUN_IPV4_DST[]"
  fi
}

antrea_hex_ip() { # dotted quad -> 0x + 8 hex digits
  local IFS=.
  # shellcheck disable=SC2086
  set -- $1
  printf '0x%02x%02x%02x%02x' "$1" "$2" "$3" "$4"
}

antrea_node_flows() { # node: the whole br-int table, as the agent writes it at start, per pod and per Node
  local i=$1 k j pod pip mac ofport f gw gwmac subnet d
  d=$(node_dir "$i")
  f="$d/flows.txt"
  gw=10.244.$i.1
  gwmac=$(ip_mac "$gw")
  subnet=$(pod_subnet "$i")
  local c=$ANTREA_COOKIE_DEFAULT
  {
    echo "cookie=$c,table=0,priority=200,in_port=2,actions=load:0x1->NXM_NX_REG0[0..15],goto_table:10"
    echo "cookie=$c,table=0,priority=200,in_port=1,actions=load:0->NXM_NX_REG0[0..15],load:0x1->NXM_NX_REG0[19],goto_table:30"
    echo "cookie=$c,table=0,priority=0,actions=drop"
    echo "cookie=$c,table=10,priority=200,ip,in_port=2,actions=goto_table:30"
    echo "cookie=$c,table=10,priority=200,arp,in_port=2,arp_spa=$gw,arp_sha=$gwmac,actions=goto_table:20"
    echo "cookie=$c,table=10,priority=0,actions=drop"
    echo "cookie=$c,table=20,priority=190,arp,actions=NORMAL"
    echo "cookie=$c,table=20,priority=0,actions=drop"
    echo "cookie=$c,table=30,priority=200,ip,actions=ct(table=31,zone=$ANTREA_CT_ZONE)"
    echo "cookie=$c,table=31,priority=210,ct_state=-new+trk,ct_mark=0x20,ip,reg0=0x1/0xffff,actions=goto_table:40"
    echo "cookie=$c,table=31,priority=200,ct_state=-new+trk,ct_mark=0x20,ip,actions=mod_dl_dst:$gwmac,goto_table:40"
    echo "cookie=$c,table=31,priority=190,ct_state=+inv+trk,ip,actions=drop"
    echo "cookie=$c,table=31,priority=0,actions=goto_table:40"
    echo "cookie=$ANTREA_COOKIE_SVC,table=40,priority=200,ip,nw_dst=$ANTREA_SERVICES,actions=mod_dl_dst:$gwmac,load:0x2->NXM_NX_REG1[],load:0x1->NXM_NX_REG0[16],goto_table:105"
    echo "cookie=$c,table=40,priority=0,actions=goto_table:50"
    echo "cookie=$c,table=50,priority=210,ct_state=-new+est,ip,actions=goto_table:70"
    echo "cookie=$c,table=50,priority=0,actions=goto_table:60"
    echo "cookie=$c,table=60,priority=0,actions=goto_table:70"
    echo "cookie=$c,table=70,priority=200,ip,dl_dst=$ANTREA_GLOBAL_VMAC,nw_dst=$gw,actions=mod_dl_dst:$gwmac,goto_table:80"
    echo "cookie=$c,table=70,priority=0,actions=goto_table:80"
    echo "cookie=$c,table=80,priority=200,dl_dst=$gwmac,actions=load:0x2->NXM_NX_REG1[],load:0x1->NXM_NX_REG0[16],goto_table:105"
    echo "cookie=$c,table=80,priority=0,actions=goto_table:105"
    echo "cookie=$c,table=90,priority=210,ct_state=-new+est,ip,actions=goto_table:105"
    echo "cookie=$c,table=90,priority=210,ip,nw_src=$gw,actions=goto_table:105"
    echo "cookie=$c,table=90,priority=0,actions=goto_table:100"
    echo "cookie=$c,table=100,priority=0,actions=goto_table:105"
    echo "cookie=$c,table=105,priority=200,ct_state=+new+trk,ip,reg0=0x1/0xffff,actions=ct(commit,table=110,zone=$ANTREA_CT_ZONE,exec(load:0x20->NXM_NX_CT_MARK[]))"
    echo "cookie=$c,table=105,priority=190,ct_state=+new+trk,ip,actions=ct(commit,table=110,zone=$ANTREA_CT_ZONE)"
    echo "cookie=$c,table=105,priority=0,actions=goto_table:110"
    echo "cookie=$c,table=110,priority=200,ip,reg0=0x10000/0x10000,actions=output:NXM_NX_REG1[]"
    echo "cookie=$c,table=110,priority=0,actions=drop"
    # per peer Node: its gateway IP answered with the global virtual MAC, its subnet tunnelled
    c=$ANTREA_COOKIE_NODE
    for ((k = 1; k <= NODES; k++)); do
      ((k == i)) && continue
      echo "cookie=$c,table=20,priority=200,arp,arp_tpa=10.244.$k.1,arp_op=1,actions=move:NXM_OF_ETH_SRC[]->NXM_OF_ETH_DST[],mod_dl_src:$ANTREA_GLOBAL_VMAC,load:0x2->NXM_OF_ARP_OP[],move:NXM_NX_ARP_SHA[]->NXM_NX_ARP_THA[],load:0x${ANTREA_GLOBAL_VMAC//:/}->NXM_NX_ARP_SHA[],move:NXM_OF_ARP_SPA[]->NXM_OF_ARP_TPA[],load:$(antrea_hex_ip "10.244.$k.1")->NXM_OF_ARP_SPA[],IN_PORT"
      echo "cookie=$c,table=70,priority=200,ip,nw_dst=$(pod_subnet "$k"),actions=dec_ttl,mod_dl_src:$gwmac,mod_dl_dst:$ANTREA_GLOBAL_VMAC,load:0x1->NXM_NX_REG1[],load:0x1->NXM_NX_REG0[16],$(antrea_tun_dst "$k"),goto_table:105"
    done
    # per local pod: classification, spoof guard, routed delivery and its L2 entry
    c=$ANTREA_COOKIE_POD
    for ((j = 1; j <= PODS_PER_NODE; j++)); do
      pod=$(pod_name "$i" "$j")
      pip=$(pod_ip "$i" "$j")
      mac=$(ip_mac "$pip")
      ofport=$(vsctl "$i" get interface "$(antrea_hostif "$pod")" ofport)
      [[ $ofport =~ ^[0-9]+$ && $ofport -gt 0 ]] || die "antrea: pod $pod has no ofport ($ofport) on node$i"
      echo "cookie=$c,table=0,priority=190,in_port=$ofport,actions=load:0x2->NXM_NX_REG0[0..15],goto_table:10"
      echo "cookie=$c,table=10,priority=200,ip,in_port=$ofport,dl_src=$mac,nw_src=$pip,actions=goto_table:30"
      echo "cookie=$c,table=10,priority=200,arp,in_port=$ofport,arp_spa=$pip,arp_sha=$mac,actions=goto_table:20"
      echo "cookie=$c,table=70,priority=200,ip,dl_dst=$ANTREA_GLOBAL_VMAC,nw_dst=$pip,actions=mod_dl_src:$gwmac,mod_dl_dst:$mac,dec_ttl,goto_table:80"
      echo "cookie=$c,table=80,priority=200,dl_dst=$mac,actions=load:$ofport->NXM_NX_REG1[],load:0x1->NXM_NX_REG0[16],goto_table:90"
    done
    if has_v6; then antrea_node_flows6 "$i"; fi
  } >"$f"
  ovs-ofctl -O OpenFlow13 replace-flows "unix:$d/run/br-int.mgmt" "$f"
}

antrea_network_ready() {
  local i
  for ((i = 1; i <= NODES; i++)); do antrea_node_flows "$i"; done
}

# `break tunnel`: the node loses the peer Node's routes (as when the agent misses the Node event):
# its L3Forwarding flow (table 70) and the ARP answer for its gateway (table 20) go, so packets to
# the peer's pods go to antrea-gw0 and the host routes them back to the global virtual MAC, which
# nothing forwards any more (dropped in L2ForwardingOut), or never resolves the peer's gateway.
# `fix` rewrites the node's flows.
antrea_fault_tunnel() { # break|fix node peer
  local action=$1 i=$2 p=$3 sock
  if [[ $action == fix ]]; then
    antrea_node_flows "$i"
    return 0
  fi
  sock="unix:$(node_dir "$i")/run/br-int.mgmt"
  ovs-ofctl -O OpenFlow13 del-flows --strict "$sock" "table=70,priority=200,ip,nw_dst=$(pod_subnet "$p")"
  if has_v6; then
    ovs-ofctl -O OpenFlow13 del-flows --strict "$sock" "table=70,priority=200,ipv6,ipv6_dst=$(pod_subnet6 "$p")"
  fi
  ovs-ofctl -O OpenFlow13 del-flows --strict "$sock" "table=20,priority=200,arp,arp_tpa=10.244.$p.1,arp_op=1"
}
