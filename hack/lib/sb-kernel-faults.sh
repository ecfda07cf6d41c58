# shellcheck shell=bash
# Node-kernel faults for the kernel hop (issue 14). Each changes the real kernel of the node netns.
#   fw-drop    iptables -I FORWARD 1 [-d IP] -j DROP   (comment "podpath-fault"), fix deletes it
#   fw-reject  iptables -I FORWARD 1 [-d IP] -j REJECT (icmp-port-unreachable), fix deletes it
#   route      a host route "unreachable IP/32" in the node netns (default IP: the external
#              host), so the kernel has no route there; fix deletes it
#   eth0-down  `ip link set eth0 down` inside the node's web pod (web-I, a Service endpoint); fix
#              sets it up again and restores the pod's default route
#   conntrack-full  the node's OVS userspace conntrack (datapath netdev) gets maxconns 0, so its table
#              is full: connections it already tracks keep flowing, a NEW one is not admitted (OVN
#              then drops the new TCP connection's packets). Fix restores the saved limit. Kernel
#              conntrack cannot be filled per node here: nf_conntrack_max is read-only outside the
#              host's own netns, and the host's is shared by everything on the machine.
# --dst IP narrows the fault to one destination (default: any destination / the external host).
# IPv6 (--ip-family ipv6|dual): fw-* write the same rules with ip6tables (icmp6-port-unreachable)
# for IPv6 (every family the sandbox has without --dst), route an unreachable /128 (default: the
# external host's IPv6 address on an IPv6-only sandbox).

kernel_fault_known() {
  [[ $1 == fw-drop || $1 == fw-reject || $1 == route || $1 == eth0-down || $1 == conntrack-full ]]
}

ct_appctl() { ovs-appctl -t "$(vswitchd_ctl "$1")" "${@:2}"; }

kernel_fault() { # action fault node-index dst
  local action=$1 fault=$2 i=$3 dst=${4:-} ns
  ns=$(node_ns "$i")
  if [[ -n $dst ]]; then
    [[ $dst =~ ^([0-9]{1,3}\.){3}[0-9]{1,3}$ || $dst =~ ^[0-9a-fA-F:]+:[0-9a-fA-F:]*$ ]] ||
      die "$fault: --dst must be an IPv4 or IPv6 address: '$dst'"
  fi
  local fams=()
  if [[ $dst == *:* ]]; then fams=(6); elif [[ -n $dst ]]; then fams=(4); else
    if has_v4; then fams+=(4); fi
    if has_v6; then fams+=(6); fi
  fi
  case $fault in
    fw-drop | fw-reject)
      local tgt=(-j DROP) sel=() fam ipt
      if [[ $action == fix ]]; then fams=(4); if has_v6; then fams+=(6); fi; fi
      for fam in "${fams[@]}"; do
        ipt=iptables tgt=(-j DROP) sel=()
        [[ $fam == 6 ]] && ipt=ip6tables
        if [[ $fault == fw-reject ]]; then
          tgt=(-j REJECT --reject-with icmp-port-unreachable)
          [[ $fam == 6 ]] && tgt=(-j REJECT --reject-with icmp6-port-unreachable)
        fi
        [[ -n $dst ]] && sel=(-d "$dst/$([[ $fam == 6 ]] && echo 128 || echo 32)")
        local rule=("${sel[@]}" -m comment --comment "podpath-fault $fault" "${tgt[@]}")
        if [[ $action == break ]]; then
          nsx "$ns" "$ipt" -C FORWARD "${rule[@]}" 2>/dev/null || nsx "$ns" "$ipt" -I FORWARD 1 "${rule[@]}"
        else
          # remove every podpath-fault rule of this kind, whatever --dst it had
          local n
          while n=$(nsx "$ns" "$ipt" -S FORWARD | grep -n -- "podpath-fault $fault" | head -1 | cut -d: -f1) && [[ -n $n ]]; do
            nsx "$ns" "$ipt" -D FORWARD $((n - 1))
          done
        fi
      done
      FAULT_DETAIL="FORWARD ${dst:-any} ${tgt[*]}"
      ;;
    eth0-down)
      local pns
      pns=$(pod_ns "$(pod_name "$i" 1)")
      if [[ $action == break ]]; then
        nsx "$pns" ip link set eth0 down
      else
        # link down flushed the pod's routes and neighbours: put them back as the mode's CNI set
        # them (kube-ovn: one cluster subnet and gateway; aci: the router's link-local neighbour)
        local pgw=10.244.$i.1 plen6=64 pgw6
        pgw6=$(rtr_ip6 "$i")
        if mode_has pod_net; then read -r _ pgw < <("$(mode_fn pod_net)" "$i"); fi
        if mode_has pod_net6; then read -r plen6 pgw6 < <("$(mode_fn pod_net6)" "$i"); fi
        nsx "$pns" ip link set eth0 up
        if has_v4; then nsx "$pns" ip route replace default via "$pgw"; fi
        if has_v6; then # link down also flushed its IPv6 address (keep_addr_on_down=0)
          nsx "$pns" ip -6 addr replace "$(pod_ip6 "$i" 1)/$plen6" dev eth0 nodad
          nsx "$pns" ip -6 route replace default via "$pgw6" dev eth0
        fi
        if mode_has pod_routes; then "$(mode_fn pod_routes)" "$pns" "$i"; fi
      fi
      FAULT_DETAIL="eth0 of $(pod_name "$i" 1) $([[ $action == break ]] && echo down || echo up)"
      ;;
    conntrack-full)
      [[ $(vsctl "$i" get bridge br-int datapath_type) == netdev ]] ||
        die "conntrack-full: br-int on node$i is no userspace (netdev) datapath"
      local saved="$DIR/node$i/ct-maxconns"
      if [[ $action == break ]]; then
        [[ -f $saved ]] || ct_appctl "$i" dpctl/ct-get-maxconns >"$saved"
        ct_appctl "$i" dpctl/ct-set-maxconns 0 >/dev/null
      else
        ct_appctl "$i" dpctl/ct-set-maxconns "$(cat "$saved" 2>/dev/null || echo 3000000)" >/dev/null
        rm -f "$saved"
      fi
      FAULT_DETAIL="OVS conntrack maxconns $(ct_appctl "$i" dpctl/ct-get-maxconns)"
      ;;
    route)
      if [[ -z $dst ]]; then if has_v4; then dst=$EXT_IP; else dst=$EXT_IP6; fi; fi
      local len=32
      [[ $dst == *:* ]] && len=128
      if [[ $action == break ]]; then
        nsx "$ns" ip route replace unreachable "$dst/$len"
      else
        nsx "$ns" ip route del unreachable "$dst/$len" 2>/dev/null || true
      fi
      FAULT_DETAIL="unreachable $dst"
      ;;
  esac
}
