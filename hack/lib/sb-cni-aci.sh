# shellcheck shell=bash
# --mode aci: the node layout of the Cisco ACI CNI (noironetworks/aci-containers host agent with
# opflex-agent-ovs, VXLAN encap) and the fabric as one leaf without an agent. hack/README.md lists
# where it differs from a real node.
#
#   br-access  the pods' host veths (veth<8 hex>) and one patch port pa-<veth> per pod; tables as
#              opflex-agent's access flow manager numbers them: 0 drop log, 1 service bypass,
#              2 group map (reg7 = the other side), 3 security group in, 4 security group out,
#              5 out (output:reg7), 6 explicit drop
#   br-int     the patch peers pi-<veth>, and vxlan0 (remote_ip=flow, key=flow, dst_port=8472);
#              tables as its integration flow manager numbers them: 0 drop log, 1 port security,
#              2 source EPG (reg0), 3 SNAT rev, 4 service rev, 5 bridge (ARP, dEPG in reg2, port in
#              reg7), 6 service next hop, 7 route, 8 SNAT, 9 NAT in, 10 learn, 11 service dst,
#              12 policy (EPG contracts), 13 stats, 14 out, 15 explicit drop
#   leaf       netns P-leaf, 172.31.K.3: the ACI fabric reduced to one leaf. Kernel VXLAN devices
#              (one per EPG VNID, dst port 8472) route the inner packet and re-encapsulate it to
#              the node that holds the destination pod, keeping the source EPG's VNID; the
#              external EPG (L3Out) reaches 172.31.K.200 directly.
# The pods' OVS ports carry no external_ids: the agent finds pods by the endpoint files
# ($DIR/nodeI/opflex/endpoints/*.ep), and podpath must map them by ifindex.

CNI_MODES+=" aci"

ACI_LEAF_IP_SUFFIX=3
ACI_VXLAN_PORT=8472
ACI_ROUTER_MAC=00:22:bd:f8:19:ff
# EPG encap VNIDs (as the APIC assigns them) and their names
ACI_EPGS="default isolated l3out"
ACI_VNID_default=8290304
ACI_VNID_isolated=8290305
ACI_VNID_l3out=2523136
ACI_EPG_NAME_default="kubernetes|kube-default"
ACI_EPG_NAME_isolated="kubernetes|kube-isolated"
ACI_EPG_NAME_l3out="mykube_extepg"

aci_leaf_ip() { echo "$SUB.$ACI_LEAF_IP_SUFFIX"; }
aci_leaf_ns() { echo "$P-leaf"; }
aci_vnid() { local v="ACI_VNID_$1"; echo "${!v}"; }

# web-* and client-* are in kube-default; pod-i-j (j > 2) in kube-isolated, which has no contract
# with kube-default
aci_epg() { case $1 in pod-*) echo isolated ;; *) echo default ;; esac; }

aci_hostif() { printf 'veth%s' "$(printf '%s' "$POD_NAMESPACE/$1" | sha1sum | cut -c1-8)"; }

aci_pod_port_args() { # node j pod hostif ip mac: the host veth on br-access, patch ports, no ids
  local hif=$4
  printf '%s\n' -- add-port br-access "$hif" \
    -- --may-exist add-port br-access "pa-$hif" -- set interface "pa-$hif" type=patch "options:peer=pi-$hif" \
    -- --may-exist add-port br-int "pi-$hif" -- set interface "pi-$hif" type=patch "options:peer=pa-$hif"
}

aci_node_layout() {
  local i=$1
  vsctl "$i" -- add-br br-access -- set bridge br-access datapath_type=netdev fail_mode=secure \
    other_config:disable-in-band=true \
    -- add-br br-int -- set bridge br-int datapath_type=netdev fail_mode=secure \
    other_config:disable-in-band=true \
    -- add-port br-int vxlan0 -- set interface vxlan0 type=vxlan \
    options:remote_ip=flow options:key=flow options:dst_port="$ACI_VXLAN_PORT"
}

# The leaf: one kernel VXLAN device per EPG VNID; what arrives on an EPG's device is routed by its
# own table and leaves on the same device (same VNID) to the node holding the destination, found
# in the leaf's endpoint table (static FDB and neighbour entries, as the fabric's COOP database
# knows every endpoint). Traffic from outside enters the pods' subnets through the L3Out's device.
aci_leaf_up() {
  local ns lip e vnid dev t=100 k j pod pip mac
  ns=$(aci_leaf_ns)
  lip=$(aci_leaf_ip)
  mk_netns "$ns"
  fabric_attach "$ns" leaf "$lip"
  nsx "$ns" sysctl -q -w net.ipv4.ip_forward=1 net.ipv4.conf.all.rp_filter=0 \
    net.ipv4.conf.default.rp_filter=0 net.ipv4.conf.all.send_redirects=0 \
    net.ipv4.conf.default.send_redirects=0 >/dev/null
  for e in $ACI_EPGS; do
    vnid=$(aci_vnid "$e")
    dev="vx-$e"
    ip -n "$ns" link add "$dev" type vxlan id "$vnid" dstport "$ACI_VXLAN_PORT" local "$lip" nolearning
    ip -n "$ns" link set "$dev" address "$ACI_ROUTER_MAC" mtu $((UNDERLAY_MTU - 50)) up
    txoff "$ns" "$dev"
    if [[ $e == l3out ]]; then
      for ((k = 1; k <= NODES; k++)); do ip -n "$ns" route add "$(pod_subnet "$k")" dev "$dev"; done
    else
      t=$((t + 1))
      ip -n "$ns" rule add iif "$dev" lookup "$t"
      for ((k = 1; k <= NODES; k++)); do ip -n "$ns" route add "$(pod_subnet "$k")" dev "$dev" table "$t"; done
    fi
    for ((k = 1; k <= NODES; k++)); do
      for ((j = 1; j <= PODS_PER_NODE; j++)); do
        pod=$(pod_name "$k" "$j")
        pip=$(pod_ip "$k" "$j")
        mac=$(ip_mac "$pip")
        ip -n "$ns" neigh replace "$pip" lladdr "$mac" dev "$dev" nud permanent
        nsx "$ns" bridge fdb append "$mac" dev "$dev" dst "$(node_ip "$k")"
      done
    done
  done
  # the external router learned the pods' subnets from the L3Out
  ip -n "$EXT_NS" route add 10.244.0.0/16 via "$lip"
  if has_v6; then aci_leaf_up6; fi # hack/lib/sb-aci-ipv6.sh
}

# The opflex endpoint file the host agent writes for each pod (what opflex-agent reads).
aci_ep_file() { # node j
  local i=$1 j=$2 pod hif pip mac epg d
  pod=$(pod_name "$i" "$j")
  hif=$(aci_hostif "$pod")
  pip=$(pod_ip "$i" "$j")
  mac=$(ip_mac "$pip")
  epg=$(aci_epg "$pod")
  local name="ACI_EPG_NAME_$epg"
  d="$(node_dir "$i")/opflex/endpoints"
  mkdir -p "$d"
  cat >"$d/$(printf '%s' "$POD_NAMESPACE/$pod" | sha1sum | cut -c1-36)_$hif.ep" <<EOF
{
  "uuid": "$(printf '%s' "$POD_NAMESPACE/$pod" | sha1sum | cut -c1-36)_$hif",
  "eg-policy-space": "kube",
  "endpoint-group-name": "${!name}",
  "ip": $(aci_ep_ips "$i" "$j"),
  "mac": "$mac",
  "access-interface": "$hif",
  "access-uplink-interface": "pa-$hif",
  "interface-name": "pi-$hif",
  "attributes": {"namespace": "$POD_NAMESPACE", "pod-name": "$pod", "interface-name": "$hif", "vm-name": "$pod"}
}
EOF
}

ofport_of() { vsctl "$1" get interface "$2" ofport; }

# shellcheck source=sb-aci-ipv6.sh
source "$HACK/lib/sb-aci-ipv6.sh"

aci_node_flows() { # node: br-access and br-int as opflex-agent programs them for these endpoints
  local i=$1 j k pod hif pip mac ov pv pa epg vnid e d lip gw
  d=$(node_dir "$i")
  lip=$(aci_leaf_ip)
  gw=10.244.$i.1
  ov=$(ofport_of "$i" vxlan0)
  local fa="$d/flows-access.txt" fi="$d/flows-int.txt"
  {
    echo "table=0,priority=0,actions=goto_table:1"
    echo "table=1,priority=0,actions=goto_table:2"
    echo "table=2,priority=0,actions=drop"
    echo "table=3,priority=0,actions=goto_table:5"
    echo "table=4,priority=0,actions=goto_table:5"
    echo "table=5,priority=0,actions=output:NXM_NX_REG7[]"
    echo "table=6,priority=0,actions=drop"
  } >"$fa"
  {
    echo "table=0,priority=0,actions=goto_table:1"
    echo "table=1,priority=50,in_port=$ov,actions=goto_table:2"
    echo "table=1,priority=0,actions=drop"
    for e in $ACI_EPGS; do
      echo "table=2,priority=149,in_port=$ov,tun_id=$(aci_vnid "$e"),actions=load:$(aci_vnid "$e")->NXM_NX_REG0[],goto_table:5"
    done
    echo "table=2,priority=0,actions=drop"
    echo "table=3,priority=0,actions=goto_table:4"
    echo "table=4,priority=0,actions=goto_table:5"
    # the pervasive gateway: the node answers ARP for it with the fabric's router MAC
    echo "table=5,priority=50,arp,arp_op=1,arp_tpa=$gw,actions=move:NXM_OF_ETH_SRC[]->NXM_OF_ETH_DST[],set_field:$ACI_ROUTER_MAC->eth_src,load:2->NXM_OF_ARP_OP[],move:NXM_NX_ARP_SHA[]->NXM_NX_ARP_THA[],move:NXM_OF_ARP_SPA[]->NXM_OF_ARP_TPA[],set_field:$ACI_ROUTER_MAC->arp_sha,set_field:$gw->arp_spa,IN_PORT"
    echo "table=5,priority=10,ip,dl_dst=$ACI_ROUTER_MAC,actions=goto_table:7"
    echo "table=5,priority=0,actions=drop"
    echo "table=6,priority=0,actions=goto_table:7"
    # routed off the node: to the fabric's leaf, VNID = the source EPG
    echo "table=7,priority=16,in_port=$ov,actions=drop"
    echo "table=7,priority=10,ip,actions=move:NXM_NX_REG0[]->NXM_NX_TUN_ID[0..31],set_field:$lip->tun_dst,output:$ov"
    echo "table=7,priority=0,actions=drop"
    echo "table=8,priority=0,actions=goto_table:9"
    echo "table=9,priority=0,actions=goto_table:10"
    echo "table=10,priority=0,actions=goto_table:11"
    echo "table=11,priority=0,actions=goto_table:12"
    # contracts: within an EPG, and every pod EPG with the L3Out's external EPG
    for e in default isolated; do
      vnid=$(aci_vnid "$e")
      echo "table=12,priority=100,reg0=$vnid,reg2=$vnid,actions=goto_table:13"
      echo "table=12,priority=90,reg0=$vnid,reg2=$ACI_VNID_l3out,actions=goto_table:13"
      echo "table=12,priority=90,reg0=$ACI_VNID_l3out,reg2=$vnid,actions=goto_table:13"
    done
    echo "table=12,priority=0,actions=goto_table:15"
    echo "table=13,priority=0,actions=goto_table:14"
    echo "table=14,priority=0,actions=output:NXM_NX_REG7[]"
    echo "table=15,priority=0,actions=drop"
    if has_v6; then aci_node_flows6 "$i" "$ov"; fi
  } >"$fi"
  for ((j = 1; j <= PODS_PER_NODE; j++)); do
    pod=$(pod_name "$i" "$j")
    hif=$(aci_hostif "$pod")
    pip=$(pod_ip "$i" "$j")
    mac=$(ip_mac "$pip")
    epg=$(aci_epg "$pod")
    vnid=$(aci_vnid "$epg")
    pv=$(ofport_of "$i" "$hif")
    pa=$(ofport_of "$i" "pa-$hif")
    k=$(ofport_of "$i" "pi-$hif")
    for x in "$pv" "$pa" "$k"; do
      [[ $x =~ ^[0-9]+$ && $x -gt 0 ]] || die "aci: pod $pod has a port without ofport on node$i"
    done
    {
      echo "table=2,priority=100,in_port=$pv,actions=load:$pa->NXM_NX_REG7[],goto_table:4"
      echo "table=2,priority=100,in_port=$pa,actions=load:$pv->NXM_NX_REG7[],goto_table:3"
    } >>"$fa"
    {
      echo "table=2,priority=140,in_port=$k,actions=load:$vnid->NXM_NX_REG0[],goto_table:5"
      echo "table=5,priority=10,dl_dst=$mac,actions=load:$vnid->NXM_NX_REG2[],load:$k->NXM_NX_REG7[],goto_table:12"
      if has_v4; then
        echo "table=1,priority=100,in_port=$k,dl_src=$mac,ip,nw_src=$pip,actions=goto_table:2"
        echo "table=1,priority=100,in_port=$k,dl_src=$mac,arp,arp_spa=$pip,arp_sha=$mac,actions=goto_table:2"
        echo "table=5,priority=20,arp,arp_tpa=$pip,actions=load:$k->NXM_NX_REG7[],goto_table:14"
        echo "table=7,priority=20,ip,nw_dst=$pip,actions=set_field:$ACI_ROUTER_MAC->eth_src,set_field:$mac->eth_dst,dec_ttl,load:$vnid->NXM_NX_REG2[],load:$k->NXM_NX_REG7[],goto_table:12"
      fi
    } >>"$fi"
  done
  ovs-ofctl -O OpenFlow13 replace-flows "unix:$d/run/br-access.mgmt" "$fa"
  ovs-ofctl -O OpenFlow13 replace-flows "unix:$d/run/br-int.mgmt" "$fi"
}

aci_network_ready() {
  local i j
  aci_leaf_up
  # nodes and the leaf resolve each other before the first overlay packet
  for ((i = 1; i <= NODES; i++)); do
    nsx "$(node_ns "$i")" ping -c1 -W1 -q "$(aci_leaf_ip)" >/dev/null 2>&1 || log "warning: node$i cannot ping the leaf"
  done
  for ((i = 1; i <= NODES; i++)); do
    for ((j = 1; j <= PODS_PER_NODE; j++)); do aci_ep_file "$i" "$j"; done
    aci_node_flows "$i"
  done
  echo "ACI_LEAF_IP=$(aci_leaf_ip)" >>"$DIR/state"
}

# `break tunnel`: the leaf forgets the node's endpoints (as when the fabric loses them), so
# nothing reaches the node's pods through the fabric; `fix` restores them. The peer is unused: the
# fabric sits between every pair of nodes.
aci_fault_tunnel() { # break|fix node peer
  local action=$1 i=$2 e j mac dev ns
  ns=$(aci_leaf_ns)
  for e in $ACI_EPGS; do
    dev="vx-$e"
    for ((j = 1; j <= PODS_PER_NODE; j++)); do
      mac=$(ip_mac "$(pod_ip "$i" "$j")")
      if [[ $action == break ]]; then
        nsx "$ns" bridge fdb del "$mac" dev "$dev" dst "$(node_ip "$i")" 2>/dev/null || true
      else
        nsx "$ns" bridge fdb append "$mac" dev "$dev" dst "$(node_ip "$i")" 2>/dev/null || true
      fi
    done
  done
}
