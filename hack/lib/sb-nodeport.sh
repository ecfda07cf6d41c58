# shellcheck shell=bash
# NodePort for Service default/web (TCP 30080 -> 80, UDP 30053 -> 53) on every node's own
# addresses, programmed the way each mode programs Services:
#   ovn  OVN-Kubernetes local-gateway style: nat PREROUTING -> OVN-KUBE-NODEPORT, DNAT to the
#        cluster IP (routed into ovn-k8s-mp0, where the OVN load balancer picks the endpoint), and
#        MASQUERADE out of ovn-k8s-mp0 so the reply comes back through the same node
#   ovs  kube-proxy style: KUBE-SERVICES (last rule, addrtype LOCAL) -> KUBE-NODEPORTS -> the
#        Service's KUBE-SVC chain, rewritten with the other Service chains (kube_proxy_rules); in
#        IPv6 (--ip-family ipv6|dual) the same ports in ip6tables through KUBE-EXT (kube_proxy_rules6)
# `hack/sandbox nodeport on|off`; the manifest's Service becomes type NodePort while on.

NODEPORT_TCP=30080
NODEPORT_UDP=30053

nodeport_on() { [[ -f $DIR/nodeport ]]; }

ovn_nodeport_rules() { # node on|off
  local ns rule
  ns=$(node_ns "$1")
  local rules=(
    "-p tcp -m addrtype --dst-type LOCAL -m tcp --dport $NODEPORT_TCP -j DNAT --to-destination $SVC_IP:80"
    "-p udp -m addrtype --dst-type LOCAL -m udp --dport $NODEPORT_UDP -j DNAT --to-destination $SVC_IP:53"
  )
  local masq=(-o ovn-k8s-mp0 -m conntrack --ctstate DNAT -m comment --comment "podpath nodeport" -j MASQUERADE)
  if [[ $2 == on ]]; then
    nsx "$ns" iptables -t nat -N OVN-KUBE-NODEPORT 2>/dev/null || nsx "$ns" iptables -t nat -F OVN-KUBE-NODEPORT
    for rule in "${rules[@]}"; do
      # shellcheck disable=SC2086
      nsx "$ns" iptables -t nat -A OVN-KUBE-NODEPORT $rule
    done
    nsx "$ns" iptables -t nat -C PREROUTING -j OVN-KUBE-NODEPORT 2>/dev/null ||
      nsx "$ns" iptables -t nat -A PREROUTING -j OVN-KUBE-NODEPORT
    nsx "$ns" iptables -t nat -C POSTROUTING "${masq[@]}" 2>/dev/null ||
      nsx "$ns" iptables -t nat -I POSTROUTING 1 "${masq[@]}"
  else
    nsx "$ns" iptables -t nat -D PREROUTING -j OVN-KUBE-NODEPORT 2>/dev/null || true
    nsx "$ns" iptables -t nat -D POSTROUTING "${masq[@]}" 2>/dev/null || true
    nsx "$ns" iptables -t nat -F OVN-KUBE-NODEPORT 2>/dev/null || true
    nsx "$ns" iptables -t nat -X OVN-KUBE-NODEPORT 2>/dev/null || true
  fi
  if has_v6; then ovn_nodeport_rules6 "$ns" "$2"; fi
}

# The IPv6 twin (--ip-family ipv6|dual): the same chain in ip6tables, DNAT to [SVC_IP6]:port on the
# node's own IPv6 addresses, MASQUERADE out of ovn-k8s-mp0 to its IPv6 address (fd00:10:244:i::2).
ovn_nodeport_rules6() { # netns on|off
  local ns=$1 rule
  local rules=(
    "-p tcp -m addrtype --dst-type LOCAL -m tcp --dport $NODEPORT_TCP -j DNAT --to-destination [$SVC_IP6]:80"
    "-p udp -m addrtype --dst-type LOCAL -m udp --dport $NODEPORT_UDP -j DNAT --to-destination [$SVC_IP6]:53"
  )
  local masq=(-o ovn-k8s-mp0 -m conntrack --ctstate DNAT -m comment --comment "podpath nodeport" -j MASQUERADE)
  if [[ $2 == on ]]; then
    nsx "$ns" ip6tables -t nat -N OVN-KUBE-NODEPORT 2>/dev/null || nsx "$ns" ip6tables -t nat -F OVN-KUBE-NODEPORT
    for rule in "${rules[@]}"; do
      # shellcheck disable=SC2086
      nsx "$ns" ip6tables -t nat -A OVN-KUBE-NODEPORT $rule
    done
    nsx "$ns" ip6tables -t nat -C PREROUTING -j OVN-KUBE-NODEPORT 2>/dev/null ||
      nsx "$ns" ip6tables -t nat -A PREROUTING -j OVN-KUBE-NODEPORT
    nsx "$ns" ip6tables -t nat -C POSTROUTING "${masq[@]}" 2>/dev/null ||
      nsx "$ns" ip6tables -t nat -I POSTROUTING 1 "${masq[@]}"
  else
    nsx "$ns" ip6tables -t nat -D PREROUTING -j OVN-KUBE-NODEPORT 2>/dev/null || true
    nsx "$ns" ip6tables -t nat -D POSTROUTING "${masq[@]}" 2>/dev/null || true
    nsx "$ns" ip6tables -t nat -F OVN-KUBE-NODEPORT 2>/dev/null || true
    nsx "$ns" ip6tables -t nat -X OVN-KUBE-NODEPORT 2>/dev/null || true
  fi
}

cmd_nodeport() {
  local action=${1:-} i
  [[ $action == on || $action == off ]] || die "nodeport on|off"
  [[ $MODE == ovn || $MODE == ovs ]] || die "nodeport: only in --mode ovn or ovs (this sandbox: $MODE)"
  if [[ $action == on ]]; then
    printf '%s\t%s\n' "$NODEPORT_TCP" "$NODEPORT_UDP" >"$DIR/nodeport"
  else
    rm -f "$DIR/nodeport"
  fi
  for ((i = 1; i <= NODES; i++)); do
    if shared_gw; then
      sgw_nodeport "$i" "$action"
    elif [[ $MODE == ovn ]]; then ovn_nodeport_rules "$i" "$action"; else kube_proxy_rules "$i"; fi
    if [[ $MODE == ovs ]] && has_v6; then kube_proxy_rules6 "$i"; fi # hack/lib/sb-ipv6.sh
  done
  write_manifest
  echo "nodeport $action: default/web tcp $NODEPORT_TCP->80 udp $NODEPORT_UDP->53 on every node"
}
