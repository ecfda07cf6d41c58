# shellcheck shell=bash
# --mode aci with --ip-family ipv6|dual: IPv6 as opflex-agent-ovs programs it (facts from
# noironetworks/opflex agent-ovs/ovs/IntFlowManager.cpp): the subnet's router is the link-local
# address built from the fabric router MAC (EUI-64), advertised to the pods by router
# advertisements; a neighbour solicitation for it goes to the agent (controller action, priority 20
# in the bridge table, dropped at 22 when it comes from the tunnel); port security allows each
# endpoint's own addresses plus the link-local built from its MAC; the policy table lets
# neighbour solicitations and advertisements through at priority 10. The sandbox has no agent on
# the controller channel and sends no router advertisements, so each pod gets the default route
# and the router's neighbour entry statically (what the agent's RA and NA would teach it).
# IPv6 tunnel destinations are not supported by opflex-agent ("IPv6 tunnel destinations are not
# supported"), so VXLAN stays on the IPv4 underlay.

mac_ll() { # MAC: the EUI-64 link-local address of that MAC
  local IFS=: b
  read -ra b <<<"$1"
  printf 'fe80::%x:%x:%x:%x\n' "$(((0x${b[0]} ^ 2) << 8 | 0x${b[1]}))" "$((0x${b[2]} << 8 | 0xff))" \
    "$((0xfe << 8 | 0x${b[3]}))" "$((0x${b[4]} << 8 | 0x${b[5]}))"
}

aci_router_ll() { mac_ll "$ACI_ROUTER_MAC"; }

aci_pod_net6() { echo "64 $(aci_router_ll)"; }

aci_pod_routes() { # pod-netns node
  if has_v6; then
    ip -n "$1" -6 neigh replace "$(aci_router_ll)" lladdr "$ACI_ROUTER_MAC" dev eth0 nud permanent
  fi
}

aci_ep_ips() { # node j: the endpoint file's "ip" list, the sandbox's first family first
  local a=() x
  while read -r x; do a+=("\"$x\""); done < <(pod_ips "$1" "$2")
  local IFS=,
  echo "[${a[*]}]"
}

# The leaf routes IPv6 between the EPG devices as it routes IPv4, with the pods' IPv6 neighbours
# pinned (the FDB entries are per MAC and already there); the L3Out reaches the external host on
# the fabric's IPv6 subnet.
aci_leaf_up6() {
  local ns lip6 e dev t=100 k j
  ns=$(aci_leaf_ns)
  lip6="$SUB6::$ACI_LEAF_IP_SUFFIX"
  v6_on "$ns" eth0
  nsx "$ns" sysctl -q -w net.ipv6.conf.all.forwarding=1 >/dev/null
  ip -n "$ns" addr add "$lip6/64" dev eth0 nodad
  # a fabric sends no redirects (IPv4: send_redirects=0); Linux has no IPv6 switch for it, and a
  # redirect naming the destination as its own target would make the pod solicit a remote pod
  nsx "$ns" ip6tables -A OUTPUT -p icmpv6 --icmpv6-type redirect -j DROP
  for e in $ACI_EPGS; do
    dev="vx-$e"
    v6_on "$ns" "$dev"
    if [[ $e == l3out ]]; then
      for ((k = 1; k <= NODES; k++)); do ip -n "$ns" -6 route add "$(pod_subnet6 "$k")" dev "$dev"; done
    else
      t=$((t + 1))
      ip -n "$ns" -6 rule add iif "$dev" lookup "$t"
      for ((k = 1; k <= NODES; k++)); do ip -n "$ns" -6 route add "$(pod_subnet6 "$k")" dev "$dev" table "$t"; done
    fi
    for ((k = 1; k <= NODES; k++)); do
      for ((j = 1; j <= PODS_PER_NODE; j++)); do
        ip -n "$ns" -6 neigh replace "$(pod_ip6 "$k" "$j")" lladdr "$(ip_mac "$(pod_ip "$k" "$j")")" \
          dev "$dev" nud permanent
      done
    done
  done
  ip -n "$EXT_NS" -6 route add fd00:10:244::/48 via "$lip6"
}

aci_node_flows6() { # node ofport-of-vxlan0: the IPv6 flows of br-int beside the IPv4 ones
  local i=$1 ov=$2 rll j pod pip mac k vnid
  rll=$(aci_router_ll)
  echo "table=5,priority=22,in_port=$ov,icmp6,icmp_type=135,nd_target=$rll,actions=drop"
  echo "table=5,priority=20,icmp6,icmp_type=135,nd_target=$rll,actions=CONTROLLER:65535"
  echo "table=5,priority=10,ipv6,dl_dst=$ACI_ROUTER_MAC,actions=goto_table:7"
  echo "table=7,priority=10,ipv6,actions=move:NXM_NX_REG0[]->NXM_NX_TUN_ID[0..31],set_field:$(aci_leaf_ip)->tun_dst,output:$ov"
  echo "table=12,priority=10,icmp6,icmp_type=135,actions=goto_table:13"
  echo "table=12,priority=10,icmp6,icmp_type=136,actions=goto_table:13"
  for ((j = 1; j <= PODS_PER_NODE; j++)); do
    pod=$(pod_name "$i" "$j")
    pip=$(pod_ip6 "$i" "$j")
    mac=$(ip_mac "$(pod_ip "$i" "$j")")
    vnid=$(aci_vnid "$(aci_epg "$pod")")
    k=$(ofport_of "$i" "pi-$(aci_hostif "$pod")")
    echo "table=1,priority=100,in_port=$k,dl_src=$mac,ipv6,ipv6_src=$pip,actions=goto_table:2"
    echo "table=1,priority=100,in_port=$k,dl_src=$mac,ipv6,ipv6_src=$(mac_ll "$mac"),actions=goto_table:2"
    echo "table=5,priority=20,icmp6,icmp_type=135,nd_target=$pip,actions=load:$k->NXM_NX_REG7[],goto_table:14"
    echo "table=7,priority=20,ipv6,ipv6_dst=$pip,actions=set_field:$ACI_ROUTER_MAC->eth_src,set_field:$mac->eth_dst,dec_ttl,load:$vnid->NXM_NX_REG2[],load:$k->NXM_NX_REG7[],goto_table:12"
  done
}
