# shellcheck shell=bash
# Underlay, nodes (OVS in a netns), pods, the external host and the root host-only link.

fabric_up() {
  mk_netns "$FABRIC_NS"
  ip -n "$FABRIC_NS" link add br0 type bridge
  ip -n "$FABRIC_NS" link set br0 mtu "$UNDERLAY_MTU" up
  # host-only link: lets tests and the aggregator in the root netns reach node IPs, nothing else.
  record links "$HOST_LINK"
  ip link add "$HOST_LINK" mtu "$UNDERLAY_MTU" type veth peer name host mtu "$UNDERLAY_MTU" netns "$FABRIC_NS"
  ip -n "$FABRIC_NS" link set host master br0 up
  ip addr add "$HOST_IP/24" dev "$HOST_LINK"
  ip link set "$HOST_LINK" up
  ethtool -K "$HOST_LINK" tx off >/dev/null
  txoff "$FABRIC_NS" host
}

fabric_attach() { # netns fabric-port-name ip: a veth from the fabric bridge to eth0 in netns
  local ns=$1 port=$2 addr=$3
  ip -n "$FABRIC_NS" link add "$port" mtu "$UNDERLAY_MTU" type veth peer name eth0 mtu "$UNDERLAY_MTU" netns "$ns"
  ip -n "$FABRIC_NS" link set "$port" master br0 up
  txoff "$FABRIC_NS" "$port"
  ip -n "$ns" link set eth0 up
  txoff "$ns" eth0
  if [[ -n $addr ]]; then ip -n "$ns" addr add "$addr/24" dev eth0; fi
}

ext_up() {
  mk_netns "$EXT_NS"
  fabric_attach "$EXT_NS" ext "$EXT_IP"
  if has_v6; then
    v6_on "$EXT_NS" eth0
    ip -n "$EXT_NS" addr add "$EXT_IP6/64" dev eth0 nodad
  fi
  start_responder "$EXT_NS" external external "$DIR/ext"
}

start_responder() { # netns namespace name dir
  mkdir -p "$4"
  rm -f "$4/responder.pid"
  record pidfiles "$4/responder.pid"
  # DNS answers in the sandbox's first family, as for a single-stack kubernetes Service
  local api=4
  has_v4 || api=6
  setsid ip netns exec "$1" "$PY" "$HACK/lib/responder.py" --name "$2/$3" --pidfile "$4/responder.pid" \
    --api-family "$api" </dev/null >>"$4/responder.log" 2>&1 &
}

# Node i: netns, underlay NIC on a netdev br-phy (breth0 in shared gateway mode) carrying the node IP, ovsdb-server, ovs-vswitchd,
# br-int, sysctls of a Kubernetes node.
node_up() {
  local i=$1 ns d ip ub
  ns=$(node_ns "$i")
  d=$(node_dir "$i")
  ip=$(node_ip "$i")
  ub=$(uplink_bridge)
  mkdir -p "$d/run" "$d/log" "$d/etc" "$d/ovn"
  mk_netns "$ns"
  # what kubelet + a CNI expect on a node; rp_filter loose as OVN-K sets it for the management port
  nsx "$ns" sysctl -q -w net.ipv4.ip_forward=1 net.ipv4.conf.all.forwarding=1 \
    net.ipv4.conf.all.rp_filter=2 net.ipv4.conf.default.rp_filter=2 \
    net.ipv4.conf.all.route_localnet=1 net.ipv4.ping_group_range="0 2147483647" >/dev/null
  fabric_attach "$ns" "n$i" ""
  nsx "$ns" sysctl -q -w net.ipv4.conf.eth0.arp_ignore=8 >/dev/null

  ovsdb-tool create "$d/etc/conf.db" /usr/share/openvswitch/vswitch.ovsschema
  record pidfiles "$d/run/ovsdb-server.pid"
  nsx "$ns" env OVS_RUNDIR="$d/run" OVS_LOGDIR="$d/log" OVS_DBDIR="$d/etc" OVS_SYSCONFDIR="$d/etc" \
    ovsdb-server "$d/etc/conf.db" --remote="punix:$d/run/db.sock" --pidfile="$d/run/ovsdb-server.pid" \
    --unixctl="$d/run/ovsdb-server.ctl" --detach --no-chdir -vconsole:off --log-file="$d/log/ovsdb-server.log"
  vsctl "$i" --no-wait init
  record pidfiles "$d/run/ovs-vswitchd.pid"
  nsx "$ns" env OVS_RUNDIR="$d/run" OVS_LOGDIR="$d/log" OVS_DBDIR="$d/etc" OVS_SYSCONFDIR="$d/etc" \
    ovs-vswitchd "unix:$d/run/db.sock" --pidfile="$d/run/ovs-vswitchd.pid" --detach --no-chdir -vconsole:off \
    --log-file="$d/log/ovs-vswitchd.log"
  vsctl "$i" -- add-br "$ub" -- set bridge "$ub" datapath_type=netdev \
    other_config:hwaddr="\"$(ip_mac "$ip")\"" -- add-port "$ub" eth0 \
    -- set interface "$ub" mtu_request="$UNDERLAY_MTU"
  ip -n "$ns" addr add "$ip/24" dev "$ub"
  ip -n "$ns" link set "$ub" up
  txoff "$ns" "$ub"
  if has_v6 || underlay_v6; then
    v6_on "$ns" "$ub"
    nsx "$ns" sysctl -q -w net.ipv6.conf.all.forwarding=1 >/dev/null
    ip -n "$ns" addr add "$(node_ip6 "$i")/64" dev "$ub" nodad
  fi
  # the CNI modes (sb-sdn.sh, ...) build their own bridges and egress NAT
  mode_has node_layout && return 0
  vsctl "$i" -- add-br br-int -- set bridge br-int datapath_type=netdev fail_mode=secure \
    other_config:disable-in-band=true
  # shared gateway: GR SNATs pod egress, the kernel never forwards it
  shared_gw && return 0
  # kube-proxy / OVN-K masquerade pod traffic leaving the cluster network to the node IP
  nsx "$ns" iptables -t nat -A POSTROUTING -s 10.244.0.0/16 ! -d 10.244.0.0/16 -o br-phy -j MASQUERADE
  if has_v6; then
    nsx "$ns" ip6tables -t nat -A POSTROUTING -s fd00:10:244::/48 ! -d fd00:10:244::/48 -o br-phy -j MASQUERADE
  fi
}

# Pods of node i: netns with eth0 (veth), host end added to br-int, iface-id <ns>_<pod>.
pods_up() {
  local i=$1 j ns pod pns hif pip mac ips args=()
  ns=$(node_ns "$i")
  for ((j = 1; j <= PODS_PER_NODE; j++)); do
    pod=$(pod_name "$i" "$j")
    pns=$(pod_ns "$pod")
    hif=$(pod_hostif "$pod")
    mapfile -t ips < <(pod_ips "$i" "$j")
    pip=${ips[0]}
    mac=$(ip_mac "$(pod_ip "$i" "$j")")
    mk_netns "$pns"
    ip -n "$ns" link add "$hif" mtu "$POD_MTU" type veth peer name eth0 mtu "$POD_MTU" netns "$pns"
    pod_link_config "$i" "$j"
    if mode_has pod_port_args; then
      # a CNI mode attaches the pod its own way (bridge, external_ids)
      mapfile -t -O "${#args[@]}" args < <("$(mode_fn pod_port_args)" "$i" "$j" "$pod" "$hif" "$pip" "$mac")
    else
      args+=(-- add-port br-int "$hif" -- set interface "$hif" "external_ids:iface-id=${POD_NAMESPACE}_$pod"
        "external_ids:attached_mac=\"$mac\"" "external_ids:ip_addresses=\"$(pod_cidrs "$i" "$j")\""
        "external_ids:sandbox=$(printf '%s' "$POD_NAMESPACE/$pod" | sha1sum | cut -c1-40)")
      if [[ $MODE == ovs ]]; then args+=("ofport_request=$((100 + j))"); fi
    fi
    # column 8 (dual stack only): the pod's address of the second family
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s%s\n' "$(pod_k8s_ns "$pod")" "$pod" "node$i" "$pip" "$mac" "$pns" "$hif" \
      "${ips[1]:+$'\t'${ips[1]}}" >>"$DIR/pods.tsv"
  done
  vsctl "$i" "${args[@]}"
}

pod_link_config() { # node pod-index: addresses, routes and offloads of an existing veth pair
  local i=$1 j=$2 ns pod pns hif pip plen=24 pgw=10.244.$1.1
  # a CNI mode with one subnet for the cluster (kube-ovn) gives its own prefix and gateway
  if mode_has pod_net; then read -r plen pgw < <("$(mode_fn pod_net)" "$i"); fi
  ns=$(node_ns "$i")
  pod=$(pod_name "$i" "$j")
  pns=$(pod_ns "$pod")
  hif=$(pod_hostif "$pod")
  pip=$(pod_ip "$i" "$j")
  ip -n "$pns" link set eth0 address "$(ip_mac "$pip")" up
  if has_v4; then
    ip -n "$pns" addr add "$pip/$plen" dev eth0
    ip -n "$pns" route add default via "$pgw"
  fi
  if has_v6; then
    local plen6=64 pgw6
    pgw6=$(rtr_ip6 "$i")
    if mode_has pod_net6; then read -r plen6 pgw6 < <("$(mode_fn pod_net6)" "$i"); fi
    v6_on "$pns" eth0
    ip -n "$pns" addr add "$(pod_ip6 "$i" "$j")/$plen6" dev eth0 nodad
    ip -n "$pns" -6 route add default via "$pgw6" dev eth0
  fi
  if mode_has pod_routes; then "$(mode_fn pod_routes)" "$pns" "$i"; fi
  ip -n "$ns" link set "$hif" up
  txoff "$pns" eth0
  txoff "$ns" "$hif"
}

pod_cidrs() { # node pod-index: OVN-K's ip_addresses (CIDRs, comma-separated, first family first)
  local c=()
  if has_v4; then c+=("$(pod_ip "$1" "$2")/24"); fi
  if has_v6; then c+=("$(pod_ip6 "$1" "$2")/64"); fi
  local IFS=,
  echo "${c[*]}"
}

pod_responders_up() {
  local i j pod
  for ((i = 1; i <= NODES; i++)); do
    for ((j = 1; j <= PODS_PER_NODE; j++)); do
      pod=$(pod_name "$i" "$j")
      start_responder "$(pod_ns "$pod")" "$(pod_k8s_ns "$pod")" "$pod" "$DIR/pods/$pod"
    done
  done
}

wait_responders() {
  local pf
  while read -r pf; do
    case $pf in */responder.pid) wait_file "$pf" 10 || die "responder not ready: $pf" ;; esac
  done <"$DIR/pidfiles.list"
}

# The first overlay packet to a peer is lost while OVS resolves its neighbour: resolve them now.
pin_neighbours() {
  local i j pids=()
  for ((i = 1; i <= NODES; i++)); do
    for ((j = 1; j <= NODES; j++)); do
      ((i == j)) && continue
      nsx "$(node_ns "$i")" ping -c1 -W1 -q "$(node_ip "$j")" >/dev/null 2>&1 &
      pids+=($!)
    done
    nsx "$(node_ns "$i")" ping -c1 -W1 -q "$EXT_IP" >/dev/null 2>&1 &
    pids+=($!)
    if underlay_v6; then
      for ((j = 1; j <= NODES; j++)); do
        ((i == j)) && continue
        nsx "$(node_ns "$i")" ping -6 -c1 -W1 -q "$(node_ip6 "$j")" >/dev/null 2>&1 &
        pids+=($!)
      done
    fi
  done
  for j in "${pids[@]}"; do wait "$j" || log "warning: underlay ping failed (pid $j)"; done
}
