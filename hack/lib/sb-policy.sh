# shellcheck shell=bash
# NetworkPolicy "deny all ingress to one pod", realised as OVN-Kubernetes realises a policy with
# policyTypes [Ingress] and no ingress rules:
#   - the namespace's ingress default-deny port group  a<fnv64a(ns)>_ingressDefaultDeny  holding every
#     pod selected by some ingress policy, with two ACLs (owner-type NetpolNamespace): arpAllow
#     (allow, 1001, ARP/ND) and defaultDeny (drop, 1000, to-lport);
#   - one port group per policy  a<fnv64a(ns_name)>  (owner-type NetworkPolicy, name ns:name) holding
#     the selected pods; it has no ACLs because the policy allows nothing.
# The pre-"k8s.ovn.org/" keys older OVN-K releases wrote are set as well (name, default-deny-policy-type).

OVNK_CTRL=default-network-controller

fnv_pg() { # string -> OVN-K hashed port-group name: "a" + decimal FNV-1a 64
  "$PY" -c '
import sys
h = 0xcbf29ce484222325
for b in sys.argv[1].encode():
    h = ((h ^ b) * 0x100000001b3) & 0xFFFFFFFFFFFFFFFF
print("a%d" % h)' "$1"
}

cmd_policy() {
  local deny=policy_deny_ingress
  case $MODE in
    ovn) ;;
    kube-ovn) deny=kube_ovn_deny_ingress ;;
    antrea) deny=antrea_deny_ingress ;;
    *) die "policy: the ovn, kube-ovn and antrea modes realise NetworkPolicies, not --mode $MODE" ;;
  esac
  case ${1:-} in
    deny-ingress) [[ ${2:-} == */* ]] || die "policy deny-ingress NS/POD"; "$deny" "${2%%/*}" "${2#*/}" ;;
    clear) policy_clear ;;
    *) die "policy deny-ingress NS/POD | policy clear" ;;
  esac
  write_manifest
  echo "policy $1${2:+ $2}: done"
}

policy_deny_ingress() {
  local ns=$1 pod=$2 pname="deny-ingress-$2" lsp="$1_$2" dpg ppg
  grep -q "^$ns	$pod	" "$DIR/pods.tsv" || die "policy: unknown pod $ns/$pod"
  if grep -q "^$ns	$pname	" "$DIR/policies.tsv"; then return 0; fi
  dpg="$(fnv_pg "$ns")_ingressDefaultDeny"
  ppg=$(fnv_pg "${ns}_$pname")
  local a=()
  if [[ -z $(nbctl --data=bare --no-headings --columns=_uuid find port_group "name=$dpg") ]]; then
    a+=(-- --id=@arp create acl direction=to-lport priority=1001 action=allow
      match="\"outport == @$dpg && (arp || nd)\"" name="\"NP:$ns:Ingress\""
      "external_ids:\"k8s.ovn.org/id\"=\"$OVNK_CTRL:NetpolNamespace:$ns:Ingress:arpAllow\""
      "external_ids:\"k8s.ovn.org/name\"=$ns" "external_ids:\"k8s.ovn.org/owner-controller\"=$OVNK_CTRL"
      "external_ids:\"k8s.ovn.org/owner-type\"=NetpolNamespace" external_ids:direction=Ingress
      external_ids:type=arpAllow
      -- --id=@deny create acl direction=to-lport priority=1000 action=drop
      match="\"outport == @$dpg\"" name="\"NP:$ns:Ingress\""
      "external_ids:\"k8s.ovn.org/id\"=\"$OVNK_CTRL:NetpolNamespace:$ns:Ingress:defaultDeny\""
      "external_ids:\"k8s.ovn.org/name\"=$ns" "external_ids:\"k8s.ovn.org/owner-controller\"=$OVNK_CTRL"
      "external_ids:\"k8s.ovn.org/owner-type\"=NetpolNamespace" external_ids:direction=Ingress
      external_ids:type=defaultDeny external_ids:default-deny-policy-type=Ingress
      -- create port_group name="$dpg" acls=@arp,@deny
      "external_ids:\"k8s.ovn.org/id\"=\"$OVNK_CTRL:NetpolNamespace:$ns:Ingress\""
      "external_ids:\"k8s.ovn.org/name\"=$ns" "external_ids:\"k8s.ovn.org/owner-controller\"=$OVNK_CTRL"
      "external_ids:\"k8s.ovn.org/owner-type\"=NetpolNamespace" external_ids:name="${ns}_ingressDefaultDeny"
      external_ids:podpath-sandbox="$P")
  fi
  if ((${#a[@]})); then nbctl "${a[@]}" >/dev/null; fi
  # shellcheck disable=SC2046
  nbctl -- pg-set-ports "$dpg" $( (pg_ports "$dpg"; echo "$lsp") | sort -u) \
    -- pg-add "$ppg" "$lsp" -- set port_group "$ppg" \
    "external_ids:\"k8s.ovn.org/id\"=\"$OVNK_CTRL:NetworkPolicy:$ns:$pname\"" \
    "external_ids:\"k8s.ovn.org/name\"=\"$ns:$pname\"" "external_ids:\"k8s.ovn.org/owner-controller\"=$OVNK_CTRL" \
    "external_ids:\"k8s.ovn.org/owner-type\"=NetworkPolicy" external_ids:name="${ns}_$pname" \
    external_ids:namespace="$ns" external_ids:policy="$pname" external_ids:policy_type=Ingress \
    external_ids:podpath-sandbox="$P" >/dev/null
  printf '%s\t%s\t%s\n' "$ns" "$pname" "$pod" >>"$DIR/policies.tsv"
  nbctl --wait=hv sync
}

# Kube-OVN (1.12) realises a policy with policyTypes [Ingress] and no rules as one port group per
# policy, named <name>.<ns> with every "-" turned into ".", external_ids np=<ns>/<name>, holding the
# selected pods' LSPs, and one ACL on it: to-lport, priority 2000 (IngressDefaultDrop), match
# "outport==@<pg> && ip", drop, named after the port group (ARP is not ip, so it still passes).
kube_ovn_deny_ingress() {
  local ns=$1 pod=$2 pname="deny-ingress-$2" pg
  grep -q "^$ns	$pod	" "$DIR/pods.tsv" || die "policy: unknown pod $ns/$pod"
  if grep -q "^$ns	$pname	" "$DIR/policies.tsv"; then return 0; fi
  pg=$(echo "$pname.$ns" | tr - .)
  nbctl -- pg-add "$pg" "$(kube_ovn_lsp "$pod")" \
    -- set port_group "$pg" external_ids:np="$ns/$pname" external_ids:podpath-sandbox="$P" \
    -- --id=@drop create acl direction=to-lport priority=2000 action=drop \
    match="\"outport==@$pg && ip\"" name="\"$pg\"" \
    -- add port_group "$pg" acls @drop >/dev/null
  printf '%s\t%s\t%s\n' "$ns" "$pname" "$pod" >>"$DIR/policies.tsv"
  nbctl --wait=hv sync
}

pg_ports() { # port group -> names of its logical switch ports
  local uuids u
  uuids=$(nbctl --data=bare --no-headings --columns=ports find port_group "name=$1")
  for u in $uuids; do nbctl --data=bare --no-headings --columns=name list logical_switch_port "$u"; done
}

# Antrea (<=1.5) isolates a pod selected by a policy with policyTypes [Ingress] and no rules with one
# flow in IngressDefault (table 100) on the pod's node: priority 200, ip, reg1 (the out port
# L2ForwardingCalc chose) = the pod's ofport, drop; its cookie is the agent's round with the Default
# category. Connections the pod opens still get their replies: table 90 passes established ones.
antrea_deny_ingress() {
  local ns=$1 pod=$2 pname="deny-ingress-$2" row i ofport
  row=$(awk -F'\t' -v n="$ns" -v p="$pod" '$1 == n && $2 == p' "$DIR/pods.tsv")
  [[ -n $row ]] || die "policy: unknown pod $ns/$pod"
  if grep -q "^$ns	$pname	" "$DIR/policies.tsv"; then return 0; fi
  i=$(cut -f3 <<<"$row")
  i=${i#node}
  ofport=$(vsctl "$i" get interface "$(cut -f7 <<<"$row")" ofport)
  local proto
  for proto in $(antrea_l3_protos); do # ip, and ipv6 on an IPv6 sandbox (sb-cni-antrea6.sh)
    ovs-ofctl -O OpenFlow13 add-flow "unix:$(node_dir "$i")/run/br-int.mgmt" \
      "cookie=$ANTREA_COOKIE_DEFAULT,table=100,priority=200,$proto,reg1=$ofport,actions=drop"
  done
  printf '%s\t%s\t%s\n' "$ns" "$pname" "$pod" >>"$DIR/policies.tsv"
}

antrea_policy_clear() {
  local ns pname pod row i proto
  while IFS=$'\t' read -r ns pname pod; do
    row=$(awk -F'\t' -v n="$ns" -v p="$pod" '$1 == n && $2 == p' "$DIR/pods.tsv")
    i=$(cut -f3 <<<"$row")
    i=${i#node}
    for proto in $(antrea_l3_protos); do
      ovs-ofctl -O OpenFlow13 del-flows --strict "unix:$(node_dir "$i")/run/br-int.mgmt" \
        "table=100,priority=200,$proto,reg1=$(vsctl "$i" get interface "$(cut -f7 <<<"$row")" ofport)"
    done
  done <"$DIR/policies.tsv"
  : >"$DIR/policies.tsv"
}

policy_clear() {
  local u
  if [[ $MODE == antrea ]]; then antrea_policy_clear; return 0; fi
  for u in $(nbctl --data=bare --no-headings --columns=_uuid find port_group "external_ids:podpath-sandbox=$P"); do
    nbctl destroy port_group "$u"
  done
  : >"$DIR/policies.tsv"
  nbctl --wait=hv sync
}
