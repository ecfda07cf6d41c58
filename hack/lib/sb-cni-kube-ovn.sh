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

CNI_MODES+=" kube-ovn"

KOVN_SUBNET=10.244.0.0/16
KOVN_GW=10.244.0.1
KOVN_JOIN=100.64.0.0/16
KOVN_JOIN_GW=100.64.0.1

kube_ovn_join_ip() { echo "100.64.0.$((1 + $1))"; }
kube_ovn_lsp() { echo "$1.$POD_NAMESPACE"; } # pod -> its LSP name and iface-id

# the CNI's host veth: the container id's first 12 hex characters + _h
kube_ovn_hostif() {
  printf '%s_h' "$(printf 'container/%s/%s' "$POD_NAMESPACE" "$1" | sha256sum | cut -c1-12)"
}

# one switch for the cluster: every pod is on-link in 10.244.0.0/16 behind 10.244.0.1
kube_ovn_pod_net() { echo "16 $KOVN_GW"; }

kube_ovn_pod_port_args() { # node j pod hostif ip mac
  local pod=$3 hif=$4 pip=$5
  printf '%s\n' -- add-port br-int "$hif" -- set interface "$hif" \
    "external_ids:iface-id=$(kube_ovn_lsp "$pod")" external_ids:vendor=kube-ovn \
    "external_ids:pod_name=$pod" "external_ids:pod_namespace=$POD_NAMESPACE" \
    "external_ids:ip=\"$pip\"" "external_ids:pod_netns=/var/run/netns/$(pod_ns "$pod")"
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
    external_ids:ovn-encap-ip="$ip" external_ids:ovn-bridge-datapath-type=netdev \
    external_ids:ovn-remote-probe-interval=10000 \
    -- add-port br-int ovn0 -- set interface ovn0 type=internal mtu_request="$POD_MTU" \
    external_ids:iface-id="node-node$i" external_ids:ip="\"$jip\""
  ip -n "$ns" link set ovn0 address "$(ip_mac "$jip")" up
  ip -n "$ns" addr add "$jip/16" dev ovn0
  ip -n "$ns" route add "$KOVN_SUBNET" via "$KOVN_JOIN_GW" dev ovn0
  ip -n "$ns" route add 10.96.0.0/16 via "$KOVN_JOIN_GW" dev ovn0
  txoff "$ns" ovn0
  nsx "$ns" iptables-restore --noflush <<EOF
*nat
:OVN-POSTROUTING - [0:0]
-A POSTROUTING -m comment --comment "kube-ovn postrouting rules" -j OVN-POSTROUTING
-A OVN-POSTROUTING -s $KOVN_SUBNET ! -d $KOVN_SUBNET -m comment --comment "natOutgoing of subnet ovn-default" -j MASQUERADE
COMMIT
EOF
  record pidfiles "$d/ovn/ovn-controller.pid"
  nsx "$ns" env OVS_RUNDIR="$d/run" OVN_RUNDIR="$d/ovn" OVS_LOGDIR="$d/log" \
    ovn-controller "unix:$d/run/db.sock" --pidfile="$d/ovn/ovn-controller.pid" --detach --no-chdir -vconsole:off \
    --log-file="$d/log/ovn-controller.log"
}

# One nbctl transaction: the router, ovn-default with every pod, join with every node, the
# distributed gateway's policies and the Service load balancers.
kube_ovn_nb_config() {
  local i j pod pip mac a=() webs_tcp=() webs_udp=() ips
  a+=(-- lr-add ovn-cluster
    -- lrp-add ovn-cluster ovn-cluster-ovn-default "$(ip_mac "$KOVN_GW")" "$KOVN_GW/16"
    -- lrp-add ovn-cluster ovn-cluster-join "$(ip_mac "$KOVN_JOIN_GW")" "$KOVN_JOIN_GW/16"
    -- ls-add ovn-default -- set logical_switch ovn-default other_config:subnet="$KOVN_SUBNET"
    other_config:gateway="$KOVN_GW" other_config:exclude_ips="$KOVN_GW" external_ids:vendor=kube-ovn
    -- lsp-add ovn-default ovn-default-ovn-cluster -- lsp-set-type ovn-default-ovn-cluster router
    -- lsp-set-addresses ovn-default-ovn-cluster router
    -- lsp-set-options ovn-default-ovn-cluster router-port=ovn-cluster-ovn-default
    -- ls-add join -- set logical_switch join other_config:subnet="$KOVN_JOIN"
    other_config:gateway="$KOVN_JOIN_GW" external_ids:vendor=kube-ovn
    -- lsp-add join join-ovn-cluster -- lsp-set-type join-ovn-cluster router
    -- lsp-set-addresses join-ovn-cluster router -- lsp-set-options join-ovn-cluster router-port=ovn-cluster-join
    -- lr-route-add ovn-cluster 0.0.0.0/0 "$KOVN_JOIN_GW"
    -- lr-policy-add ovn-cluster 31000 "ip4.dst == $KOVN_SUBNET" allow
    -- lr-policy-add ovn-cluster 31000 "ip4.dst == $KOVN_JOIN" allow)
  for ((i = 1; i <= NODES; i++)); do
    ips=()
    a+=(-- lsp-add join "node-node$i"
      -- lsp-set-addresses "node-node$i" "$(ip_mac "$(kube_ovn_join_ip "$i")") $(kube_ovn_join_ip "$i")"
      -- set logical_switch_port "node-node$i" external_ids:vendor=kube-ovn
      -- lr-policy-add ovn-cluster 30000 "ip4.dst == $(node_ip "$i")" reroute "$(kube_ovn_join_ip "$i")")
    for ((j = 1; j <= PODS_PER_NODE; j++)); do
      pod=$(pod_name "$i" "$j")
      pip=$(pod_ip "$i" "$j")
      mac=$(ip_mac "$pip")
      ips+=("$pip")
      a+=(-- lsp-add ovn-default "$(kube_ovn_lsp "$pod")"
        -- lsp-set-addresses "$(kube_ovn_lsp "$pod")" "$mac $pip"
        -- lsp-set-port-security "$(kube_ovn_lsp "$pod")" "$mac $pip"
        -- set logical_switch_port "$(kube_ovn_lsp "$pod")" external_ids:pod="$POD_NAMESPACE/$pod"
        external_ids:ls=ovn-default external_ids:vendor=kube-ovn)
      if ((j == 1)); then
        webs_tcp+=("$pip:80")
        webs_udp+=("$pip:53")
      fi
    done
    a+=(-- create address_set "name=ovn.default.node${i}_ip4" "addresses=$(IFS=,; echo "${ips[*]}")"
      -- lr-policy-add ovn-cluster 29000 "ip4.src == \$ovn.default.node${i}_ip4" reroute "$(kube_ovn_join_ip "$i")")
  done
  local IFS=,
  a+=(-- lb-add cluster-tcp-loadbalancer "$SVC_IP:80" "${webs_tcp[*]}" tcp
    -- lb-add cluster-udp-loadbalancer "$SVC_IP:53" "${webs_udp[*]}" udp)
  unset IFS
  for lb in cluster-tcp-loadbalancer cluster-udp-loadbalancer; do
    a+=(-- ls-lb-add ovn-default "$lb" -- ls-lb-add join "$lb")
  done
  nbctl "${a[@]}" >/dev/null
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
