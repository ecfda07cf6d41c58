# shellcheck shell=bash
# --mode kube-ovn: real OVN (the ovn mode's central NB/SB, northd and one ovn-controller per node)
# with Kube-OVN's names and topology (kubeovn/kube-ovn 1.12 defaults, distributed gateway).
# hack/README.md lists where it differs from a real node.
#
#   ovn-cluster   the VPC's logical router: ovn-cluster-ovn-default 10.244.0.1/16 and
#                 ovn-cluster-join 100.64.0.1/16
#   ovn-default   ONE logical switch for the whole cluster's pod subnet 10.244.0.0/16, every node's
#                 pods on it, LSPs <pod>.<ns>
#   join          the node switch: LSP node-<node> per node, bound to the node's internal port ovn0
#                 (100.64.0.(1+i)/16), the host's routes to pods and Services through 100.64.0.1
#   pods          host veth <12 hex>_h on br-int; Interface external_ids iface-id=<pod>.<ns>,
#                 vendor=kube-ovn, pod_name, pod_namespace, ip, pod_netns
#   egress        a default route to 100.64.0.1 and router policies: 31000 allow the pod and join subnets, 30000 a node IP rerouted
#                 to that node's ovn0, 29000 a node's pods (address set ovn.default.<node>_ip4)
#                 rerouted to their node's ovn0; the node masquerades (OVN-POSTROUTING)
#   Services      cluster-tcp-loadbalancer / cluster-udp-loadbalancer on both switches
#   IPv6 / dual   (--ip-family) as Kube-OVN's dual-stack subnets: ovn-default and join get a second
#                 CIDR (fd00:10:244::/48 behind fd00:10:244::1, fd00:100:64::/64 behind
#                 fd00:100:64::1), the router's ports both networks, a ::/0 route, the policies
#                 again with ip6 and ovn.default.<node>_ip6, the load balancers a [VIP]:port each

CNI_MODES+=" kube-ovn"

KOVN_SUBNET=10.244.0.0/16
KOVN_GW=10.244.0.1
KOVN_JOIN=100.64.0.0/16
KOVN_JOIN_GW=100.64.0.1

kube_ovn_join_ip() { echo "100.64.0.$((1 + $1))"; }
KOVN_SUBNET6=fd00:10:244::/48
KOVN_GW6=fd00:10:244::1
KOVN_JOIN6=fd00:100:64::/64
KOVN_JOIN_GW6=fd00:100:64::1
kube_ovn_join_ip6() { printf 'fd00:100:64::%x\n' "$((1 + $1))"; }
# the node's join addresses, first family first, comma-separated (ovn0's external_ids:ip)
kube_ovn_join_ips() {
  local a=()
  if has_v4; then a+=("$(kube_ovn_join_ip "$1")"); fi
  if has_v6; then a+=("$(kube_ovn_join_ip6 "$1")"); fi
  local IFS=,
  echo "${a[*]}"
}
kube_ovn_lsp() { echo "$1.$POD_NAMESPACE"; } # pod -> its LSP name and iface-id

# the CNI's host veth: the container id's first 12 hex characters + _h
kube_ovn_hostif() {
  printf '%s_h' "$(printf 'container/%s/%s' "$POD_NAMESPACE" "$1" | sha256sum | cut -c1-12)"
}

# one switch for the cluster: every pod is on-link in 10.244.0.0/16 behind 10.244.0.1
kube_ovn_pod_net() { echo "16 $KOVN_GW"; }
kube_ovn_pod_net6() { echo "48 $KOVN_GW6"; }

kube_ovn_pod_port_args() { # node j pod hostif ip mac
  local pod=$3 hif=$4 ips
  # the CNI writes every address of the pod, comma-separated, first family first
  ips=$(pod_ips "$1" "$2" | paste -sd,)
  printf '%s\n' -- add-port br-int "$hif" -- set interface "$hif" \
    "external_ids:iface-id=$(kube_ovn_lsp "$pod")" external_ids:vendor=kube-ovn \
    "external_ids:pod_name=$pod" "external_ids:pod_namespace=$POD_NAMESPACE" \
    "external_ids:ip=\"$ips\"" "external_ids:pod_netns=/var/run/netns/$(pod_ns "$pod")"
}

kube_ovn_node_layout() {
  local i=$1 ns d ip jip
  ns=$(node_ns "$i")
  d=$(node_dir "$i")
  ip=$(node_ip "$i")
  jip=$(kube_ovn_join_ip "$i")
  vsctl "$i" -- add-br br-int -- set bridge br-int datapath_type=netdev fail_mode=secure \
    other_config:disable-in-band=true \
    -- set open_vswitch . external_ids:system-id="node$i" external_ids:hostname="node$i" \
    external_ids:ovn-remote="tcp:$CENTRAL_IP:6642" external_ids:ovn-encap-type=geneve \
    external_ids:ovn-encap-ip="$(node_encap "$i")" external_ids:ovn-bridge-datapath-type=netdev \
    external_ids:ovn-remote-probe-interval=10000 \
    -- add-port br-int ovn0 -- set interface ovn0 type=internal mtu_request="$POD_MTU" \
    external_ids:iface-id="node-node$i" external_ids:ip="\"$(kube_ovn_join_ips "$i")\""
  ip -n "$ns" link set ovn0 address "$(ip_mac "$jip")" up
  if has_v4; then
    ip -n "$ns" addr add "$jip/16" dev ovn0
    ip -n "$ns" route add "$KOVN_SUBNET" via "$KOVN_JOIN_GW" dev ovn0
    ip -n "$ns" route add 10.96.0.0/16 via "$KOVN_JOIN_GW" dev ovn0
    kube_ovn_masquerade "$ns" iptables "$KOVN_SUBNET"
  fi
  if has_v6; then
    v6_on "$ns" ovn0
    ip -n "$ns" addr add "$(kube_ovn_join_ip6 "$i")/64" dev ovn0 nodad
    ip -n "$ns" -6 route add "$KOVN_SUBNET6" via "$KOVN_JOIN_GW6" dev ovn0
    ip -n "$ns" -6 route add fd00:10:96::/112 via "$KOVN_JOIN_GW6" dev ovn0
    kube_ovn_masquerade "$ns" ip6tables "$KOVN_SUBNET6"
  fi
  txoff "$ns" ovn0
  record pidfiles "$d/ovn/ovn-controller.pid"
  nsx "$ns" env OVS_RUNDIR="$d/run" OVN_RUNDIR="$d/ovn" OVS_LOGDIR="$d/log" \
    ovn-controller "unix:$d/run/db.sock" --pidfile="$d/ovn/ovn-controller.pid" --detach --no-chdir -vconsole:off \
    --log-file="$d/log/ovn-controller.log"
}

kube_ovn_masquerade() { # netns iptables|ip6tables subnet: natOutgoing of ovn-default
  nsx "$1" "$2-restore" --noflush <<EOF
*nat
:OVN-POSTROUTING - [0:0]
-A POSTROUTING -m comment --comment "kube-ovn postrouting rules" -j OVN-POSTROUTING
-A OVN-POSTROUTING -s $3 ! -d $3 -m comment --comment "natOutgoing of subnet ovn-default" -j MASQUERADE
COMMIT
EOF
}

# One nbctl transaction: the router, ovn-default with every pod, join with every node, the
# distributed gateway's policies and the Service load balancers, in each of the sandbox's families.
kube_ovn_nb_config() {
  local i j pod mac a=() ips4 ips6 lrp_pod=() lrp_join=() subnets=() gws=() join_subnets=() webs4=() webs6=()
  if has_v4; then
    lrp_pod+=("$KOVN_GW/16") lrp_join+=("$KOVN_JOIN_GW/16") subnets+=("$KOVN_SUBNET") gws+=("$KOVN_GW")
    join_subnets+=("$KOVN_JOIN")
  fi
  if has_v6; then
    lrp_pod+=("$KOVN_GW6/48") lrp_join+=("$KOVN_JOIN_GW6/64") subnets+=("$KOVN_SUBNET6") gws+=("$KOVN_GW6")
    join_subnets+=("$KOVN_JOIN6")
  fi
  a+=(-- lr-add ovn-cluster
    -- lrp-add ovn-cluster ovn-cluster-ovn-default "$(ip_mac "$KOVN_GW")" "${lrp_pod[@]}"
    -- lrp-add ovn-cluster ovn-cluster-join "$(ip_mac "$KOVN_JOIN_GW")" "${lrp_join[@]}"
    -- ls-add ovn-default -- set logical_switch ovn-default "other_config:subnet=\"$(IFS=,; echo "${subnets[*]}")\""
    "other_config:gateway=\"$(IFS=,; echo "${gws[*]}")\"" "other_config:exclude_ips=\"$(IFS=,; echo "${gws[*]}")\""
    external_ids:vendor=kube-ovn
    -- lsp-add ovn-default ovn-default-ovn-cluster -- lsp-set-type ovn-default-ovn-cluster router
    -- lsp-set-addresses ovn-default-ovn-cluster router
    -- lsp-set-options ovn-default-ovn-cluster router-port=ovn-cluster-ovn-default
    -- ls-add join -- set logical_switch join "other_config:subnet=\"$(IFS=,; echo "${join_subnets[*]}")\""
    external_ids:vendor=kube-ovn
    -- lsp-add join join-ovn-cluster -- lsp-set-type join-ovn-cluster router
    -- lsp-set-addresses join-ovn-cluster router -- lsp-set-options join-ovn-cluster router-port=ovn-cluster-join)
  if has_v4; then
    a+=(-- lr-route-add ovn-cluster 0.0.0.0/0 "$KOVN_JOIN_GW"
      -- lr-policy-add ovn-cluster 31000 "ip4.dst == $KOVN_SUBNET" allow
      -- lr-policy-add ovn-cluster 31000 "ip4.dst == $KOVN_JOIN" allow)
  fi
  if has_v6; then
    a+=(-- lr-route-add ovn-cluster ::/0 "$KOVN_JOIN_GW6"
      -- lr-policy-add ovn-cluster 31000 "ip6.dst == $KOVN_SUBNET6" allow
      -- lr-policy-add ovn-cluster 31000 "ip6.dst == $KOVN_JOIN6" allow)
  fi
  for ((i = 1; i <= NODES; i++)); do
    ips4=() ips6=()
    a+=(-- lsp-add join "node-node$i"
      -- lsp-set-addresses "node-node$i" "$(ip_mac "$(kube_ovn_join_ip "$i")") $(kube_ovn_join_ips "$i" | tr , ' ')"
      -- set logical_switch_port "node-node$i" external_ids:vendor=kube-ovn)
    if has_v4; then
      a+=(-- lr-policy-add ovn-cluster 30000 "ip4.dst == $(node_ip "$i")" reroute "$(kube_ovn_join_ip "$i")")
    fi
    if has_v6; then
      a+=(-- lr-policy-add ovn-cluster 30000 "ip6.dst == $(node_ip6 "$i")" reroute "$(kube_ovn_join_ip6 "$i")")
    fi
    for ((j = 1; j <= PODS_PER_NODE; j++)); do
      pod=$(pod_name "$i" "$j")
      mac=$(ip_mac "$(pod_ip "$i" "$j")")
      local addrs
      addrs=$(pod_ips "$i" "$j" | paste -sd' ')
      if has_v4; then ips4+=("$(pod_ip "$i" "$j")"); fi
      if has_v6; then ips6+=("$(pod_ip6 "$i" "$j")"); fi
      a+=(-- lsp-add ovn-default "$(kube_ovn_lsp "$pod")"
        -- lsp-set-addresses "$(kube_ovn_lsp "$pod")" "$mac $addrs"
        -- lsp-set-port-security "$(kube_ovn_lsp "$pod")" "$mac $addrs"
        -- set logical_switch_port "$(kube_ovn_lsp "$pod")" external_ids:pod="$POD_NAMESPACE/$pod"
        external_ids:ls=ovn-default external_ids:vendor=kube-ovn)
      if ((j == 1)); then
        if has_v4; then webs4+=("$(pod_ip "$i" "$j")"); fi
        if has_v6; then webs6+=("$(pod_ip6 "$i" "$j")"); fi
      fi
    done
    if has_v4; then
      a+=(-- create address_set "name=ovn.default.node${i}_ip4" "addresses=$(IFS=,; echo "${ips4[*]}")"
        -- lr-policy-add ovn-cluster 29000 "ip4.src == \$ovn.default.node${i}_ip4" reroute "$(kube_ovn_join_ip "$i")")
    fi
    if has_v6; then
      a+=(-- create address_set "name=ovn.default.node${i}_ip6" "addresses=$(IFS=,; printf '"%s"' "${ips6[*]}" | sed 's/,/","/g')"
        -- lr-policy-add ovn-cluster 29000 "ip6.src == \$ovn.default.node${i}_ip6" reroute "$(kube_ovn_join_ip6 "$i")")
    fi
  done
  nbctl "${a[@]}" >/dev/null
  # one load balancer per protocol holds the Service's VIP of every family
  local proto port lb w
  for proto in tcp udp; do
    port=80
    [[ $proto == udp ]] && port=53
    lb=cluster-$proto-loadbalancer
    if has_v4; then
      nbctl --may-exist lb-add "$lb" "$SVC_IP:$port" "$(printf '%s:'"$port"',' "${webs4[@]}" | sed 's/,$//')" "$proto" >/dev/null
    fi
    if has_v6; then
      w=$(printf '[%s]:'"$port"',' "${webs6[@]}" | sed 's/,$//')
      nbctl --may-exist lb-add "$lb" "[$SVC_IP6]:$port" "$w" "$proto" >/dev/null
    fi
    nbctl -- ls-lb-add ovn-default "$lb" -- ls-lb-add join "$lb" >/dev/null
  done
}

kube_ovn_network_ready() {
  local i j
  kube_ovn_nb_config
  nbctl --wait=hv sync
  for ((i = 1; i <= NODES; i++)); do
    nbctl wait-until logical_switch_port "node-node$i" up=true
    for ((j = 1; j <= PODS_PER_NODE; j++)); do
      nbctl wait-until logical_switch_port "$(kube_ovn_lsp "$(pod_name "$i" "$j")")" up=true
    done
  done
}
