# shellcheck shell=bash
# OVN mode, --gateway-mode shared: OVN-Kubernetes' default gateway layout. Per node a gateway router
# GR_<node> (bound to the node's chassis) joined to ovn_cluster_router by the `join` switch
# (100.64.0.0/16), an ext_<node> switch whose localnet port reaches the node's external bridge
# breth0 through ovn-bridge-mappings (physnet:breth0), the node IP on breth0's LOCAL port and on
# GR's rtoe port (one MAC), an SNAT of the cluster subnet to the node IP on GR, and breth0 flows
# that split the shared IP between GR and the host by conntrack (zone 64000, ct_mark 1 = GR,
# 2 = host). Pod -> outside leaves through GR and breth0 without the node kernel's FORWARD path.

SGW_BRIDGE=breth0
SGW_PHYSNET=physnet
SGW_CT_ZONE=64000

shared_gw() { [[ ${GATEWAY_MODE:-local} == shared ]]; }

uplink_bridge() { if shared_gw; then echo "$SGW_BRIDGE"; else echo br-phy; fi; }

gr_join_ip() { echo "100.64.0.$(($1 + 1))"; }

# ovn-controller creates the localnet patch port from this mapping
sgw_node_settings() { # node
  vsctl "$1" set open_vswitch . external_ids:ovn-bridge-mappings="$SGW_PHYSNET:$SGW_BRIDGE"
}

# nbctl arguments: join switch and cluster-router port (once), then GR, ext switch, SNAT per node;
# a /32 route to each GR's join address beats the pods' src-ip route, so replies to a NodePort
# connection GR SNATed to its join address (lb_force_snat_ip) go back to that GR
sgw_nb_args() {
  local i ip mac
  printf '%s\n' -- ls-add join -- lrp-add ovn_cluster_router rtoj-ovn_cluster_router 0a:58:64:40:00:01 100.64.0.1/16 \
    -- lsp-add join jtor-ovn_cluster_router -- lsp-set-type jtor-ovn_cluster_router router \
    -- lsp-set-addresses jtor-ovn_cluster_router router \
    -- lsp-set-options jtor-ovn_cluster_router router-port=rtoj-ovn_cluster_router
  for ((i = 1; i <= NODES; i++)); do
    ip=$(node_ip "$i")
    mac=$(ip_mac "$ip")
    printf '%s\n' -- lr-add "GR_node$i" -- set logical_router "GR_node$i" options:chassis="node$i" \
      options:lb_force_snat_ip=router_ip options:snat-ct-zone=0 options:dynamic_neigh_routers=true \
      options:always_learn_from_arp_request=false external_ids:physical_ip="$ip" \
      -- lrp-add "GR_node$i" "rtoj-GR_node$i" "$(ip_mac "$(gr_join_ip "$i")")" "$(gr_join_ip "$i")/16" \
      -- lsp-add join "jtor-GR_node$i" -- lsp-set-type "jtor-GR_node$i" router \
      -- lsp-set-addresses "jtor-GR_node$i" router -- lsp-set-options "jtor-GR_node$i" router-port="rtoj-GR_node$i" \
      -- ls-add "ext_node$i" -- lrp-add "GR_node$i" "rtoe-GR_node$i" "$mac" "$ip/24" \
      -- lsp-add "ext_node$i" "etor-GR_node$i" -- lsp-set-type "etor-GR_node$i" router \
      -- lsp-set-addresses "etor-GR_node$i" "$mac" -- lsp-set-options "etor-GR_node$i" router-port="rtoe-GR_node$i" \
      -- lsp-add "ext_node$i" "${SGW_BRIDGE}_node$i" -- lsp-set-type "${SGW_BRIDGE}_node$i" localnet \
      -- lsp-set-addresses "${SGW_BRIDGE}_node$i" unknown \
      -- lsp-set-options "${SGW_BRIDGE}_node$i" network_name="$SGW_PHYSNET" \
      -- lr-route-add "GR_node$i" 10.244.0.0/16 100.64.0.1 \
      -- lr-nat-add "GR_node$i" snat "$ip" 10.244.0.0/16 \
      -- --policy=src-ip lr-route-add ovn_cluster_router "10.244.$i.0/24" "$(gr_join_ip "$i")" \
      -- lr-route-add ovn_cluster_router "$(gr_join_ip "$i")/32" "$(gr_join_ip "$i")"
  done
}

# breth0's flows after ovn-controller made the patch port: what leaves GR or the host is committed
# to zone 64000 with its owner in ct_mark; what comes back follows that mark; NodePorts go to GR.
sgw_flows() { # node
  local i=$1 ip mac patch nic=eth0 f
  ip=$(node_ip "$i")
  mac=$(ip_mac "$ip")
  local deadline=$((SECONDS + 20))
  until patch=$(sgw_patch_port "$i"); do
    ((SECONDS < deadline)) || die "node$i: ovn-controller made no patch port on $SGW_BRIDGE"
    sleep 0.1
  done
  f=$(node_dir "$i")/breth0.flows
  cat >"$f" <<FLOWS
table=0,priority=100,in_port=$patch,ip,actions=ct(commit,zone=$SGW_CT_ZONE,exec(load:0x1->NXM_NX_CT_MARK[])),output:$nic
table=0,priority=100,in_port=LOCAL,ip,actions=ct(commit,zone=$SGW_CT_ZONE,exec(load:0x2->NXM_NX_CT_MARK[])),output:$nic
table=0,priority=50,in_port=$nic,ip,actions=ct(zone=$SGW_CT_ZONE,table=1)
table=0,priority=10,in_port=$nic,dl_dst=$mac,actions=output:$patch,output:LOCAL
table=0,priority=5,in_port=$patch,actions=output:$nic
table=0,priority=5,in_port=LOCAL,actions=output:$nic
table=0,priority=0,actions=NORMAL
table=1,priority=100,ct_state=+est+trk,ct_mark=0x1,ip,actions=output:$patch
table=1,priority=100,ct_state=+rel+trk,ct_mark=0x1,ip,actions=output:$patch
table=1,priority=100,ct_state=+est+trk,ct_mark=0x2,ip,actions=output:LOCAL
table=1,priority=100,ct_state=+rel+trk,ct_mark=0x2,ip,actions=output:LOCAL
table=1,priority=10,ip,nw_dst=$ip,actions=output:LOCAL
table=1,priority=0,actions=NORMAL
FLOWS
  sgw_ofctl "$i" -O OpenFlow13 replace-flows "$f"
  if nodeport_on; then sgw_nodeport_flows "$i" on; fi
  if ingress_on; then sgw_etp_flows "$i" on; fi # hack/lib/sb-sgw-etp.sh
}

sgw_ofctl() { # node command args...: ovs-ofctl on the node's breth0
  local d
  d=$(node_dir "$1")
  if [[ $2 == -O ]]; then
    ovs-ofctl -O "$3" "$4" "unix:$d/run/$SGW_BRIDGE.mgmt" "${@:5}"
  else
    ovs-ofctl "$2" "unix:$d/run/$SGW_BRIDGE.mgmt" "${@:3}"
  fi
}

sgw_patch_port() { # node: the OpenFlow port of the patch ovn-controller made for the localnet port
  local p n
  p=$(vsctl "$1" list-ports "$SGW_BRIDGE" | grep '^patch-' | head -1)
  [[ -n $p ]] || return 1
  # the name is longer than OpenFlow's 15 characters: flows use the number
  n=$(vsctl "$1" get interface "$p" ofport)
  [[ $n =~ ^[0-9]+$ && $n -gt 0 ]] && echo "$n"
}

# NodePorts bypass breth0's conntrack split: straight to GR and back, as OVN-K's per-port flows do
sgw_nodeport_flows() { # node on|off
  local i=$1 ip patch proto port
  ip=$(node_ip "$i")
  patch=$(sgw_patch_port "$i")
  for proto in tcp udp; do
    [[ $proto == tcp ]] && port=$NODEPORT_TCP || port=$NODEPORT_UDP
    if [[ $2 == on ]]; then
      sgw_ofctl "$i" add-flow "table=0,priority=110,in_port=eth0,$proto,nw_dst=$ip,tp_dst=$port,actions=output:$patch"
      sgw_ofctl "$i" add-flow "table=0,priority=110,in_port=$patch,$proto,nw_src=$ip,tp_src=$port,actions=output:eth0"
    else
      sgw_ofctl "$i" del-flows --strict "table=0,priority=110,in_port=eth0,$proto,nw_dst=$ip,tp_dst=$port"
      sgw_ofctl "$i" del-flows --strict "table=0,priority=110,in_port=$patch,$proto,nw_src=$ip,tp_src=$port"
    fi
  done
}

# The NodePort as OVN-K programs it in shared mode: a load balancer on GR for the node IP's port
sgw_nodeport() { # node on|off
  local i=$1 ip j eps_t=() eps_u=() a=() IFS
  ip=$(node_ip "$i")
  for ((j = 1; j <= NODES; j++)); do
    eps_t+=("$(pod_ip "$j" 1):80")
    eps_u+=("$(pod_ip "$j" 1):53")
  done
  local lbt="Service_${POD_NAMESPACE}/web_TCP_node_router_node$i" lbu="Service_${POD_NAMESPACE}/web_UDP_node_router_node$i"
  nbctl --if-exists lb-del "$lbt" -- --if-exists lb-del "$lbu" >/dev/null
  if [[ $2 == on ]]; then
    IFS=,
    a+=(-- lb-add "$lbt" "$ip:$NODEPORT_TCP" "${eps_t[*]}" tcp -- lb-add "$lbu" "$ip:$NODEPORT_UDP" "${eps_u[*]}" udp)
    unset IFS
    a+=(-- lr-lb-add "GR_node$i" "$lbt" -- lr-lb-add "GR_node$i" "$lbu")
    local lb
    for lb in "$lbt" "$lbu"; do
      a+=(-- set load_balancer "$lb" "external_ids:\"k8s.ovn.org/kind\"=Service"
        "external_ids:\"k8s.ovn.org/owner\"=\"${POD_NAMESPACE}/web\"" options:event=false options:reject=true
        options:skip_snat=false)
    done
    nbctl "${a[@]}" >/dev/null
  fi
  # breth0 sends the port to GR only once GR's chassis has the load balancer
  nbctl --wait=hv sync
  sgw_nodeport_flows "$i" "$2"
  if [[ $2 == on ]]; then sgw_learn_ext "$i"; fi
}

# GR forwards a NodePort's first packets only once it knows the MACs around it: without them it
# drops the packet for an ARP of its own (the controller action of lr_in_arp_request) and the
# client's retransmit comes seconds later. A first real client teaches it both: ext's ARP for the
# node IP (GR's own address) gives ext's MAC, its SYN makes GR resolve ovn_cluster_router's join
# address, the next hop to every pod. Wait until the chassis has both MAC bindings.
sgw_learn_ext() { # node
  local i=$1 ip deadline=$((SECONDS + 20))
  ip=$(node_ip "$i")
  until [[ -n $(sbctl --bare --columns=mac find mac_binding logical_port="rtoe-GR_node$i" ip="$EXT_IP") &&
    -n $(sbctl --bare --columns=mac find mac_binding logical_port="rtoj-GR_node$i" ip=100.64.0.1) ]]; do
    ((SECONDS < deadline)) || die "node$i: GR_node$i learnt no MAC for $EXT_IP or 100.64.0.1"
    ip -n "$EXT_NS" neigh del "$ip" dev eth0 2>/dev/null || true
    ip netns exec "$EXT_NS" timeout 1 bash -c "exec 3<>/dev/tcp/$ip/$NODEPORT_TCP" 2>/dev/null || true
    sleep 0.1
  done
  nbctl --wait=hv sync
}
