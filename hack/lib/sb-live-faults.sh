# shellcheck shell=bash
# Faults for the live trace (issue 16): where no node's model can see them.
#   underlay-drop  the fabric switch drops Geneve/VXLAN frames (UDP 6081/4789) it would forward to
#                  node I's port n<I> (ebtables FORWARD rules in the fabric netns);
#                  ARP, the agents' gRPC and everything else still pass. fix
#                  deletes the rules.
#   underlay-flaky the fabric switch drops every other tunnel frame (UDP 6081/4789) toward node
#                  I's port n<I> (nft bridge table podpath_flaky in the fabric netns, `numgen inc
#                  mod 2`: the first frame after break is dropped, the next passes, ...): an
#                  intermittent loss, for `trace --live --count N`. fix deletes the table.
#   nft-drop       a table of node I's own nftables (not iptables: `nft`, table inet podpath_live)
#                  drops what the node forwards to the external host; iptables-save, which the
#                  agent's kernel model reads, does not print it. fix deletes the table.

live_fault_known() { [[ $1 == underlay-drop || $1 == underlay-flaky || $1 == nft-drop ]]; }

live_fault() { # action fault node-index
  local action=$1 fault=$2 i=$3 port
  if [[ $fault == nft-drop ]]; then
    local ns
    ns=$(node_ns "$i")
    if [[ $action == break ]]; then
      nsx "$ns" nft -f - <<NFT
table inet podpath_live {
  chain forward {
    type filter hook forward priority -10; policy accept;
    ip daddr $EXT_IP counter drop
  }
}
NFT
    else
      nsx "$ns" nft delete table inet podpath_live 2>/dev/null || true
    fi
    FAULT_DETAIL="nft table inet podpath_live in $ns: forwarded packets to $EXT_IP $([[ $action == break ]] && echo dropped || echo pass again)"
    return
  fi
  port="n$i"
  if [[ $fault == underlay-flaky ]]; then
    if [[ $action == break ]]; then
      nsx "$FABRIC_NS" nft delete table bridge podpath_flaky 2>/dev/null || true
      nsx "$FABRIC_NS" nft -f - <<NFT
table bridge podpath_flaky {
  chain forward {
    type filter hook forward priority -10; policy accept;
    oifname "$port" udp dport { 6081, 4789 } numgen inc mod 2 0 counter drop
  }
}
NFT
    else
      nsx "$FABRIC_NS" nft delete table bridge podpath_flaky 2>/dev/null || true
    fi
    FAULT_DETAIL="nft bridge table podpath_flaky in $FABRIC_NS: $([[ $action == break ]] && echo "every other tunnel frame to port $port dropped" || echo "tunnel frames to port $port pass again")"
    return
  fi
  for udp in 6081 4789; do
    local rule=(FORWARD -o "$port" -p IPv4 --ip-proto udp --ip-dport "$udp" -j DROP)
    if [[ $action == break ]]; then
      nsx "$FABRIC_NS" ebtables -A "${rule[@]}"
    else
      while nsx "$FABRIC_NS" ebtables -D "${rule[@]}" 2>/dev/null; do :; done
    fi
  done
  FAULT_DETAIL="ebtables in $FABRIC_NS: tunnel frames to port $port $([[ $action == break ]] && echo dropped || echo pass again)"
}
