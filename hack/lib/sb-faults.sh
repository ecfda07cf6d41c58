# shellcheck shell=bash
# Faults injected on purpose; each changes the real datapath, never a label.
#   mtu        pod MTU 1500 on the node's pods (both veth ends): big packets vanish in the tunnel
#   ip-forward net.ipv4.ip_forward=0 in the node netns: pod egress through the node stops
#   tunnel     ovn: put the node and one peer in disjoint OVN transport zones, so ovn-controller itself
#              removes the Geneve port between them (and re-creates it on fix); ovs: delete the port;
#              CNI modes with one flow-based tunnel port: <mode>_fault_tunnel (sb-cni-*.sh)
#   interface  delete the host veth of the node's last pod: its OVS Interface goes into error
#              ("No such device", ofport -1); fix re-creates the veth and re-adds the port

cmd_fault() {
  local action=$1 fault=${2:-} node=${3:-} peer="" dst=""
  shift 3 || die "$action FAULT NODE"
  while (($#)); do
    case $1 in
      --peer) peer=$2; shift 2 ;;
      --dst) dst=$2; shift 2 ;;
      *) die "$action: unknown option $1" ;;
    esac
  done
  [[ $node =~ ^node([0-9])$ ]] && ((${BASH_REMATCH[1]} >= 1 && ${BASH_REMATCH[1]} <= NODES)) ||
    die "$action: unknown node '$node'"
  local i=${node#node}
  case $fault in
    mtu) fault_mtu "$action" "$i" ;;
    ip-forward) fault_ipfwd "$action" "$i" ;;
    ip6-forward) fault_ip6fwd "$action" "$i" ;;
    tunnel) fault_tunnel "$action" "$i" "$peer" ;;
    interface) fault_interface "$action" "$i" ;;
    *) if kernel_fault_known "$fault"; then
        kernel_fault "$action" "$fault" "$i" "$dst"
      elif kernel6_fault_known "$fault"; then
        kernel6_fault "$action" "$fault" "$i" "$dst"
      elif live_fault_known "$fault"; then
        live_fault "$action" "$fault" "$i"
      else
        check_fault "$action" "$fault" "$i" ||
          die "unknown fault '$fault' (mtu | ip-forward | tunnel | interface | ip6-forward | fw-drop | fw-reject | route | fw6-drop | fw6-reject | route6 | eth0-down | conntrack-full | lb-removed | stale-backend | dns-garbage | leftover-veth | pod-iface-gone | port-off-bridge | nodeport-removed | nic-down | underlay-mtu | pod-eth0-mtu | underlay-drop | underlay-flaky | nft-drop)"
      fi ;;
  esac
  if [[ $action == break ]]; then
    grep -q "^$fault	$node	" "$DIR/faults.tsv" || printf '%s\t%s\t%s\n' "$fault" "$node" "${FAULT_DETAIL:-}" >>"$DIR/faults.tsv"
  else
    grep -v "^$fault	$node	" "$DIR/faults.tsv" >"$DIR/faults.tsv.tmp" || true
    mv "$DIR/faults.tsv.tmp" "$DIR/faults.tsv"
  fi
  echo "$action $fault $node: done${FAULT_DETAIL:+ ($FAULT_DETAIL)}"
}

fault_mtu() {
  local action=$1 i=$2 j pod mtu
  [[ $action == break ]] && mtu=1500 || mtu=$POD_MTU
  for ((j = 1; j <= PODS_PER_NODE; j++)); do
    pod=$(pod_name "$i" "$j")
    ip -n "$(node_ns "$i")" link set "$(pod_hostif "$pod")" mtu "$mtu"
    ip -n "$(pod_ns "$pod")" link set eth0 mtu "$mtu"
  done
  FAULT_DETAIL="pod mtu $mtu"
}

fault_ipfwd() {
  local action=$1 i=$2 v got
  [[ $action == break ]] && v=0 || v=1
  nsx "$(node_ns "$i")" sysctl -q -w "net.ipv4.ip_forward=$v" >/dev/null
  got=$(nsx "$(node_ns "$i")" cat /proc/sys/net/ipv4/ip_forward)
  [[ $got == "$v" ]] || die "ip_forward is $got after writing $v"
  FAULT_DETAIL="ip_forward=$v"
}

# ip6-forward (--ip-family ipv6|dual): net.ipv6.conf.all.forwarding=0; pods' IPv6 egress stops
fault_ip6fwd() {
  local action=$1 i=$2 v
  has_v6 || die "ip6-forward: an IPv4 sandbox has no IPv6 forwarding (up --ip-family ipv6|dual)"
  [[ $action == break ]] && v=0 || v=1
  nsx "$(node_ns "$i")" sysctl -q -w "net.ipv6.conf.all.forwarding=$v" >/dev/null
  FAULT_DETAIL="net.ipv6.conf.all.forwarding=$v"
}

tunnel_port_to() { # node peer-ip -> name of the geneve port to it (empty if none)
  vsctl "$1" --data=bare --no-headings --columns=name find interface type=geneve \
    "options:remote_ip=\"$2\"" 2>/dev/null || true
}

wait_tunnel() { # node peer-ip present|absent
  local deadline=$((SECONDS + 15)) have
  while ((SECONDS < deadline)); do
    have=$(tunnel_port_to "$1" "$2")
    if [[ $3 == present && -n $have ]] || [[ $3 == absent && -z $have ]]; then return 0; fi
    sleep 0.1
  done
  die "tunnel on node$1 to $2 still not $3"
}

# Until node I's first pod pings node P's first pod in each family (at most 10 s; a warning, not
# an error, as a NetworkPolicy may stand in the way): a re-added tunnel port carries packets only
# once the datapath has it and the flows cached while it was gone are revalidated, which took
# longer than the next test's first packet on a loaded machine.
wait_pods_reach() { # node peer
  local deadline=$((SECONDS + 10)) ns dst
  ns=$(pod_ns "$(pod_name "$1" 1)")
  for dst in $(has_v4 && pod_ip "$2" 1) $(has_v6 && pod_ip6 "$2" 1); do
    until nsx "$ns" ping -c1 -W1 -q "$dst" >/dev/null 2>&1; do
      ((SECONDS < deadline)) || { log "warning: node$1's pod still cannot reach $dst"; return 0; }
      sleep 0.2
    done
  done
}

fault_tunnel() {
  local action=$1 i=$2 peer=$3 p k
  if [[ $action == fix ]]; then
    peer=$(awk -F'\t' -v n="node$i" '$1=="tunnel" && $2==n {sub(/^peer /, "", $3); print $3}' "$DIR/faults.tsv")
    [[ -n $peer ]] || { FAULT_DETAIL="not broken"; return 0; }
  fi
  [[ -n $peer ]] || peer="node$((i % NODES + 1))"
  [[ $peer =~ ^node([0-9])$ ]] && ((${BASH_REMATCH[1]} <= NODES)) && [[ $peer != "node$i" ]] ||
    die "tunnel: bad peer '$peer'"
  p=${peer#node}
  if mode_has fault_tunnel; then
    "$(mode_fn fault_tunnel)" "$action" "$i" "$p"
    FAULT_DETAIL="peer $peer"
    return 0
  fi
  if ovn_based; then
    local zt
    for ((k = 1; k <= NODES; k++)); do
      if [[ $action == fix ]]; then
        vsctl "$k" remove open_vswitch . external_ids ovn-transport-zones
        continue
      fi
      if ((k == i)); then zt="$P-a"; elif ((k == p)); then zt="$P-b"; else zt="$P-a,$P-b"; fi
      vsctl "$k" set open_vswitch . external_ids:ovn-transport-zones="\"$zt\""
    done
  else
    local port="gnv-node$p"
    if [[ $action == break ]]; then
      vsctl "$i" -- --if-exists del-port br-int "$port"
    else
      vsctl "$i" -- --may-exist add-port br-int "$port" -- set interface "$port" type=geneve \
        options:remote_ip="$(node_encap "$p")" options:key=flow ofport_request="$((10 + p))"
      ovs_flows "$i"
      wait_pods_reach "$i" "$p"
    fi
  fi
  if [[ $action == break ]]; then
    wait_tunnel "$i" "$(node_encap "$p")" absent
  else
    wait_tunnel "$i" "$(node_encap "$p")" present
    if ovn_based; then wait_tunnel "$p" "$(node_encap "$i")" present; fi
    if ovn_based; then nbctl --wait=hv sync; fi
  fi
  FAULT_DETAIL="peer $peer"
}

fault_interface() {
  local action=$1 i=$2 j=$PODS_PER_NODE pod hif ns pns
  pod=$(pod_name "$i" "$j")
  hif=$(pod_hostif "$pod")
  ns=$(node_ns "$i")
  pns=$(pod_ns "$pod")
  local pip mac args=()
  pip=$(pod_ip "$i" "$j")
  mac=$(ip_mac "$pip")
  local bridge=br-int
  if mode_has pod_port_args; then
    mapfile -t args < <("$(mode_fn pod_port_args)" "$i" "$j" "$pod" "$hif" "$pip" "$mac")
    bridge=${args[2]}
  else
    args=(-- add-port br-int "$hif" -- set interface "$hif"
      "external_ids:iface-id=${POD_NAMESPACE}_$pod" "external_ids:attached_mac=\"$mac\""
      "external_ids:ip_addresses=\"$pip/24\""
      "external_ids:sandbox=$(printf '%s' "$POD_NAMESPACE/$pod" | sha1sum | cut -c1-40)")
    if [[ $MODE == ovs ]]; then args+=("ofport_request=$((100 + j))"); fi
  fi
  if [[ $action == break ]]; then
    ip -n "$ns" link del "$hif" 2>/dev/null || true
    # ovs-vswitchd only notices a vanished netdev when it re-opens the port (as after a restart):
    # re-add the port so the Interface row shows the error and ofport -1.
    vsctl "$i" -- --if-exists del-port "$bridge" "$hif"
    vsctl "$i" "${args[@]}" 2>/dev/null || true
    local deadline=$((SECONDS + 10))
    while ((SECONDS < deadline)); do
      [[ -n $(vsctl "$i" --data=bare --no-headings get interface "$hif" error 2>/dev/null) ]] && break
      sleep 0.1
    done
  else
    if ! ip -n "$ns" link show "$hif" >/dev/null 2>&1; then
      ip -n "$ns" link add "$hif" mtu "$POD_MTU" type veth peer name eth0 mtu "$POD_MTU" netns "$pns"
      pod_link_config "$i" "$j"
    fi
    # two transactions: ovs-vswitchd must close the stale netdev before opening the new one
    vsctl "$i" -- --if-exists del-port "$bridge" "$hif"
    vsctl "$i" "${args[@]}"
    if mode_has node_flows; then
      "$(mode_fn node_flows)" "$i"
    elif ovn_based; then
      # ovn-controller marks the OVS interface once the port's flows are installed
      vsctl "$i" wait-until interface "$hif" external_ids:ovn-installed=true
      local lsp="${POD_NAMESPACE}_$pod"
      if mode_has lsp; then lsp=$("$(mode_fn lsp)" "$pod"); fi
      nbctl wait-until logical_switch_port "$lsp" up=true
    else
      ovs_flows "$i"
    fi
  fi
  FAULT_DETAIL="pod $(pod_k8s_ns "$pod")/$pod interface $hif"
}
