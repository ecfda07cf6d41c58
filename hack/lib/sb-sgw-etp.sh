# shellcheck shell=bash
# OVN mode, --gateway-mode shared, `hack/sandbox ingress on`: svc default/web-local
# (externalTrafficPolicy Local, NodePort tcp 30081, ClusterIP 10.96.0.11, endpoint web-1 on node1)
# the way OVN-Kubernetes' services controller programs such a Service on the gateway routers:
#   a node with a local endpoint  Service_default/web-local_TCP_node_local_router_<node> on GR_<node>:
#                                 <node IP>:30081 -> its own endpoints only, options:skip_snat=true
#                                 (overrides GR's lb_force_snat_ip: the pod sees the client's address)
#   a node without one            Service_default/web-local_TCP_node_router_<node> on GR_<node>:
#                                 <node IP>:30081 -> no backend; options:reject=true makes OVN answer
#                                 a TCP RST (ICMP port unreachable for UDP) instead of forwarding
#   every node switch             Service_default/web-local_TCP_cluster: 10.96.0.11:80 -> web-1
# breth0 sends the NodePort to GR by the patch port and back, as for default/web's NodePorts.

SGW_ETP_LB_PREFIX="Service_${POD_NAMESPACE}/web-local_TCP"

# which node holds web-local's endpoint (web-1 lives on node1)
sgw_etp_local_node() { echo 1; }

sgw_etp_lbs() { # on|off: the NB rows (one transaction), then breth0's flows and GR's MACs
  local i ip a=() lb=()
  a+=(-- --if-exists lb-del "${SGW_ETP_LB_PREFIX}_cluster")
  for ((i = 1; i <= NODES; i++)); do
    a+=(-- --if-exists lb-del "${SGW_ETP_LB_PREFIX}_node_local_router_node$i"
      -- --if-exists lb-del "${SGW_ETP_LB_PREFIX}_node_router_node$i")
  done
  nbctl "${a[@]}" >/dev/null
  if [[ $1 == on ]]; then
    a=(-- --id=@c create load_balancer "name=\"${SGW_ETP_LB_PREFIX}_cluster\"" protocol=tcp
      "vips:\"$INGRESS_LOCAL_SVC_IP:80\"=\"$(ingress_local_endpoint):80\""
      "external_ids:\"k8s.ovn.org/kind\"=Service" "external_ids:\"k8s.ovn.org/owner\"=\"${POD_NAMESPACE}/web-local\""
      options:event=false options:reject=true options:skip_snat=false)
    for ((i = 1; i <= NODES; i++)); do a+=(-- add logical_switch "node$i" load_balancer @c); done
    for ((i = 1; i <= NODES; i++)); do
      ip=$(node_ip "$i")
      if ((i == $(sgw_etp_local_node))); then
        lb=("name=\"${SGW_ETP_LB_PREFIX}_node_local_router_node$i\"" "vips:\"$ip:$INGRESS_LOCAL_NODEPORT\"=\"$(ingress_local_endpoint):80\"" options:skip_snat=true)
      else
        lb=("name=\"${SGW_ETP_LB_PREFIX}_node_router_node$i\"" "vips:\"$ip:$INGRESS_LOCAL_NODEPORT\"=\"\"" options:skip_snat=false)
      fi
      a+=(-- "--id=@r$i" create load_balancer protocol=tcp "${lb[@]}" "external_ids:\"k8s.ovn.org/kind\"=Service"
        "external_ids:\"k8s.ovn.org/owner\"=\"${POD_NAMESPACE}/web-local\"" options:event=false options:reject=true
        -- add logical_router "GR_node$i" load_balancer "@r$i")
    done
    nbctl "${a[@]}" >/dev/null
  fi
  # breth0 sends the port to GR only once GR's chassis has the load balancer
  nbctl --wait=hv sync
  for ((i = 1; i <= NODES; i++)); do
    sgw_etp_flows "$i" "$1"
    if [[ $1 == on ]]; then sgw_etp_learn "$i"; fi
  done
}

sgw_etp_flows() { # node on|off: the NodePort straight to GR and back, bypassing breth0's conntrack split
  local i=$1 ip patch
  ip=$(node_ip "$i")
  patch=$(sgw_patch_port "$i")
  if [[ $2 == on ]]; then
    sgw_ofctl "$i" add-flow "table=0,priority=110,in_port=eth0,tcp,nw_dst=$ip,tp_dst=$INGRESS_LOCAL_NODEPORT,actions=output:$patch"
    sgw_ofctl "$i" add-flow "table=0,priority=110,in_port=$patch,tcp,nw_src=$ip,tp_src=$INGRESS_LOCAL_NODEPORT,actions=output:eth0"
  else
    sgw_ofctl "$i" del-flows --strict "table=0,priority=110,in_port=eth0,tcp,nw_dst=$ip,tp_dst=$INGRESS_LOCAL_NODEPORT"
    sgw_ofctl "$i" del-flows --strict "table=0,priority=110,in_port=$patch,tcp,nw_src=$ip,tp_src=$INGRESS_LOCAL_NODEPORT"
  fi
}

# As sgw_learn_ext: GR drops a first packet for an ARP of its own, so wait until it knows ext's MAC
# (ext's ARP for the node IP) and, where the NodePort has an endpoint, ovn_cluster_router's join
# address (resolved for the first SYN it forwards). A node without an endpoint answers by a RST
# to ext and needs only ext's MAC.
sgw_etp_learn() { # node
  local i=$1 ip deadline=$((SECONDS + 20))
  ip=$(node_ip "$i")
  until [[ -n $(sbctl --bare --columns=mac find mac_binding logical_port="rtoe-GR_node$i" ip="$EXT_IP") ]] &&
    { ((i != $(sgw_etp_local_node))) ||
      [[ -n $(sbctl --bare --columns=mac find mac_binding logical_port="rtoj-GR_node$i" ip=100.64.0.1) ]]; }; do
    ((SECONDS < deadline)) || die "node$i: GR_node$i learnt no MAC for $EXT_IP or 100.64.0.1"
    ip -n "$EXT_NS" neigh del "$ip" dev eth0 2>/dev/null || true
    ip netns exec "$EXT_NS" timeout 1 bash -c "exec 3<>/dev/tcp/$ip/$INGRESS_LOCAL_NODEPORT" 2>/dev/null || true
    sleep 0.1
  done
  nbctl --wait=hv sync
}
