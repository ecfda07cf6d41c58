# shellcheck shell=bash
# `hack/sandbox ingress on|off`: ways into Services from outside besides the NodePorts.
#   svc default/web   ExternalIP $SUB.100 and load balancer ingress $SUB.101 (tcp 80). No node holds
#                     either address: every node's service proxy answers them, and the outside
#                     network's routing picks the node (`probe ext ... --via nodeI`).
#   svc default/web-local (ovs mode; ovn --gateway-mode shared: hack/lib/sb-sgw-etp.sh)  externalTrafficPolicy Local, endpoint web-1 (node1) only,
#                     ClusterIP 10.96.0.11, NodePort tcp 30081: node1 DNATs to web-1 keeping the
#                     client's address; every other node drops it (no local endpoint).
# Programmed as each mode's proxy does it:
#   ovn  OVN-Kubernetes local gateway: nat PREROUTING -> OVN-KUBE-EXTERNALIP, DNAT to the cluster IP
#        (routed into ovn-k8s-mp0, where OVN's load balancer picks the endpoint), MASQUERADE out of
#        ovn-k8s-mp0 so the reply comes back through the same node
#   ovs  kube-proxy iptables: KUBE-SERVICES -d ADDR -> KUBE-EXT-<hash> -> KUBE-SVC-<hash>; for
#        web-local KUBE-NODEPORTS -> KUBE-EXT -> KUBE-SVL (local endpoints only) and, where there is
#        none, filter KUBE-EXTERNAL-SERVICES DROP (INPUT/FORWARD, new connections)

INGRESS_LOCAL_NODEPORT=30081
INGRESS_LOCAL_SVC_IP=10.96.0.11
# the sandbox masquerades every DNATed connection to a pod (sb-ovs.sh); kube-proxy masquerades only
# what KUBE-MARK-MASQ marked, never externalTrafficPolicy Local traffic: this mark keeps it unmasqueraded
INGRESS_KEEP_SOURCE_MARK=0x2000/0x2000

ingress_on() { [[ -f $DIR/ingress ]]; }
ingress_external_ip() { echo "$SUB.100"; }
ingress_lb_ip() { echo "$SUB.101"; }
# web-local's only endpoint: web-1, on node1
ingress_local_endpoint() { pod_ip 1 1; }

# ovs mode: called by kube_proxy_rules with its chains/rules arrays in scope (dynamic scoping)
kp_ingress_rules() { # node
  local i=$1 ext svc lsvc lsep lext lsvl addr
  ext=$(kp_chain KUBE-EXT "default/web:tcp")
  svc=$(kp_chain KUBE-SVC "default/web:tcp")
  chains+=(":$ext - [0:0]")
  for addr in "$(ingress_external_ip) external IP" "$(ingress_lb_ip) loadbalancer IP"; do
    rules+=("-A KUBE-SERVICES -d ${addr%% *}/32 -p tcp -m comment --comment \"default/web:tcp ${addr#* }\" -m tcp --dport 80 -j $ext")
  done
  rules+=("-A $ext -m comment --comment \"masquerade traffic for default/web:tcp external destinations\" -j $svc")
  lsvc=$(kp_chain KUBE-SVC "default/web-local:http")
  lsep=$(kp_chain KUBE-SEP "default/web-local:http:$(ingress_local_endpoint)")
  lext=$(kp_chain KUBE-EXT "default/web-local:http")
  lsvl=$(kp_chain KUBE-SVL "default/web-local:http")
  chains+=(":$lsvc - [0:0]" ":$lsep - [0:0]" ":$lext - [0:0]" ":$lsvl - [0:0]")
  rules+=("-A KUBE-SERVICES -d $INGRESS_LOCAL_SVC_IP/32 -p tcp -m comment --comment \"default/web-local:http cluster IP\" -m tcp --dport 80 -j $lsvc"
    "-A $lsvc -m comment --comment \"default/web-local:http -> $(ingress_local_endpoint):80\" -j $lsep"
    "-A $lsep -p tcp -m comment --comment \"default/web-local:http\" -m tcp -j DNAT --to-destination $(ingress_local_endpoint):80"
    "-A KUBE-NODEPORTS -p tcp -m comment --comment \"default/web-local:http\" -m tcp --dport $INGRESS_LOCAL_NODEPORT -j $lext"
    "-A $lext -s 10.244.0.0/16 -m comment --comment \"pod traffic for default/web-local:http external destinations\" -j $lsvc"
    "-A $lext -j $lsvl")
  if ((i == 1)); then
    rules+=("-A $lsvl -m comment --comment \"default/web-local:http keeps the client address\" -j MARK --set-xmark $INGRESS_KEEP_SOURCE_MARK"
      "-A $lsvl -m comment --comment \"default/web-local:http -> $(ingress_local_endpoint):80\" -j $lsep")
  fi
}

kp_ingress_filter() { # node on|off: masquerade exception, and the drop where web-local has no endpoint
  local i=$1 ns keep drop
  ns=$(node_ns "$i")
  keep=(-m mark --mark "$INGRESS_KEEP_SOURCE_MARK" -m comment --comment "externalTrafficPolicy Local keeps the client address" -j RETURN)
  drop=(-m comment --comment "default/web-local:http has no local endpoints" -m addrtype --dst-type LOCAL -p tcp -m tcp --dport "$INGRESS_LOCAL_NODEPORT" -j DROP)
  local hook=(-m conntrack --ctstate NEW -m comment --comment "kubernetes externally-visible service portals" -j KUBE-EXTERNAL-SERVICES)
  if [[ $2 == on ]]; then
    nsx "$ns" iptables -t nat -C POSTROUTING "${keep[@]}" 2>/dev/null || nsx "$ns" iptables -t nat -I POSTROUTING 1 "${keep[@]}"
    if ((i != 1)); then
      nsx "$ns" iptables -N KUBE-EXTERNAL-SERVICES 2>/dev/null || nsx "$ns" iptables -F KUBE-EXTERNAL-SERVICES
      nsx "$ns" iptables -A KUBE-EXTERNAL-SERVICES "${drop[@]}"
      nsx "$ns" iptables -C INPUT "${hook[@]}" 2>/dev/null || nsx "$ns" iptables -I INPUT 1 "${hook[@]}"
      nsx "$ns" iptables -C FORWARD "${hook[@]}" 2>/dev/null || nsx "$ns" iptables -I FORWARD 1 "${hook[@]}"
    fi
  else
    nsx "$ns" iptables -t nat -D POSTROUTING "${keep[@]}" 2>/dev/null || true
    nsx "$ns" iptables -D INPUT "${hook[@]}" 2>/dev/null || true
    nsx "$ns" iptables -D FORWARD "${hook[@]}" 2>/dev/null || true
    nsx "$ns" iptables -F KUBE-EXTERNAL-SERVICES 2>/dev/null || true
    nsx "$ns" iptables -X KUBE-EXTERNAL-SERVICES 2>/dev/null || true
  fi
}

ovn_ingress_rules() { # node on|off
  local ns addr
  ns=$(node_ns "$1")
  local masq=(-o ovn-k8s-mp0 -m conntrack --ctstate DNAT -m comment --comment "podpath ingress" -j MASQUERADE)
  if [[ $2 == on ]]; then
    nsx "$ns" iptables -t nat -N OVN-KUBE-EXTERNALIP 2>/dev/null || nsx "$ns" iptables -t nat -F OVN-KUBE-EXTERNALIP
    for addr in "$(ingress_external_ip)" "$(ingress_lb_ip)"; do
      nsx "$ns" iptables -t nat -A OVN-KUBE-EXTERNALIP -p tcp -d "$addr" -m tcp --dport 80 -j DNAT --to-destination "$SVC_IP:80"
    done
    nsx "$ns" iptables -t nat -C PREROUTING -j OVN-KUBE-EXTERNALIP 2>/dev/null ||
      nsx "$ns" iptables -t nat -I PREROUTING 1 -j OVN-KUBE-EXTERNALIP
    nsx "$ns" iptables -t nat -C POSTROUTING "${masq[@]}" 2>/dev/null ||
      nsx "$ns" iptables -t nat -I POSTROUTING 1 "${masq[@]}"
  else
    nsx "$ns" iptables -t nat -D PREROUTING -j OVN-KUBE-EXTERNALIP 2>/dev/null || true
    nsx "$ns" iptables -t nat -D POSTROUTING "${masq[@]}" 2>/dev/null || true
    nsx "$ns" iptables -t nat -F OVN-KUBE-EXTERNALIP 2>/dev/null || true
    nsx "$ns" iptables -t nat -X OVN-KUBE-EXTERNALIP 2>/dev/null || true
  fi
}

cmd_ingress() {
  local action=${1:-} i
  [[ $action == on || $action == off ]] || die "ingress on|off"
  [[ $MODE == ovn || $MODE == ovs ]] || die "ingress: only in --mode ovn or ovs (this sandbox: $MODE)"
  has_v4 || die "ingress: IPv4 sandboxes only"
  if [[ $MODE == ovs ]] && kube_proxy_nft_on; then die "ingress: kube-proxy iptables only (run: kube-proxy iptables)"; fi
  if [[ $action == on ]]; then
    # what the manifest writes: the outside addresses, and (ovs) the externalTrafficPolicy Local Service
    printf '%s\t%s\t%s\t%s\t%s\n' "$(ingress_external_ip)" "$(ingress_lb_ip)" \
      "$([[ $MODE == ovs ]] || shared_gw && echo "$INGRESS_LOCAL_NODEPORT" || echo 0)" "$INGRESS_LOCAL_SVC_IP" "web-1" >"$DIR/ingress"
  else
    rm -f "$DIR/ingress"
  fi
  for ((i = 1; i <= NODES; i++)); do
    if [[ $MODE == ovn ]]; then
      ovn_ingress_rules "$i" "$action"
    else
      kube_proxy_rules "$i"
      kp_ingress_filter "$i" "$action"
    fi
  done
  if shared_gw; then sgw_etp_lbs "$action"; fi # hack/lib/sb-sgw-etp.sh
  write_manifest
  echo "ingress $action: svc default/web externalIP $(ingress_external_ip), load balancer $(ingress_lb_ip) (tcp 80)$([[ $MODE == ovs ]] || shared_gw && echo "; svc default/web-local externalTrafficPolicy Local nodePort $INGRESS_LOCAL_NODEPORT (endpoint web-1)")"
}
