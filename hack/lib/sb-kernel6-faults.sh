# shellcheck shell=bash
# IPv6 node-kernel faults for the kernel hop (--ip-family ipv6|dual), the ip6tables twins of
# sb-kernel-faults.sh's. Each changes the real kernel of the node netns.
#   fw6-drop    ip6tables -I FORWARD 1 [-d IP/128] -j DROP (comment "podpath-fault"), fix deletes it
#   fw6-reject  ip6tables -I FORWARD 1 [-d IP/128] -j REJECT --reject-with icmp6-port-unreachable
#   route6      a host route "unreachable IP/128" in the node netns (default IP: the external host's
#               IPv6 address), so the kernel has no IPv6 route there; fix deletes it
# --dst IP (an IPv6 address) narrows the fault to one destination.

kernel6_fault_known() { [[ $1 == fw6-drop || $1 == fw6-reject || $1 == route6 ]]; }

kernel6_fault() { # action fault node-index dst
  local action=$1 fault=$2 i=$3 dst=${4:-} ns
  ns=$(node_ns "$i")
  has_v6 || die "$fault: an IPv4 sandbox has no IPv6 (up --ip-family ipv6|dual)"
  if [[ -n $dst ]]; then
    [[ $dst =~ ^[0-9a-fA-F:]+$ && $dst == *:* ]] || die "$fault: --dst must be an IPv6 address: '$dst'"
  fi
  case $fault in
    fw6-drop | fw6-reject)
      local tgt=(-j DROP) sel=()
      [[ $fault == fw6-reject ]] && tgt=(-j REJECT --reject-with icmp6-port-unreachable)
      [[ -n $dst ]] && sel=(-d "$dst/128")
      local rule=("${sel[@]}" -m comment --comment "podpath-fault $fault" "${tgt[@]}")
      if [[ $action == break ]]; then
        nsx "$ns" ip6tables -C FORWARD "${rule[@]}" 2>/dev/null || nsx "$ns" ip6tables -I FORWARD 1 "${rule[@]}"
      else
        local n
        while n=$(nsx "$ns" ip6tables -S FORWARD | grep -n -- "podpath-fault $fault" | head -1 | cut -d: -f1) && [[ -n $n ]]; do
          nsx "$ns" ip6tables -D FORWARD $((n - 1))
        done
      fi
      FAULT_DETAIL="ip6tables FORWARD ${dst:-any} ${tgt[*]}"
      ;;
    route6)
      [[ -n $dst ]] || dst=$EXT_IP6
      if [[ $action == break ]]; then
        nsx "$ns" ip -6 route replace unreachable "$dst/128"
      else
        nsx "$ns" ip -6 route del unreachable "$dst/128" 2>/dev/null || true
      fi
      FAULT_DETAIL="unreachable $dst/128"
      ;;
  esac
}
