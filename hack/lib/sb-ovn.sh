# shellcheck shell=bash
# OVN mode: central NB/SB + northd, ovn-controller per node, OVN-Kubernetes-style logical topology.

central_up() {
  mkdir -p "$CDIR"
  mk_netns "$CENTRAL_NS"
  fabric_attach "$CENTRAL_NS" central "$CENTRAL_IP"
  local db port
  for db in nb sb; do
    [[ $db == nb ]] && port=6641 || port=6642
    ovsdb-tool create "$CDIR/ovn${db}_db.db" "/usr/share/ovn/ovn-$db.ovsschema"
    record pidfiles "$CDIR/ovn${db}_db.pid"
    nsx "$CENTRAL_NS" ovsdb-server "$CDIR/ovn${db}_db.db" --remote="punix:$CDIR/ovn${db}_db.sock" \
      --remote="ptcp:$port:$CENTRAL_IP" --pidfile="$CDIR/ovn${db}_db.pid" \
      --unixctl="$CDIR/ovn${db}_db.ctl" --detach --no-chdir -vconsole:off --log-file="$CDIR/ovsdb-server-$db.log"
  done
  record pidfiles "$CDIR/ovn-northd.pid"
  nsx "$CENTRAL_NS" env OVN_RUNDIR="$CDIR" ovn-northd --ovnnb-db="unix:$CDIR/ovnnb_db.sock" \
    --ovnsb-db="unix:$CDIR/ovnsb_db.sock" --pidfile="$CDIR/ovn-northd.pid" --unixctl="$CDIR/ovn-northd.ctl" \
    --detach --no-chdir -vconsole:off --log-file="$CDIR/ovn-northd.log"
}

# Chassis settings + ovn-controller + management port (ovn-k8s-mp0, LSP k8s-<node>).
ovn_node_up() {
  local i=$1 ns d ip mp
  ns=$(node_ns "$i")
  d=$(node_dir "$i")
  ip=$(node_ip "$i")
  mp="10.244.$i.2"
  # the Geneve endpoint: the node's IPv4 underlay address, or its IPv6 one (--underlay ipv6)
  local encap=$ip
  if underlay_v6; then encap=$(node_ip6 "$i"); fi
  vsctl "$i" set open_vswitch . external_ids:system-id="node$i" external_ids:hostname="node$i" \
    external_ids:ovn-remote="tcp:$CENTRAL_IP:6642" external_ids:ovn-encap-type=geneve \
    external_ids:ovn-encap-ip="$encap" external_ids:ovn-bridge-datapath-type=netdev \
    external_ids:ovn-remote-probe-interval=10000 \
    -- add-port br-int ovn-k8s-mp0 -- set interface ovn-k8s-mp0 type=internal \
    mtu_request="$POD_MTU" external_ids:iface-id="k8s-node$i"
  ip -n "$ns" link set ovn-k8s-mp0 address "$(ip_mac "$mp")" up
  if has_v4; then
    ip -n "$ns" addr add "$mp/24" dev ovn-k8s-mp0
    ip -n "$ns" route add 10.244.0.0/16 via "10.244.$i.1" dev ovn-k8s-mp0
    ip -n "$ns" route add 10.96.0.0/16 via "10.244.$i.1" dev ovn-k8s-mp0
  fi
  if has_v6; then
    v6_on "$ns" ovn-k8s-mp0
    ip -n "$ns" addr add "$(mgmt_ip6 "$i")/64" dev ovn-k8s-mp0 nodad
    ip -n "$ns" -6 route add fd00:10:244::/48 via "$(rtr_ip6 "$i")" dev ovn-k8s-mp0
    ip -n "$ns" -6 route add fd00:10:96::/112 via "$(rtr_ip6 "$i")" dev ovn-k8s-mp0
  fi
  txoff "$ns" ovn-k8s-mp0
  if shared_gw; then sgw_node_settings "$i"; fi
  record pidfiles "$d/ovn/ovn-controller.pid"
  nsx "$ns" env OVS_RUNDIR="$d/run" OVN_RUNDIR="$d/ovn" OVS_LOGDIR="$d/log" \
    ovn-controller "unix:$d/run/db.sock" --pidfile="$d/ovn/ovn-controller.pid" --detach --no-chdir -vconsole:off \
    --log-file="$d/log/ovn-controller.log"
}

# One nbctl transaction: cluster router, a switch per node, management and pod ports, the Service
# load balancers on every node switch, the per-node "allow from management port" ACL, cluster port group.
ovn_nb_config() {
  local i j k lb pod pip mac ips a=() webs_tcp=() webs_udp=() webs6_tcp=() webs6_udp=() pods=() rtr mgmt
  local mp_ips=()
  a+=(-- lr-add ovn_cluster_router -- set logical_router ovn_cluster_router
    external_ids:k8s-cluster-router=yes external_ids:k8s-ovn-topo-version=11)
  for ((i = 1; i <= NODES; i++)); do
    rtr=() mgmt=() mp_ips=()
    if has_v4; then rtr+=("10.244.$i.1/24"); mgmt+=("10.244.$i.2"); fi
    if has_v6; then rtr+=("$(rtr_ip6 "$i")/64"); mgmt+=("$(mgmt_ip6 "$i")"); fi
    a+=(-- lrp-add ovn_cluster_router "rtos-node$i" "$(ip_mac "10.244.$i.1")" "${rtr[@]}"
      -- ls-add "node$i")
    if has_v4; then
      a+=(-- set logical_switch "node$i" other_config:subnet="10.244.$i.0/24" other_config:exclude_ips="10.244.$i.2")
      # local gateway: pod egress to the management port; shared: to GR (sgw_nb_args)
      shared_gw || a+=(-- --policy=src-ip lr-route-add ovn_cluster_router "10.244.$i.0/24" "10.244.$i.2")
    fi
    if has_v6; then
      a+=(-- set logical_switch "node$i" other_config:ipv6_prefix="fd00:10:244:$i::"
        -- --policy=src-ip lr-route-add ovn_cluster_router "$(pod_subnet6 "$i")" "$(mgmt_ip6 "$i")")
    fi
    a+=(-- lsp-add "node$i" "stor-node$i" -- lsp-set-type "stor-node$i" router
      -- lsp-set-addresses "stor-node$i" router -- lsp-set-options "stor-node$i" router-port="rtos-node$i"
      -- lsp-add "node$i" "k8s-node$i" -- lsp-set-addresses "k8s-node$i" "$(ip_mac "10.244.$i.2") ${mgmt[*]}")
    # one allow-related ACL per management address, as OVN-K writes them
    for k in "${mgmt[@]}"; do
      local fam=ip4
      [[ $k == *:* ]] && fam=ip6
      a+=(-- --id=@acl$i$fam create acl direction=to-lport priority=1001 match="\"$fam.src==$k\""
        action=allow-related
        "external_ids:\"k8s.ovn.org/owner-type\"=NetpolNode" "external_ids:\"k8s.ovn.org/name\"=node$i"
        "external_ids:\"k8s.ovn.org/owner-controller\"=default-network-controller"
        "external_ids:\"k8s.ovn.org/id\"=\"default-network-controller:NetpolNode:node$i:$k\""
        "external_ids:ip=\"$k\""
        -- add logical_switch "node$i" acls "@acl$i$fam")
    done
    for ((j = 1; j <= PODS_PER_NODE; j++)); do
      pod=$(pod_name "$i" "$j")
      pip=$(pod_ip "$i" "$j")
      mac=$(ip_mac "$pip")
      ips=$(pod_ips "$i" "$j" | tr '\n' ' ')
      a+=(-- lsp-add "node$i" "${POD_NAMESPACE}_$pod" -- lsp-set-addresses "${POD_NAMESPACE}_$pod" "$mac ${ips% }"
        -- lsp-set-port-security "${POD_NAMESPACE}_$pod" "$mac ${ips% }"
        -- set logical_switch_port "${POD_NAMESPACE}_$pod" external_ids:namespace="$POD_NAMESPACE"
        external_ids:pod=true)
      pods+=("${POD_NAMESPACE}_$pod")
      if ((j == 1)); then
        webs_tcp+=("$pip:80")
        webs_udp+=("$pip:53")
        webs6_tcp+=("[$(pod_ip6 "$i" "$j")]:80")
        webs6_udp+=("[$(pod_ip6 "$i" "$j")]:53")
      fi
    done
  done
  a+=(-- pg-add clusterPortGroup "${pods[@]}" -- set port_group clusterPortGroup external_ids:name=clusterPortGroup)
  local IFS=,
  local lbt="Service_${POD_NAMESPACE}/web_TCP_cluster" lbu="Service_${POD_NAMESPACE}/web_UDP_cluster"
  # a dual-stack Service: one load balancer per protocol holding both families' VIPs, as OVN-K does
  if has_v4; then
    a+=(-- lb-add "$lbt" "$SVC_IP:80" "${webs_tcp[*]}" tcp -- lb-add "$lbu" "$SVC_IP:53" "${webs_udp[*]}" udp)
  fi
  if has_v6 && has_v4; then
    a+=(-- set load_balancer "$lbt" "vips:\"[$SVC_IP6]:80\"=\"${webs6_tcp[*]}\""
      -- set load_balancer "$lbu" "vips:\"[$SVC_IP6]:53\"=\"${webs6_udp[*]}\"")
  elif has_v6; then
    a+=(-- lb-add "$lbt" "[$SVC_IP6]:80" "${webs6_tcp[*]}" tcp -- lb-add "$lbu" "[$SVC_IP6]:53" "${webs6_udp[*]}" udp)
  fi
  unset IFS
  for lb in "$lbt" "$lbu"; do
    a+=(-- set load_balancer "$lb" "external_ids:\"k8s.ovn.org/kind\"=Service"
      "external_ids:\"k8s.ovn.org/owner\"=\"${POD_NAMESPACE}/web\"" options:event=false
      options:reject=true options:skip_snat=false)
    for ((i = 1; i <= NODES; i++)); do a+=(-- ls-lb-add "node$i" "$lb"); done
  done
  if shared_gw; then mapfile -t -O "${#a[@]}" a < <(sgw_nb_args); fi
  nbctl "${a[@]}" >/dev/null
}

ovn_wait_ready() {
  local i j pod
  nbctl --wait=hv sync
  for ((i = 1; i <= NODES; i++)); do
    nbctl wait-until logical_switch_port "k8s-node$i" up=true
    for ((j = 1; j <= PODS_PER_NODE; j++)); do
      pod=$(pod_name "$i" "$j")
      nbctl wait-until logical_switch_port "${POD_NAMESPACE}_$pod" up=true
    done
  done
}
