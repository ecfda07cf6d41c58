# shellcheck shell=bash
# IPv6 (--ip-family ipv6|dual) for the modes whose Services are kube-proxy's on the host (ovs,
# antrea) and the ovs mode's own IPv6 flows. The IPv6 plan is sb-common.sh's: pods
# fd00:10:244:<i>::(2+j)/64 behind the node's gateway fd00:10:244:<i>::1, Service fd00:10:96::a.
KP6_CLUSTER=fd00:10:244::/48

# kube-proxy's IPv6 proxier: the same chains as the IPv4 one (kube_proxy_rules), in ip6tables, DNAT
# to [endpoint]:port; DNATed packets to pods are masqueraded to the gateway so replies come back.
kube_proxy_rules6() { # node: (re)write the Service chains; $DIR/nodeI/endpoints6 overrides the endpoints
  local i=$1 ns k n proto port svc sep webs=() rules=() chains=()
  ns=$(node_ns "$i")
  if [[ -f "$DIR/node$i/endpoints6" ]]; then
    mapfile -t webs <"$DIR/node$i/endpoints6"
  else
    for ((k = 1; k <= NODES; k++)); do webs+=("$(pod_ip6 "$k" 1)"); done
  fi
  for proto in tcp udp; do
    port=80
    [[ $proto == udp ]] && port=53
    svc=$(kp_chain KUBE-SVC "default/web:$proto")
    chains+=(":$svc - [0:0]")
    rules+=("-A KUBE-SERVICES -d $SVC_IP6/128 -p $proto -m comment --comment \"default/web:$proto cluster IP\" -m $proto --dport $port -j $svc")
    for k in "${!webs[@]}"; do
      n=$((${#webs[@]} - k))
      sep=$(kp_chain KUBE-SEP "default/web:$proto:${webs[k]}")
      chains+=(":$sep - [0:0]")
      if ((n > 1)); then
        rules+=("-A $svc -m comment --comment \"default/web:$proto -> [${webs[k]}]:$port\" -m statistic --mode random --probability $(awk -v n=$n 'BEGIN{printf "%.11f", 1/n}') -j $sep")
      else
        rules+=("-A $svc -m comment --comment \"default/web:$proto -> [${webs[k]}]:$port\" -j $sep")
      fi
      rules+=("-A $sep -p $proto -m comment --comment \"default/web:$proto\" -m $proto -j DNAT --to-destination [${webs[k]}]:$port")
    done
  done
  if nodeport_on; then kp_nodeport_rules6; fi
  # drop the old Service chains (a fixed stale backend leaves none behind); the jumps into
  # KUBE-SERVICES are written once
  nsx "$ns" ip6tables -t nat -F KUBE-SERVICES 2>/dev/null || true
  nsx "$ns" ip6tables -t nat -F KUBE-NODEPORTS 2>/dev/null || true
  nsx "$ns" ip6tables-save -t nat | awk '/^:KUBE-(SVC|SEP|EXT)-/ {sub(/^:/, ""); print $1}' | while read -r c; do
    nsx "$ns" ip6tables -t nat -F "$c"
  done
  nsx "$ns" ip6tables-save -t nat | awk '/^:KUBE-(SVC|SEP|EXT)-/ {sub(/^:/, ""); print $1}' | while read -r c; do
    nsx "$ns" ip6tables -t nat -X "$c"
  done
  {
    echo "*nat"
    echo ":KUBE-SERVICES - [0:0]"
    echo ":KUBE-NODEPORTS - [0:0]"
    echo ":KUBE-MARK-MASQ - [0:0]"
    echo ":KUBE-POSTROUTING - [0:0]"
    printf '%s\n' "${chains[@]}"
    if ! nsx "$ns" ip6tables -t nat -C POSTROUTING -m comment --comment "kubernetes postrouting rules" -j KUBE-POSTROUTING 2>/dev/null; then
      echo '-A POSTROUTING -m comment --comment "kubernetes postrouting rules" -j KUBE-POSTROUTING'
    fi
    echo "-A KUBE-MARK-MASQ -j MARK --set-xmark $KP6_MASQ_MARK/$KP6_MASQ_MARK"
    echo "-A KUBE-POSTROUTING -m mark ! --mark $KP6_MASQ_MARK/$KP6_MASQ_MARK -j RETURN"
    echo "-A KUBE-POSTROUTING -j MARK --set-xmark $KP6_MASQ_MARK/0x0"
    echo '-A KUBE-POSTROUTING -m comment --comment "kubernetes service traffic requiring SNAT" -j MASQUERADE'
    if ! nsx "$ns" ip6tables -t nat -C PREROUTING -m comment --comment "kubernetes service portals" -j KUBE-SERVICES 2>/dev/null; then
      echo '-A PREROUTING -m comment --comment "kubernetes service portals" -j KUBE-SERVICES'
      echo "-A POSTROUTING -m conntrack --ctstate DNAT -d $KP6_CLUSTER -j MASQUERADE"
    fi
    printf '%s\n' "${rules[@]}"
    echo "COMMIT"
  } | nsx "$ns" ip6tables-restore --noflush
}

# NodePorts (`nodeport on`) as kube-proxy's IPv6 proxier writes them, the same port numbers as IPv4:
# KUBE-SERVICES (last rule, addrtype LOCAL) -> KUBE-NODEPORTS -> KUBE-EXT-<hash>, which marks the
# packet for masquerade (KUBE-MARK-MASQ; KUBE-POSTROUTING masquerades it) and goes on to the
# Service's KUBE-SVC chain. Called by kube_proxy_rules6 with its rules/chains arrays in scope.
KP6_MASQ_MARK=0x4000
kp_nodeport_rules6() {
  local proto np ext
  for proto in tcp udp; do
    np=$NODEPORT_TCP
    [[ $proto == udp ]] && np=$NODEPORT_UDP
    ext=$(kp_chain KUBE-EXT "default/web:$proto")
    chains+=(":$ext - [0:0]")
    rules+=("-A KUBE-NODEPORTS -p $proto -m comment --comment \"default/web:$proto\" -m $proto --dport $np -j $ext"
      "-A $ext -m comment --comment \"masquerade traffic for default/web:$proto external destinations\" -j KUBE-MARK-MASQ"
      "-A $ext -j $(kp_chain KUBE-SVC "default/web:$proto")")
  done
  rules+=("-A KUBE-SERVICES -m comment --comment \"kubernetes service nodeports; NOTE: this must be the last rule in this chain\" -m addrtype --dst-type LOCAL -j KUBE-NODEPORTS")
}

# ovs mode: tun0 carries the node's IPv6 gateway; the node kernel reaches remote pods on-link
# through tun0 with pinned neighbours, as in IPv4.
ovs_node_up6() { # node
  local i=$1 ns k j
  ns=$(node_ns "$i")
  v6_on "$ns" tun0
  ip -n "$ns" addr add "$(rtr_ip6 "$i")/64" dev tun0 nodad
  ip -n "$ns" -6 route add "$KP6_CLUSTER" dev tun0
  for ((k = 1; k <= NODES; k++)); do
    ((k == i)) && continue
    for ((j = 1; j <= PODS_PER_NODE; j++)); do
      ip -n "$ns" -6 neigh replace "$(pod_ip6 "$k" "$j")" lladdr "$(ip_mac "10.244.$k.1")" dev tun0 nud permanent
    done
  done
  kube_proxy_rules6 "$i"
}

# ovs mode's IPv6 flows of node i, beside the IPv4 ones (ovs_flows): the same split horizon, and
# neighbour solicitations sent to the port that owns the target (tun0 answers for the gateway).
ovs_flows6() { # node
  local i=$1 j k pip mac gw
  gw=$(ip_mac "10.244.$i.1")
  for ((k = 1; k <= NODES; k++)); do
    ((k == i)) && continue
    echo "table=0,priority=210,in_port=$((10 + k)),ipv6,ipv6_dst=$(rtr_ip6 "$i"),actions=mod_dl_dst:$gw,output:2"
    echo "table=0,priority=100,ipv6,ipv6_dst=$(pod_subnet6 "$k"),actions=set_field:$OVS_VNI->tun_id,output:$((10 + k))"
  done
  for ((j = 1; j <= PODS_PER_NODE; j++)); do
    pip=$(pod_ip6 "$i" "$j")
    mac=$(ip_mac "$(pod_ip "$i" "$j")")
    echo "table=0,priority=200,icmp6,icmp_type=135,nd_target=$pip,actions=output:$((100 + j))"
    for ((k = 1; k <= NODES; k++)); do
      ((k == i)) && continue
      echo "table=0,priority=200,in_port=$((10 + k)),ipv6,ipv6_dst=$pip,actions=mod_dl_src:$gw,mod_dl_dst:$mac,dec_ttl,output:$((100 + j))"
    done
    echo "table=0,priority=120,ipv6,ipv6_dst=$pip,actions=mod_dl_dst:$mac,output:$((100 + j))"
  done
  echo "table=0,priority=50,ipv6,actions=output:2"
}

# Antrea's IPv6 (dual-stack and IPv6-only clusters): antrea-gw0 holds the node's IPv6 gateway, each
# peer's IPv6 subnet is routed via its gateway on-link, and since the ARPResponder cannot answer
# neighbour solicitations, the route client pins the peer gateway's neighbour entry to the global
# virtual MAC. IPv6 packets pass the IPv6 table (21) after SpoofGuard: neighbour discovery,
# link-local and multicast go NORMAL; the rest is tracked in the IPv6 conntrack zone.
ANTREA_CT_ZONE6=65510
ANTREA_SERVICES6=fd00:10:96::/112

antrea_l3_protos() { # the flow protocols of the sandbox's families
  if has_v4; then echo ip; fi
  if has_v6; then echo ipv6; fi
}

antrea_node_layout6() { # node
  local i=$1 ns k
  ns=$(node_ns "$i")
  v6_on "$ns" antrea-gw0
  ip -n "$ns" addr add "$(rtr_ip6 "$i")/64" dev antrea-gw0 nodad
  for ((k = 1; k <= NODES; k++)); do
    ((k == i)) && continue
    ip -n "$ns" -6 route add "$(pod_subnet6 "$k")" via "$(rtr_ip6 "$k")" dev antrea-gw0 onlink
    ip -n "$ns" -6 neigh replace "$(rtr_ip6 "$k")" lladdr "$ANTREA_GLOBAL_VMAC" dev antrea-gw0 nud permanent
  done
  nsx "$ns" ip6tables-restore --noflush <<EOT
*nat
:ANTREA-POSTROUTING - [0:0]
-A POSTROUTING -m comment --comment "Antrea: jump to Antrea postrouting rules" -j ANTREA-POSTROUTING
-A ANTREA-POSTROUTING -s $(pod_subnet6 "$i") -m comment --comment "Antrea: masquerade pod to external packets" ! -o antrea-gw0 -j MASQUERADE
COMMIT
EOT
  kube_proxy_rules6 "$i"
}

antrea_node_flows6() { # node: the IPv6 flows beside antrea_node_flows' IPv4 ones
  local i=$1 k j pod pip mac ofport gw6 gwmac c=$ANTREA_COOKIE_DEFAULT
  gw6=$(rtr_ip6 "$i")
  gwmac=$(ip_mac "10.244.$i.1")
  echo "cookie=$c,table=10,priority=200,ipv6,in_port=2,actions=goto_table:21"
  echo "cookie=$c,table=21,priority=200,ipv6,ipv6_src=fe80::/10,actions=NORMAL"
  echo "cookie=$c,table=21,priority=200,icmp6,icmp_type=135,actions=NORMAL"
  echo "cookie=$c,table=21,priority=200,icmp6,icmp_type=136,actions=NORMAL"
  echo "cookie=$c,table=21,priority=200,ipv6,ipv6_dst=ff00::/8,actions=NORMAL"
  echo "cookie=$c,table=21,priority=0,actions=goto_table:30"
  echo "cookie=$c,table=30,priority=200,ipv6,actions=ct(table=31,zone=$ANTREA_CT_ZONE6)"
  echo "cookie=$c,table=31,priority=210,ct_state=-new+trk,ct_mark=0x20,ipv6,reg0=0x1/0xffff,actions=goto_table:40"
  echo "cookie=$c,table=31,priority=200,ct_state=-new+trk,ct_mark=0x20,ipv6,actions=mod_dl_dst:$gwmac,goto_table:40"
  echo "cookie=$c,table=31,priority=190,ct_state=+inv+trk,ipv6,actions=drop"
  echo "cookie=$ANTREA_COOKIE_SVC,table=40,priority=200,ipv6,ipv6_dst=$ANTREA_SERVICES6,actions=mod_dl_dst:$gwmac,load:0x2->NXM_NX_REG1[],load:0x1->NXM_NX_REG0[16],goto_table:105"
  echo "cookie=$c,table=50,priority=210,ct_state=-new+est,ipv6,actions=goto_table:70"
  echo "cookie=$c,table=70,priority=200,ipv6,dl_dst=$ANTREA_GLOBAL_VMAC,ipv6_dst=$gw6,actions=mod_dl_dst:$gwmac,goto_table:80"
  echo "cookie=$c,table=90,priority=210,ct_state=-new+est,ipv6,actions=goto_table:105"
  echo "cookie=$c,table=90,priority=210,ipv6,ipv6_src=$gw6,actions=goto_table:105"
  echo "cookie=$c,table=105,priority=200,ct_state=+new+trk,ipv6,reg0=0x1/0xffff,actions=ct(commit,table=110,zone=$ANTREA_CT_ZONE6,exec(load:0x20->NXM_NX_CT_MARK[]))"
  echo "cookie=$c,table=105,priority=190,ct_state=+new+trk,ipv6,actions=ct(commit,table=110,zone=$ANTREA_CT_ZONE6)"
  echo "cookie=$c,table=110,priority=200,ipv6,reg0=0x10000/0x10000,actions=output:NXM_NX_REG1[]"
  c=$ANTREA_COOKIE_NODE
  for ((k = 1; k <= NODES; k++)); do
    ((k == i)) && continue
    echo "cookie=$c,table=70,priority=200,ipv6,ipv6_dst=$(pod_subnet6 "$k"),actions=dec_ttl,mod_dl_src:$gwmac,mod_dl_dst:$ANTREA_GLOBAL_VMAC,load:0x1->NXM_NX_REG1[],load:0x1->NXM_NX_REG0[16],$(antrea_tun_dst "$k"),goto_table:105"
  done
  c=$ANTREA_COOKIE_POD
  for ((j = 1; j <= PODS_PER_NODE; j++)); do
    pod=$(pod_name "$i" "$j")
    pip=$(pod_ip6 "$i" "$j")
    mac=$(ip_mac "$(pod_ip "$i" "$j")")
    ofport=$(vsctl "$i" get interface "$(antrea_hostif "$pod")" ofport)
    echo "cookie=$c,table=10,priority=200,ipv6,in_port=$ofport,dl_src=$mac,ipv6_src=$pip,actions=goto_table:21"
    echo "cookie=$c,table=10,priority=200,ipv6,in_port=$ofport,dl_src=$mac,ipv6_src=fe80::/10,actions=goto_table:21"
    echo "cookie=$c,table=70,priority=200,ipv6,dl_dst=$ANTREA_GLOBAL_VMAC,ipv6_dst=$pip,actions=mod_dl_src:$gwmac,mod_dl_dst:$mac,dec_ttl,goto_table:80"
  done
}
