# shellcheck shell=bash
# kube-proxy's nftables mode for Service default/web (ovs mode): `hack/sandbox kube-proxy nftables`
# replaces the iptables KUBE-* chains of every node with the table kube-proxy's nftables proxier
# writes (pkg/proxy/nftables/proxier.go), with its names and structure:
#   table ip kube-proxy
#     map service-ips        ipv4_addr . inet_proto . inet_service : verdict  (VIP . tcp . 80 : goto service-…)
#     map service-nodeports  inet_proto . inet_service : verdict              (tcp . 30080 : goto external-…)
#     set nodeport-ips       the node IP (kube-proxy's default nodePortAddresses "primary")
#     chain services         `ip daddr . meta l4proto . th dport vmap @service-ips`, the NodePort vmap
#     chain service-<H>-default/web/<proto>/<port name>
#                            `numgen random mod N vmap { 0 : goto endpoint-…, … }`
#     chain endpoint-<H>-default/web/<proto>/<port name>__<ip>/<port>
#                            `meta l4proto <proto> dnat to <ip>:<port>`
#     chain external-<H>-…   NodePorts: mark for masquerade, goto the service chain
#     nat-prerouting / nat-output (jump services), nat-postrouting (jump masquerading),
#     mark-for-masquerade / masquerading (mark 0x4000, masquerade fully-random)
# <H> = the first 8 characters of base32(sha256(name)), as kube-proxy hashes chain names. The
# Service chains mark every connection to the VIP for masquerade (kube-proxy's --masquerade-all
# form), so replies come back through the node that DNATed them, as in the iptables layout.
# Not written: the filter chains (firewall, no-endpoint and cluster-ip checks), session affinity.

kube_proxy_nft_on() { [[ -f $DIR/kube-proxy && $(cat "$DIR/kube-proxy") == nftables ]]; }

kp_nft_hash() { # name -> 8 chars of base32(sha256(name)), kube-proxy's hashAndTruncate prefix
  python3 -c 'import base64, hashlib, sys; print(base64.b32encode(hashlib.sha256(sys.argv[1].encode()).digest()).decode()[:8])' "$1"
}

kp_nft_chain() { # prefix name -> prefix-<hash>-name
  printf '%s-%s-%s' "$1" "$(kp_nft_hash "$2")" "$2"
}

kp_iptables_clear() { # node: remove the iptables KUBE-* Service chains and their hooks
  local ns c
  ns=$(node_ns "$1")
  nsx "$ns" iptables -t nat -D PREROUTING -m comment --comment "kubernetes service portals" -j KUBE-SERVICES 2>/dev/null || true
  nsx "$ns" iptables -t nat -D POSTROUTING -m conntrack --ctstate DNAT -d 10.244.0.0/16 -j MASQUERADE 2>/dev/null || true
  nsx "$ns" iptables -t nat -F KUBE-SERVICES 2>/dev/null || true
  nsx "$ns" iptables -t nat -F KUBE-NODEPORTS 2>/dev/null || true
  for c in $(nsx "$ns" iptables-save -t nat | awk '/^:KUBE-(SVC|SEP)-/ {sub(/^:/, ""); print $1}'); do
    nsx "$ns" iptables -t nat -F "$c"
  done
  for c in $(nsx "$ns" iptables-save -t nat | awk '/^:KUBE-(SVC|SEP|SERVICES|NODEPORTS)/ {sub(/^:/, ""); print $1}'); do
    nsx "$ns" iptables -t nat -X "$c"
  done
}

kp_nft_delete() { # node: remove kube-proxy's nftables table (absent: nothing to do)
  nsx "$(node_ns "$1")" nft delete table ip kube-proxy 2>/dev/null || true
}

kube_proxy_nft_rules() { # node: (re)write table ip kube-proxy from $DIR/node<i>/endpoints
  local i=$1 ns webs=() k n proto port pname svc ext ep vmap elems=() body=()
  ns=$(node_ns "$i")
  if [[ -f "$DIR/node$i/endpoints" ]]; then
    mapfile -t webs <"$DIR/node$i/endpoints"
  else
    for ((k = 1; k <= NODES; k++)); do webs+=("$(pod_ip "$k" 1)"); done
  fi
  for proto in tcp udp; do
    port=80 pname=http
    [[ $proto == udp ]] && port=53 pname=dns
    svc=$(kp_nft_chain service "default/web/$proto/$pname")
    body+=("add chain ip kube-proxy $svc")
    body+=("add rule ip kube-proxy $svc ip daddr $SVC_IP $proto dport $port jump mark-for-masquerade")
    vmap=""
    n=${#webs[@]}
    for k in "${!webs[@]}"; do
      ep=$(kp_nft_chain endpoint "default/web/$proto/${pname}__${webs[k]}/$port")
      body+=("add chain ip kube-proxy $ep")
      body+=("add rule ip kube-proxy $ep ip saddr ${webs[k]} jump mark-for-masquerade")
      body+=("add rule ip kube-proxy $ep meta l4proto $proto dnat to ${webs[k]}:$port")
      vmap+="${vmap:+, }$k : goto $ep"
    done
    ((n > 0)) && body+=("add rule ip kube-proxy $svc numgen random mod $n vmap { $vmap }")
    elems+=("add element ip kube-proxy cluster-ips { $SVC_IP }")
    elems+=("add element ip kube-proxy service-ips { $SVC_IP . $proto . $port : goto $svc }")
    if nodeport_on; then
      local np=$NODEPORT_TCP
      [[ $proto == udp ]] && np=$NODEPORT_UDP
      ext=$(kp_nft_chain external "default/web/$proto/$pname")
      body+=("add chain ip kube-proxy $ext")
      body+=("add rule ip kube-proxy $ext jump mark-for-masquerade")
      body+=("add rule ip kube-proxy $ext goto $svc")
      elems+=("add element ip kube-proxy service-nodeports { $proto . $np : goto $ext }")
    fi
  done
  kp_iptables_clear "$i"
  {
    # one transaction: the old table (if any) goes and the new one comes at once
    echo 'add table ip kube-proxy { comment "rules for kube-proxy" ; }'
    echo 'delete table ip kube-proxy'
    echo 'add table ip kube-proxy { comment "rules for kube-proxy" ; }'
    echo 'add set ip kube-proxy cluster-ips { type ipv4_addr ; comment "Active ClusterIPs" ; }'
    echo 'add set ip kube-proxy nodeport-ips { type ipv4_addr ; comment "IPs that accept NodePort traffic" ; }'
    echo 'add map ip kube-proxy service-ips { type ipv4_addr . inet_proto . inet_service : verdict ; comment "ClusterIP, ExternalIP and LoadBalancer IP traffic" ; }'
    echo 'add map ip kube-proxy service-nodeports { type inet_proto . inet_service : verdict ; comment "NodePort traffic" ; }'
    echo 'add chain ip kube-proxy nat-prerouting { type nat hook prerouting priority -100 ; }'
    echo 'add chain ip kube-proxy nat-output { type nat hook output priority -100 ; }'
    echo 'add chain ip kube-proxy nat-postrouting { type nat hook postrouting priority 100 ; }'
    echo 'add chain ip kube-proxy mark-for-masquerade'
    echo 'add chain ip kube-proxy masquerading'
    echo 'add chain ip kube-proxy services'
    echo 'add rule ip kube-proxy mark-for-masquerade mark set mark or 0x4000'
    echo 'add rule ip kube-proxy masquerading mark and 0x4000 == 0 return'
    echo 'add rule ip kube-proxy masquerading mark set mark xor 0x4000'
    echo 'add rule ip kube-proxy masquerading masquerade fully-random'
    echo 'add rule ip kube-proxy nat-prerouting jump services'
    echo 'add rule ip kube-proxy nat-output jump services'
    echo 'add rule ip kube-proxy nat-postrouting jump masquerading'
    echo 'add rule ip kube-proxy services ip daddr . meta l4proto . th dport vmap @service-ips'
    echo 'add rule ip kube-proxy services ip daddr @nodeport-ips meta l4proto . th dport vmap @service-nodeports'
    echo "add element ip kube-proxy nodeport-ips { $(node_ip "$i") }"
    printf '%s\n' "${body[@]}" "${elems[@]}"
  } | nsx "$ns" nft -f -
}

cmd_kube_proxy() { # iptables|nftables: how kube-proxy programs Service default/web (ovs mode)
  local m=${1:-} i
  [[ $m == iptables || $m == nftables ]] || die "kube-proxy iptables|nftables"
  [[ $MODE == ovs ]] || die "kube-proxy: only in --mode ovs (this sandbox: $MODE)"
  echo "$m" >"$DIR/kube-proxy"
  for ((i = 1; i <= NODES; i++)); do kube_proxy_rules "$i"; done
  echo "kube-proxy $m: Service default/web programmed in kube-proxy's $m layout on every node"
}
