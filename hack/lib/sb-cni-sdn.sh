# shellcheck shell=bash
# --mode sdn: the node layout and OpenFlow pipeline of OpenShift SDN's multitenant plugin
# (openshift/sdn 4.x node code, rule version 11) as it runs without OVS conntrack. hack/README.md
# lists where it differs from a real node.
#
#   br0 (fail_mode=secure, OpenFlow13)
#     ofport 1  vxlan0  type=vxlan remote_ip=flow key=flow dst_port=4789: one flow-based port for
#               every peer; the VNID travels in tun_id, the peer is chosen by set_field:IP->tun_dst
#     ofport 2  tun0    internal, the node's pod-subnet gateway (10.244.i.1/24); routes for the
#               cluster and Service networks; OPENSHIFT-MASQUERADE and kube-proxy chains in iptables
#     ofport 3+ veth<8 hex> pod ports, external_ids sandbox=<id> ip=<pod IP> (no iface-id)
#   VNIDs: namespace `default` is global (VNID 0); the tenants `blue` and `red` get their own.
# Tables (what each does): 0 classify by in_port; 10 VXLAN ingress (tun_src = a known node);
# 20 from a pod: check IP/MAC, load its VNID into reg0; 21 NetworkPolicy hook; 27 multitenant
# hook; 30 routing; 40 ARP to a local pod; 50 ARP to a remote subnet (VXLAN); 60 to a Service
# (VNID check) then tun0; 70 to a local pod: reg1 = its VNID, reg2 = its ofport; 80 isolation:
# reg0 == reg1 or either is 0, else drop; 90 to a remote subnet (VXLAN, tun_id = reg0);
# 99/100/101 egress (DNS to the node, EgressNetworkPolicy, egress routing to tun0);
# 110/111/120 multicast; 253 the rule-version note.

CNI_MODES+=" sdn"

SDN_CLUSTER=10.244.0.0/16
SDN_SERVICES=10.96.0.0/16
SDN_VXLAN_PORT=4789
# NetNamespace netids as the master's allocator hands them out (10..2^24-1; 0 = global)
SDN_VNID_default=0
SDN_VNID_blue=3881420
SDN_VNID_red=12060515

# web-* stay in the global `default` project (the Service's backends); the other pods alternate
# between two tenants so that every node has neighbours in the other tenant.
sdn_k8s_ns() {
  local pod=$1 i j
  case $pod in
    web-*) echo default; return ;;
    client-*) i=${pod#client-}; j=2 ;;
    pod-*-*) i=${pod#pod-}; j=${i#*-}; i=${i%%-*} ;;
    *) echo default; return ;;
  esac
  if (((i + j) % 2)); then echo blue; else echo red; fi
}

sdn_vnid() { # k8s namespace -> VNID
  local v="SDN_VNID_$1"
  echo "${!v}"
}

# the CNI's veth naming: veth + 8 hex characters
sdn_hostif() { printf 'veth%s' "$(printf '%s' "$(sdn_k8s_ns "$1")/$1" | sha1sum | cut -c1-8)"; }

sdn_pod_port_args() { # node j pod hostif ip mac: one argument per line for ovs-vsctl
  local pod=$3 hif=$4 pip=$5
  printf '%s\n' -- add-port br0 "$hif" -- set interface "$hif" \
    "external_ids:sandbox=$(printf '%s' "$(sdn_k8s_ns "$pod")/$pod" | sha1sum | cut -c1-40)" \
    "external_ids:ip=\"$pip\""
}

# The cluster network is on-link in the pod (that is why table 50 carries ARP to remote subnets);
# Services go through the gateway.
sdn_pod_routes() { # pod-netns node
  ip -n "$1" route add "$SDN_CLUSTER" dev eth0
  ip -n "$1" route add "$SDN_SERVICES" via "10.244.$2.1"
  ip -n "$1" route add 224.0.0.0/4 dev eth0
}

sdn_node_layout() {
  local i=$1 ns gw
  ns=$(node_ns "$i")
  gw=10.244.$i.1
  vsctl "$i" -- add-br br0 -- set bridge br0 datapath_type=netdev fail_mode=secure protocols=OpenFlow13 \
    other_config:disable-in-band=true \
    -- add-port br0 vxlan0 -- set interface vxlan0 type=vxlan ofport_request=1 \
    options:remote_ip=flow options:key=flow options:dst_port="$SDN_VXLAN_PORT" \
    -- add-port br0 tun0 -- set interface tun0 type=internal ofport_request=2 mtu_request="$POD_MTU"
  ovs-ofctl -O OpenFlow13 set-frags "unix:$(node_dir "$i")/run/br0.mgmt" nx-match
  ip -n "$ns" link set tun0 address "$(ip_mac "$gw")" up
  ip -n "$ns" addr add "$gw/24" dev tun0
  ip -n "$ns" route add "$SDN_CLUSTER" dev tun0 proto kernel scope link
  ip -n "$ns" route add "$SDN_SERVICES" dev tun0
  txoff "$ns" tun0
  sdn_iptables "$i"
}

# kube-proxy chain names: KUBE-SVC-/KUBE-SEP- + the first 16 base32 characters of a SHA-256
kp_hash() { printf '%s' "$1" | openssl dgst -sha256 -binary | base32 | cut -c1-16; }

# Egress NAT as OpenShift SDN writes it for the multitenant plugin (masquerade pod-to-service and
# pod-to-external), and the Service as kube-proxy's iptables mode writes it, in the node netns.
sdn_iptables() {
  local i=$1 k n proto port pname svc sep web rules=() webs=()
  for ((k = 1; k <= NODES; k++)); do webs+=("$(pod_ip "$k" 1)"); done
  rules+=(":OPENSHIFT-MASQUERADE - [0:0]" ":KUBE-SERVICES - [0:0]")
  for proto in tcp udp; do
    if [[ $proto == tcp ]]; then port=80 pname=http; else port=53 pname=dns; fi
    svc="KUBE-SVC-$(kp_hash "default/web:$pname$proto")"
    rules+=(":$svc - [0:0]")
    rules+=("-A KUBE-SERVICES -d $SVC_IP/32 -p $proto -m comment --comment \"default/web:$pname cluster IP\" -m $proto --dport $port -j $svc")
    for k in "${!webs[@]}"; do
      web=${webs[k]}
      sep="KUBE-SEP-$(kp_hash "default/web:$pname$proto$web:$port")"
      rules+=(":$sep - [0:0]")
      n=$((${#webs[@]} - k))
      if ((n > 1)); then
        rules+=("-A $svc -m comment --comment \"default/web:$pname -> $web:$port\" -m statistic --mode random --probability $(awk -v n=$n 'BEGIN{printf "%.11f", 1/n}') -j $sep")
      else
        rules+=("-A $svc -m comment --comment \"default/web:$pname -> $web:$port\" -j $sep")
      fi
      rules+=("-A $sep -p $proto -m comment --comment \"default/web:$pname\" -m $proto -j DNAT --to-destination $web:$port")
    done
  done
  {
    echo "*nat"
    printf '%s\n' "${rules[@]}"
    echo "-A PREROUTING -m comment --comment \"kubernetes service portals\" -j KUBE-SERVICES"
    echo "-A OUTPUT -m comment --comment \"kubernetes service portals\" -j KUBE-SERVICES"
    echo "-A POSTROUTING -m comment --comment \"rules for masquerading OpenShift traffic\" -j OPENSHIFT-MASQUERADE"
    echo "-A OPENSHIFT-MASQUERADE -s $SDN_CLUSTER -m comment --comment \"masquerade pod-to-service and pod-to-external traffic\" -j MASQUERADE"
    echo "COMMIT"
  } | nsx "$(node_ns "$i")" iptables-restore --noflush
}

# HostSubnet flows carry a cookie: the first 32 bits of SHA-256 over the HostSubnet's UID (the UID
# the manifest gives it).
sdn_hostsubnet_cookie() { # node-name
  "$PY" -c 'import hashlib, sys, uuid
u = str(uuid.uuid5(uuid.UUID("6f1b8f3c-3a59-4b8e-9b7e-2f0c2d6a9c11"), "hostsubnet/" + sys.argv[1] + "/" + sys.argv[2]))
print("0x" + hashlib.sha256(u.encode()).hexdigest()[:8])' "$P" "$1"
}

sdn_node_flows() { # node: the whole br0 table, as the SDN node writes it at start and per pod/HostSubnet
  local i=$1 k j pod pip ofport vnid f cookie subnet gw ip nodes_mc=() vnids=()
  f="$(node_dir "$i")/flows.txt"
  subnet=$(pod_subnet "$i")
  gw=10.244.$i.1
  ip=$(node_ip "$i")
  {
    # table 0: from vxlan0 (VNID into reg0), from tun0, else from a pod
    echo "table=0,priority=200,in_port=1,arp,arp_spa=$SDN_CLUSTER,arp_tpa=$subnet,actions=move:NXM_NX_TUN_ID[0..31]->NXM_NX_REG0[],goto_table:10"
    echo "table=0,priority=200,in_port=1,ip,nw_src=$SDN_CLUSTER,actions=move:NXM_NX_TUN_ID[0..31]->NXM_NX_REG0[],goto_table:10"
    echo "table=0,priority=200,in_port=1,ip,nw_dst=$SDN_CLUSTER,actions=move:NXM_NX_TUN_ID[0..31]->NXM_NX_REG0[],goto_table:10"
    echo "table=0,priority=150,in_port=1,actions=drop"
    echo "table=0,priority=250,in_port=2,ip,nw_dst=224.0.0.0/4,actions=drop"
    echo "table=0,priority=200,in_port=2,arp,arp_spa=$gw,arp_tpa=$SDN_CLUSTER,actions=goto_table:30"
    echo "table=0,priority=200,in_port=2,ip,actions=goto_table:30"
    echo "table=0,priority=150,in_port=2,actions=drop"
    echo "table=0,priority=100,arp,actions=goto_table:20"
    echo "table=0,priority=100,ip,actions=goto_table:20"
    echo "table=0,priority=0,actions=drop"
    echo "table=10,priority=0,actions=drop"
    echo "table=20,priority=300,udp,udp_dst=$SDN_VXLAN_PORT,actions=drop"
    echo "table=20,priority=0,actions=drop"
    echo "table=21,priority=0,actions=goto_table:30"
    echo "table=27,priority=500,actions=goto_table:30"
    echo "table=30,priority=300,arp,arp_tpa=$gw,actions=output:2"
    echo "table=30,priority=200,arp,arp_tpa=$subnet,actions=goto_table:40"
    echo "table=30,priority=100,arp,arp_tpa=$SDN_CLUSTER,actions=goto_table:50"
    echo "table=30,priority=300,ip,nw_dst=$gw,actions=output:2"
    echo "table=30,priority=100,ip,nw_dst=$SDN_SERVICES,actions=goto_table:60"
    echo "table=30,priority=200,ip,nw_dst=$subnet,actions=goto_table:70"
    echo "table=30,priority=100,ip,nw_dst=$SDN_CLUSTER,actions=goto_table:90"
    echo "table=30,priority=50,in_port=1,ip,nw_dst=224.0.0.0/4,actions=goto_table:120"
    echo "table=30,priority=25,ip,nw_dst=224.0.0.0/4,actions=goto_table:110"
    echo "table=30,priority=0,ip,actions=goto_table:99"
    echo "table=30,priority=0,arp,actions=drop"
    echo "table=40,priority=0,actions=drop"
    echo "table=50,priority=0,actions=drop"
    # table 60 without conntrack: global-VNID pods go straight to tun0, others by Service VNID
    echo "table=60,priority=200,reg0=0,actions=output:2"
    echo "table=60,priority=100,ip,nw_dst=$SVC_IP,ip_frag=later,actions=load:$SDN_VNID_default->NXM_NX_REG1[],load:2->NXM_NX_REG2[],goto_table:80"
    echo "table=60,priority=100,tcp,nw_dst=$SVC_IP,tcp_dst=80,actions=load:$SDN_VNID_default->NXM_NX_REG1[],load:2->NXM_NX_REG2[],goto_table:80"
    echo "table=60,priority=100,udp,nw_dst=$SVC_IP,udp_dst=53,actions=load:$SDN_VNID_default->NXM_NX_REG1[],load:2->NXM_NX_REG2[],goto_table:80"
    echo "table=60,priority=0,actions=drop"
    echo "table=70,priority=0,actions=drop"
    echo "table=80,priority=300,ip,nw_src=$gw/32,actions=output:NXM_NX_REG2[]"
    echo "table=80,priority=200,reg0=0,actions=output:NXM_NX_REG2[]"
    echo "table=80,priority=200,reg1=0,actions=output:NXM_NX_REG2[]"
    echo "table=80,priority=0,actions=drop"
    echo "table=90,priority=0,actions=drop"
    echo "table=99,priority=200,tcp,tcp_dst=53,nw_dst=$ip,actions=output:2"
    echo "table=99,priority=200,udp,udp_dst=53,nw_dst=$ip,actions=output:2"
    echo "table=99,priority=0,actions=goto_table:100"
    echo "table=100,priority=0,actions=goto_table:101"
    echo "table=101,priority=150,ct_state=+rpl,actions=output:2"
    echo "table=101,priority=0,actions=output:2"
    echo "table=110,priority=0,actions=drop"
    echo "table=120,priority=0,actions=drop"
    echo "table=253,actions=note:01.0B"
    # HostSubnet of every peer
    for ((k = 1; k <= NODES; k++)); do
      ((k == i)) && continue
      cookie=$(sdn_hostsubnet_cookie "node$k")
      nodes_mc+=("set_field:$(node_ip "$k")->tun_dst,output:1")
      echo "table=10,priority=100,cookie=$cookie,tun_src=$(node_ip "$k"),actions=goto_table:30"
      echo "table=50,priority=100,cookie=$cookie,arp,arp_tpa=$(pod_subnet "$k"),actions=move:NXM_NX_REG0[]->NXM_NX_TUN_ID[0..31],set_field:$(node_ip "$k")->tun_dst,output:1"
      echo "table=90,priority=100,cookie=$cookie,ip,nw_dst=$(pod_subnet "$k"),actions=move:NXM_NX_REG0[]->NXM_NX_TUN_ID[0..31],set_field:$(node_ip "$k")->tun_dst,output:1"
    done
    if ((${#nodes_mc[@]})); then
      echo "table=111,priority=100,actions=move:NXM_NX_REG0[]->NXM_NX_TUN_ID[0..31],$(IFS=,; echo "${nodes_mc[*]}"),goto_table:120"
    else
      echo "table=111,priority=100,actions=goto_table:120"
    fi
    # pods: their VNID on the way in (20), ARP (40), delivery with VNID and ofport (70)
    for ((j = 1; j <= PODS_PER_NODE; j++)); do
      pod=$(pod_name "$i" "$j")
      pip=$(pod_ip "$i" "$j")
      vnid=$(sdn_vnid "$(sdn_k8s_ns "$pod")")
      ofport=$(vsctl "$i" get interface "$(sdn_hostif "$pod")" ofport)
      [[ $ofport =~ ^[0-9]+$ && $ofport -gt 0 ]] || die "sdn: pod $pod has no ofport ($ofport) on node$i"
      local ipmac
      ipmac=$(ip_mac "$pip" | sed 's/^0a:58/00:00/')/00:00:ff:ff:ff:ff
      echo "table=20,priority=100,in_port=$ofport,arp,arp_spa=$pip,arp_sha=$ipmac,actions=load:$vnid->NXM_NX_REG0[],goto_table:21"
      echo "table=20,priority=100,in_port=$ofport,ip,nw_src=$pip,actions=load:$vnid->NXM_NX_REG0[],goto_table:21"
      echo "table=40,priority=100,arp,arp_tpa=$pip,actions=output:$ofport"
      echo "table=70,priority=100,ip,nw_dst=$pip,actions=load:$vnid->NXM_NX_REG1[],load:$ofport->NXM_NX_REG2[],goto_table:80"
      ((vnid == 0)) || vnids+=("$vnid")
    done
    # multitenant: one rule per VNID in use on this node
    for vnid in $(printf '%s\n' "${vnids[@]+"${vnids[@]}"}" | sort -un); do
      echo "table=80,priority=100,reg0=$vnid,reg1=$vnid,actions=output:NXM_NX_REG2[]"
    done
  } >"$f"
  ovs-ofctl -O OpenFlow13 replace-flows "unix:$(node_dir "$i")/run/br0.mgmt" "$f"
}

sdn_network_ready() {
  local i
  for ((i = 1; i <= NODES; i++)); do sdn_node_flows "$i"; done
  {
    echo "SDN_VNIDS=\"default=$SDN_VNID_default blue=$SDN_VNID_blue red=$SDN_VNID_red\""
  } >>"$DIR/state"
}

# `break tunnel`: the node loses the peer's HostSubnet (as when the SDN node misses the event): its
# table 10/50/90 flows go, so packets to the peer die in table 90 and packets from it in table 10.
# `fix` rewrites the node's flows.
sdn_fault_tunnel() { # break|fix node peer
  local action=$1 i=$2 p=$3 cookie
  if [[ $action == fix ]]; then
    sdn_node_flows "$i"
    return 0
  fi
  cookie=$(sdn_hostsubnet_cookie "node$p")
  ovs-ofctl -O OpenFlow13 del-flows "unix:$(node_dir "$i")/run/br0.mgmt" "cookie=$cookie/-1"
}
