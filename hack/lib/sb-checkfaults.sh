# shellcheck shell=bash
# Faults for the health checks' fault matrix (hack/sandbox break|fix FAULT NODE); each changes what
# the node really does, never a label.
#   lb-removed      ovn: the TCP Service load balancer leaves the node's switch (ls-lb-del); ovs: the
#                   KUBE-SERVICES rule of the TCP portal is deleted (kube-proxy nftables: its
#                   service-ips element). Pods of that node lose the VIP.
#   stale-backend   the node's Service programming gets a backend no pod has (10.244.<i>.99):
#                   ovn: the node's switch gets its own copy of the TCP load balancer with it;
#                   ovs: kube-proxy's chains are rewritten with it. Some connections die.
#   dns-garbage     every pod responder answers DNS queries with garbage (the cluster DNS is sick,
#                   seen from every node)
#   leftover-veth   a host veth pair left behind on the node (in no pod, on no bridge), as after a
#                   CNI DEL that did not finish
#   pod-iface-gone  the pod's own eth0 of the node's last pod is deleted (its host veth
#                   goes with it): OVS keeps a port for a pod that has no interface any more
#   port-off-bridge the OVS port of the node's last pod is deleted (del-port); its host veth and
#                   the pod's eth0 stay: the pod is cut off, its interfaces look fine
#   nodeport-removed the TCP NodePort of default/web leaves the node (needs `nodeport on`): ovn:
#                   its OVN-KUBE-NODEPORT rule is deleted; ovs: its KUBE-NODEPORTS rule, both families (kube-proxy
#                   nftables: its service-nodeports element). Clients
#                   reaching the Service through this node's address are refused/dropped.
#   nic-down        the fabric side of the node's underlay veth is set down: the node's NIC (eth0
#                   under br-phy) loses its carrier ("Link detected: no"), the node is cut off
#   pod-eth0-mtu    every pod of the node gets eth0 MTU 1300 inside its namespace; the host veths
#                   keep the node's pod MTU: full-size packets to those pods die at their eth0, and
#                   their own full-size DF packets are refused locally ("message too long")
#   underlay-mtu    the fabric side of the node's underlay veth gets MTU 1400 while the node's own
#                   NIC keeps its MTU: a device between the nodes drops the node's larger frames
#                   (tunnelled full-size pod packets), small ones pass; nothing on the node shows it

check_fault() { # action fault i -> 0 when handled
  case $2 in
    lb-removed) fault_lb_removed "$1" "$3" ;;
    stale-backend) fault_stale_backend "$1" "$3" ;;
    dns-garbage) fault_dns_garbage "$1" "$3" ;;
    leftover-veth) fault_leftover_veth "$1" "$3" ;;
    pod-iface-gone) fault_pod_iface_gone "$1" "$3" ;;
    port-off-bridge) fault_port_off_bridge "$1" "$3" ;;
    nodeport-removed) fault_nodeport_removed "$1" "$3" ;;
    nic-down) fault_nic_down "$1" "$3" ;;
    underlay-mtu) fault_underlay_mtu "$1" "$3" ;;
    pod-eth0-mtu) fault_pod_eth0_mtu "$1" "$3" ;;
    *) return 1 ;;
  esac
}

svc_lb() { echo "Service_${POD_NAMESPACE}/web_$1_cluster"; }

# Kube-OVN programs each Service once, on the cluster's load balancers of ovn-default and join, the
# switches every node's pods and ovn0 enter: a Service fault there is seen from every node. ACI's
# sandbox builds no Services, so there is nothing to break.
no_services_here() { # fault
  [[ $MODE != aci ]] || die "$1: --mode aci builds no Services (hack/README.md), so no Service programming to break"
}

kube_ovn_lb() { echo "cluster-tcp-loadbalancer"; }

fault_lb_removed() {
  local action=$1 i=$2 ns
  no_services_here lb-removed
  if [[ $MODE == kube-ovn ]]; then
    if [[ $action == break ]]; then
      nbctl --if-exists ls-lb-del ovn-default "$(kube_ovn_lb)" -- --if-exists ls-lb-del join "$(kube_ovn_lb)"
    else
      nbctl -- ls-lb-add ovn-default "$(kube_ovn_lb)" -- ls-lb-add join "$(kube_ovn_lb)" 2>/dev/null || true
    fi
    nbctl --wait=hv sync
  elif [[ $MODE == ovn ]]; then
    if [[ $action == break ]]; then
      nbctl --if-exists ls-lb-del "node$i" "$(svc_lb TCP)"
    else
      nbctl ls-lb-add "node$i" "$(svc_lb TCP)" 2>/dev/null || true
    fi
    nbctl --wait=hv sync
  else
    ns=$(node_ns "$i")
    if [[ $action == break ]] && kube_proxy_nft_on; then
      nsx "$ns" nft delete element ip kube-proxy service-ips "{ $SVC_IP . tcp . 80 }"
    elif [[ $action == break ]]; then
      local t
      for t in $(if has_v4; then echo iptables; fi) $(if has_v6; then echo ip6tables; fi); do
        nsx "$ns" "$t" -t nat -S KUBE-SERVICES | grep -- "-p tcp" | sed 's/^-A /-D /' |
          while read -r rule; do eval "nsx \"$ns\" $t -t nat $rule"; done
      done
    else
      if has_v4; then kube_proxy_rules "$i"; fi
      if has_v6; then kube_proxy_rules6 "$i"; fi
    fi
  fi
  if has_v4; then FAULT_DETAIL="tcp $SVC_IP:80"; else FAULT_DETAIL="tcp [$SVC_IP6]:80"; fi
  if has_v4 && has_v6 && [[ $MODE != ovn ]]; then FAULT_DETAIL+=" and [$SVC_IP6]:80"; fi
  if [[ $MODE == kube-ovn ]]; then FAULT_DETAIL+=" on every node"; else FAULT_DETAIL+=" on node$i"; fi
}

fault_stale_backend() {
  local action=$1 i=$2 k webs=() webs6=() stale="10.244.$i.99" stale6="fd00:10:244:$i::99"
  no_services_here stale-backend
  for ((k = 1; k <= NODES; k++)); do webs+=("$(pod_ip "$k" 1)") webs6+=("[$(pod_ip6 "$k" 1)]:80"); done
  if [[ $MODE == kube-ovn ]]; then
    # the cluster load balancer's VIPs of each family get node I's stale backend (or lose it)
    local lb a=() list list6 IFS=,
    lb=$(kube_ovn_lb)
    list="${webs[*]/%/:80}"
    list6="${webs6[*]}"
    unset IFS
    if [[ $action == break ]]; then list+=",$stale:80" list6+=",[$stale6]:80"; fi
    if has_v4; then a+=(-- set load_balancer "$lb" "vips:\"$SVC_IP:80\"=\"$list\""); fi
    if has_v6; then a+=(-- set load_balancer "$lb" "vips:\"[$SVC_IP6]:80\"=\"$list6\""); fi
    nbctl "${a[@]}"
    nbctl --wait=hv sync
  elif [[ $MODE == ovn ]]; then
    local mine="Service_${POD_NAMESPACE}/web_TCP_node_switch_node$i" list list6 IFS=,
    if [[ $action == break ]]; then
      list="${webs[*]/%/:80},$stale:80"
      list6="${webs6[*]},[$stale6]:80"
      unset IFS
      # the IPv6 VIP (--ip-family ipv6|dual) gets its stale backend too
      local a=(-- --if-exists lb-del "$mine")
      if has_v4; then a+=(-- lb-add "$mine" "$SVC_IP:80" "$list" tcp); fi
      if has_v4 && has_v6; then
        a+=(-- set load_balancer "$mine" "vips:\"[$SVC_IP6]:80\"=\"$list6\"")
      elif has_v6; then
        a+=(-- lb-add "$mine" "[$SVC_IP6]:80" "$list6" tcp)
      fi
      nbctl "${a[@]}" -- ls-lb-del "node$i" "$(svc_lb TCP)" -- ls-lb-add "node$i" "$mine"
    else
      unset IFS
      nbctl -- --if-exists lb-del "$mine" -- ls-lb-add "node$i" "$(svc_lb TCP)" 2>/dev/null || true
    fi
    nbctl --wait=hv sync
  else
    if [[ $action == break ]]; then
      printf '%s\n' "${webs[@]}" "$stale" >"$DIR/node$i/endpoints"
      # kube-proxy's IPv6 proxier gets the IPv6 twin
      for ((k = 1; k <= NODES; k++)); do pod_ip6 "$k" 1; done >"$DIR/node$i/endpoints6"
      echo "$stale6" >>"$DIR/node$i/endpoints6"
    else
      rm -f "$DIR/node$i/endpoints" "$DIR/node$i/endpoints6"
    fi
    if has_v4; then kube_proxy_rules "$i"; fi
    if has_v6; then kube_proxy_rules6 "$i"; fi
  fi
  if has_v4; then FAULT_DETAIL="stale backend $stale:80"; else FAULT_DETAIL="stale backend [$stale6]:80"; fi
}

fault_dns_garbage() {
  local action=$1 d
  for d in "$DIR"/pods/*/; do
    if [[ $action == break ]]; then : >"$d/dns-garbage"; else rm -f "$d/dns-garbage"; fi
  done
  FAULT_DETAIL="every responder answers DNS with garbage"
}

fault_leftover_veth() {
  local action=$1 i=$2 ns name
  ns=$(node_ns "$i")
  name=$(printf 'leftover/node%s' "$i" | sha1sum | cut -c1-15)
  if [[ $action == break ]]; then
    ip -n "$ns" link add "$name" type veth peer name "${name:0:11}peer"
    ip -n "$ns" link set "$name" up
  else
    ip -n "$ns" link del "$name" 2>/dev/null || true
  fi
  FAULT_DETAIL="host veth $name"
}

fault_pod_iface_gone() {
  local action=$1 i=$2 pod
  pod=$(pod_name "$i" "$PODS_PER_NODE")
  if [[ $action == break ]]; then
    ip -n "$(pod_ns "$pod")" link del eth0
  else
    fault_interface fix "$i" # re-creates the veth pair and the OVS port as they were
  fi
  FAULT_DETAIL="pod $POD_NAMESPACE/$pod eth0"
}

fault_port_off_bridge() {
  local action=$1 i=$2 pod hif bridge=br-int
  pod=$(pod_name "$i" "$PODS_PER_NODE")
  hif=$(pod_hostif "$pod")
  if [[ $action == break ]]; then
    if mode_has pod_port_args; then
      local args=()
      mapfile -t args < <("$(mode_fn pod_port_args)" "$i" "$PODS_PER_NODE" "$pod" "$hif" \
        "$(pod_ip "$i" "$PODS_PER_NODE")" "$(ip_mac "$(pod_ip "$i" "$PODS_PER_NODE")")")
      bridge=${args[2]}
    fi
    vsctl "$i" -- --if-exists del-port "$bridge" "$hif"
  else
    fault_interface fix "$i" # re-adds the port (and its flows) as it was; the veth is kept
  fi
  FAULT_DETAIL="pod $POD_NAMESPACE/$pod port $hif off $bridge"
}

fault_nodeport_removed() {
  local action=$1 i=$2 ns chain=KUBE-NODEPORTS
  nodeport_on || die "nodeport-removed: run 'hack/sandbox nodeport on' first"
  ns=$(node_ns "$i")
  [[ $MODE == ovn ]] && chain=OVN-KUBE-NODEPORT
  if [[ $action == break ]] && [[ $MODE == ovs ]] && kube_proxy_nft_on; then
    nsx "$ns" nft delete element ip kube-proxy service-nodeports "{ tcp . $NODEPORT_TCP }"
  elif [[ $action == break ]]; then
    nsx "$ns" iptables -t nat -S "$chain" | grep -- "--dport $NODEPORT_TCP " | sed 's/^-A /-D /' |
      while read -r rule; do eval "nsx \"$ns\" iptables -t nat $rule"; done
    if has_v6; then # its IPv6 twin (ovn_nodeport_rules6, kube_proxy_rules6)
      nsx "$ns" ip6tables -t nat -S "$chain" | grep -- "--dport $NODEPORT_TCP " | sed 's/^-A /-D /' |
        while read -r rule; do eval "nsx \"$ns\" ip6tables -t nat $rule"; done
    fi
  elif [[ $MODE == ovn ]]; then
    ovn_nodeport_rules "$i" on
  else
    kube_proxy_rules "$i"
    if has_v6; then kube_proxy_rules6 "$i"; fi
  fi
  FAULT_DETAIL="NodePort tcp/$NODEPORT_TCP on node$i"
}

fault_nic_down() {
  local action=$1 i=$2 state=up
  [[ $action == break ]] && state=down
  ip -n "$FABRIC_NS" link set "n$i" "$state"
  FAULT_DETAIL="underlay NIC eth0 of node$i: fabric port n$i $state"
}

fault_underlay_mtu() {
  local action=$1 i=$2 saved="$DIR/node$2/fabric-mtu"
  if [[ $action == break ]]; then
    [[ -f $saved ]] || ip -n "$FABRIC_NS" -j link show "n$i" | python3 -c \
      'import json,sys; print(json.load(sys.stdin)[0]["mtu"])' >"$saved"
    ip -n "$FABRIC_NS" link set "n$i" mtu 1400
  else
    ip -n "$FABRIC_NS" link set "n$i" mtu "$(cat "$saved" 2>/dev/null || echo 1500)"
    rm -f "$saved"
  fi
  FAULT_DETAIL="fabric port n$i of node$i: MTU $(ip -n "$FABRIC_NS" -j link show "n$i" |
    python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["mtu"])')"
}

fault_pod_eth0_mtu() {
  local action=$1 i=$2 j pod mtu=1300
  for ((j = 1; j <= PODS_PER_NODE; j++)); do
    pod=$(pod_name "$i" "$j")
    # fix: eth0 takes its host veth's MTU again (whatever the mtu fault left there)
    [[ $action == break ]] ||
      mtu=$(ip -n "$(node_ns "$i")" -j link show "$(pod_hostif "$pod")" | python3 -c \
        'import json,sys; print(json.load(sys.stdin)[0]["mtu"])')
    ip -n "$(pod_ns "$pod")" link set eth0 mtu "$mtu"
  done
  FAULT_DETAIL="eth0 MTU $mtu in the pods of node$i"
}
