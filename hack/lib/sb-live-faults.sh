# shellcheck shell=bash
# Faults for the live trace (issue 16): in the underlay, where no node's model can see them.
#   underlay-drop  the fabric switch drops Geneve/VXLAN frames (UDP 6081/4789) it would forward to
#                  node I's port n<I> (ebtables FORWARD rules in the fabric netns);
#                  ARP, the agents' gRPC and everything else still pass. fix
#                  deletes the rules.

live_fault_known() { [[ $1 == underlay-drop ]]; }

live_fault() { # action fault node-index
  local action=$1 i=$3 port
  port="n$i"
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
