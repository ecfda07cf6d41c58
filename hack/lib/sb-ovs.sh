# shellcheck shell=bash
# OVS mode (OpenShift-SDN-like, no OVN): br-int with fail_mode=secure, the node's pod gateway on the
# internal port tun0 (10.244.i.1), a Geneve port per peer (key=flow, VNI 1; remote_ip the peer's
# IPv6 underlay address with --underlay ipv6, as a port of any OVS takes one) and static flows with
# split horizon: what arrives from a tunnel is only ever delivered locally, never re-tunnelled.
# The Service VIP is kube-proxy-style iptables DNAT in the node netns (traffic to 10.96.0.10 goes
# to tun0), masqueraded so replies come back through the same node.
#   ofport 2 = tun0, 10+j = tunnel to node j, 100+j = pod j

OVS_VNI=1

ovs_node_up() {
  local i=$1 ns j args=()
  ns=$(node_ns "$i")
  args=(-- add-port br-int tun0 -- set interface tun0 type=internal ofport_request=2 mtu_request="$POD_MTU")
  for ((j = 1; j <= NODES; j++)); do
    ((j == i)) && continue
    args+=(-- add-port br-int "gnv-node$j" -- set interface "gnv-node$j" type=geneve
      options:remote_ip="$(node_encap "$j")" options:key=flow ofport_request="$((10 + j))")
  done
  vsctl "$i" "${args[@]}"
  ip -n "$ns" link set tun0 address "$(ip_mac "10.244.$i.1")" up
  ip -n "$ns" addr add "10.244.$i.1/24" dev tun0
  ip -n "$ns" route add 10.244.0.0/16 dev tun0
  txoff "$ns" tun0
  # the node kernel reaches remote pods on-link through tun0; nobody answers ARP for them there, so
  # pin their neighbours (the destination node's flows rewrite the MACs anyway)
  local k2 j2
  for ((k2 = 1; k2 <= NODES; k2++)); do
    ((k2 == i)) && continue
    for ((j2 = 1; j2 <= PODS_PER_NODE; j2++)); do
      ip -n "$ns" neigh replace "$(pod_ip "$k2" "$j2")" lladdr "$(ip_mac "10.244.$k2.1")" dev tun0 nud permanent
    done
  done
  kube_proxy_rules "$i"
  if has_v6; then ovs_node_up6 "$i"; fi # hack/lib/sb-ipv6.sh
}

# kube-proxy iptables mode, chain for chain: KUBE-SERVICES -> KUBE-SVC-<hash> -> KUBE-SEP-<hash>
# (random choice with the classic statistic probabilities) -> DNAT to the endpoint. Chain names are
# hashed like kube-proxy's, so nothing reads them by convention.
kp_chain() { # prefix text -> KUBE-XXX-<16 upper-case hex of sha256(text)>
  printf '%s-%s' "$1" "$(printf '%s' "$2" | sha256sum | cut -c1-16 | tr a-f A-F)"
}

kube_proxy_rules() { # node: (re)write the nat table's Service chains from $DIR/endpoints.<node>
  local i=$1 ns webs=() k n proto port svc sep chains=() rules=()
  if kube_proxy_nft_on; then
    kube_proxy_nft_rules "$i" # hack/lib/sb-kubeproxy-nft.sh
    return
  fi
  kp_nft_delete "$i"
  ns=$(node_ns "$i")
  if [[ -f "$DIR/node$i/endpoints" ]]; then
    mapfile -t webs <"$DIR/node$i/endpoints"
  else
    for ((k = 1; k <= NODES; k++)); do webs+=("$(pod_ip "$k" 1)"); done
  fi
  for proto in tcp udp; do
    port=80
    [[ $proto == udp ]] && port=53
    svc=$(kp_chain KUBE-SVC "default/web:$proto")
    chains+=(":$svc - [0:0]")
    rules+=("-A KUBE-SERVICES -d $SVC_IP/32 -p $proto -m comment --comment \"default/web:$proto cluster IP\" -m $proto --dport $port -j $svc")
    for k in "${!webs[@]}"; do
      n=$((${#webs[@]} - k))
      sep=$(kp_chain KUBE-SEP "default/web:$proto:${webs[k]}")
      chains+=(":$sep - [0:0]")
      if ((n > 1)); then
        rules+=("-A $svc -m comment --comment \"default/web:$proto -> ${webs[k]}:$port\" -m statistic --mode random --probability $(awk -v n=$n 'BEGIN{printf "%.11f", 1/n}') -j $sep")
      else
        rules+=("-A $svc -m comment --comment \"default/web:$proto -> ${webs[k]}:$port\" -j $sep")
      fi
      rules+=("-A $sep -p $proto -m comment --comment \"default/web:$proto\" -m $proto -j DNAT --to-destination ${webs[k]}:$port")
    done
  done
  if nodeport_on || ingress_on; then chains+=(":KUBE-NODEPORTS - [0:0]"); fi
  if ingress_on; then kp_ingress_rules "$i"; fi # hack/lib/sb-ingress.sh
  if nodeport_on; then
    for proto in tcp udp; do
      port=$NODEPORT_TCP
      [[ $proto == udp ]] && port=$NODEPORT_UDP
      rules+=("-A KUBE-NODEPORTS -p $proto -m comment --comment \"default/web:$proto\" -m $proto --dport $port -j $(kp_chain KUBE-SVC "default/web:$proto")")
    done
  fi
  if nodeport_on || ingress_on; then
    rules+=("-A KUBE-SERVICES -m comment --comment \"kubernetes service nodeports\" -m addrtype --dst-type LOCAL -j KUBE-NODEPORTS")
  fi
  # drop the old Service chains (flush + delete), then restore the new ones beside the other rules;
  # KUBE-SERVICES and the NodePorts (sb-nodeport.sh) jump into them: emptied first, or -X is "busy"
  nsx "$ns" iptables -t nat -F KUBE-SERVICES 2>/dev/null || true
  nsx "$ns" iptables -t nat -F KUBE-NODEPORTS 2>/dev/null || true
  nsx "$ns" iptables-save -t nat | awk '/^:KUBE-(SVC|SEP|EXT|SVL)-/ {sub(/^:/, ""); print $1}' | while read -r c; do
    nsx "$ns" iptables -t nat -F "$c"
  done
  nsx "$ns" iptables-save -t nat | awk '/^:KUBE-(SVC|SEP|EXT|SVL)-/ {sub(/^:/, ""); print $1}' | while read -r c; do
    nsx "$ns" iptables -t nat -X "$c"
  done
  {
    echo "*nat"
    nsx "$ns" iptables -t nat -S KUBE-SERVICES >/dev/null 2>&1 || echo ":KUBE-SERVICES - [0:0]"
    printf '%s\n' "${chains[@]}"
    if ! nsx "$ns" iptables -t nat -C PREROUTING -m comment --comment "kubernetes service portals" -j KUBE-SERVICES 2>/dev/null; then
      echo '-A PREROUTING -m comment --comment "kubernetes service portals" -j KUBE-SERVICES'
      echo "-A POSTROUTING -m conntrack --ctstate DNAT -d 10.244.0.0/16 -j MASQUERADE"
    fi
    printf '%s\n' "${rules[@]}"
    echo "COMMIT"
  } | nsx "$ns" iptables-restore --noflush
}

ovs_flows() { # node: (re)install the whole static flow table of br-int
  local i=$1 j k pod pip mac f="$DIR/node$1/flows.txt" gw
  gw=$(ip_mac "10.244.$i.1")
  {
    echo "table=0,priority=0,actions=drop"
    for ((k = 1; k <= NODES; k++)); do
      ((k == i)) && continue
      # split horizon: from a tunnel, only ARP-free local delivery is allowed
      echo "table=0,priority=150,in_port=$((10 + k)),actions=drop"
      echo "table=0,priority=210,in_port=$((10 + k)),ip,nw_dst=10.244.$i.1,actions=mod_dl_dst:$gw,output:2"
      echo "table=0,priority=100,ip,nw_dst=10.244.$k.0/24,actions=set_field:$OVS_VNI->tun_id,output:$((10 + k))"
    done
    echo "table=0,priority=200,arp,arp_tpa=10.244.$i.1,actions=output:2"
    for ((j = 1; j <= PODS_PER_NODE; j++)); do
      pod=$(pod_name "$i" "$j")
      pip=$(pod_ip "$i" "$j")
      mac=$(ip_mac "$pip")
      echo "table=0,priority=200,arp,arp_tpa=$pip,actions=output:$((100 + j))"
      for ((k = 1; k <= NODES; k++)); do
        ((k == i)) && continue
        echo "table=0,priority=200,in_port=$((10 + k)),ip,nw_dst=$pip,actions=mod_dl_src:$gw,mod_dl_dst:$mac,dec_ttl,output:$((100 + j))"
      done
      echo "table=0,priority=120,ip,nw_dst=$pip,actions=mod_dl_dst:$mac,output:$((100 + j))"
    done
    # everything else a pod sends (node IPs, the external host, the Service VIP) goes to the node
    echo "table=0,priority=50,ip,actions=output:2"
    if has_v6; then ovs_flows6 "$i"; fi
  } >"$f"
  ovs-ofctl -O OpenFlow13 replace-flows "unix:$(node_dir "$i")/run/br-int.mgmt" "$f"
}

ovs_flows_all() {
  local i
  for ((i = 1; i <= NODES; i++)); do ovs_flows "$i"; done
}
