# shellcheck shell=bash
# Shared variables and bookkeeping for hack/sandbox. Sourced, never executed.
#
# Every name the sandbox creates is appended to a list in the state dir BEFORE it is created, so that
# `down` can remove a half-built sandbox after a crash and never touches anything it did not record.

PY=/usr/bin/python3
P=${PODPATH_SANDBOX_PREFIX:-pp}
K=${PODPATH_SANDBOX_INDEX:-0}
DIR=${PODPATH_SANDBOX_DIR:-/run/podpath-sandbox/$P}

[[ $P =~ ^[a-z][a-z0-9]{0,2}$ ]] || die "PODPATH_SANDBOX_PREFIX must be 1-3 chars [a-z0-9], starting with a letter: '$P'"
[[ $K =~ ^([0-9]|[1-9][0-9])$ ]] || die "PODPATH_SANDBOX_INDEX must be 0-99: '$K'"

SUB="172.31.$K"
CENTRAL_IP="$SUB.2"
EXT_IP="$SUB.200"
HOST_IP="$SUB.254"
SVC_IP="10.96.0.10"
FABRIC_NS="$P-fabric"
CENTRAL_NS="$P-central"
EXT_NS="$P-ext"
HOST_LINK="$P-host"
CDIR="$DIR/central"
POD_NAMESPACE=default

log() { printf '%s sandbox[%s]: %s\n' "$(date +%H:%M:%S.%3N)" "$P" "$*" >&2; }

node_ip() { echo "$SUB.$((10 + $1))"; }
node_ns() { echo "$P-node$1"; }
node_dir() { echo "$DIR/node$1"; }
pod_subnet() { echo "10.244.$1.0/24"; }
# OVN-Kubernetes derives MACs from IPv4 addresses: 0a:58 + the four octets.
ip_mac() {
  local IFS=.
  # shellcheck disable=SC2086
  set -- $1
  printf '0a:58:%02x:%02x:%02x:%02x' "$1" "$2" "$3" "$4"
}
pod_name() { # node pod-index
  case $2 in
    1) echo "web-$1" ;;
    2) echo "client-$1" ;;
    *) echo "pod-$1-$2" ;;
  esac
}
pod_ip() { echo "10.244.$1.$((2 + $2))"; }
# --ip-family ipv4|ipv6|dual (state IP_FAMILY). IPv6 plan: pods fd00:10:244:<i>::/64 (router ::1,
# management port ::2, pods ::(2+j) in hex), Service fd00:10:96::a, underlay fd00:172:31:<K>::/64 beside
# the IPv4 underlay (Geneve stays on IPv4). MACs always follow the IPv4 plan, so they stay unique.
has_v4() { [[ ${IP_FAMILY:-ipv4} != ipv6 ]]; }
has_v6() { [[ ${IP_FAMILY:-ipv4} != ipv4 ]]; }
# --underlay ipv6 (state UNDERLAY): Geneve between the nodes' IPv6 underlay addresses
underlay_v6() { [[ ${UNDERLAY:-ipv4} == ipv6 ]]; }
node_encap() { if underlay_v6; then node_ip6 "$1"; else node_ip "$1"; fi; }
SVC_IP6="fd00:10:96::a"
SUB6="fd00:172:31:$K"
EXT_IP6="$SUB6::200"
pod_subnet6() { echo "fd00:10:244:$1::/64"; }
pod_ip6() { printf 'fd00:10:244:%s::%x\n' "$1" "$((2 + $2))"; }
rtr_ip6() { echo "fd00:10:244:$1::1"; }
mgmt_ip6() { echo "fd00:10:244:$1::2"; }
node_ip6() { echo "$SUB6::$((10 + $1))"; }
# A pod's (node's subnets) addresses, the sandbox's first family first: ipv4, ipv6 or both.
pod_ips() { # node pod-index
  if has_v4; then pod_ip "$1" "$2"; fi
  if has_v6; then pod_ip6 "$1" "$2"; fi
}
node_subnets() { # node
  if has_v4; then echo "10.244.$1.0/24"; fi
  if has_v6; then pod_subnet6 "$1"; fi
}
# IPv6 on one interface of a netns whose other interfaces keep it off (the node: only br-phy and the
# management port speak IPv6, so host-side veths send no router or neighbour solicitations).
v6_on() { # netns ifname
  nsx "$1" sysctl -q -w "net.ipv6.conf.$2.disable_ipv6=0" "net.ipv6.conf.$2.accept_dad=0" \
    "net.ipv6.conf.$2.accept_ra=0" >/dev/null
}
# Per-mode hooks: a CNI mode file (sb-sdn.sh, ...) defines <mode>_NAME to change one step.
mode_fn() { echo "${MODE//-/_}_$1"; }
# The modes that run real OVN (central NB/SB and ovn-controller on every node)
ovn_based() { [[ $MODE == ovn || $MODE == kube-ovn ]]; }
mode_has() { [[ -n ${MODE:-} ]] && declare -F "$(mode_fn "$1")" >/dev/null; }
# The Kubernetes namespace of a pod: `default`, except where a CNI mode needs tenants (sb-sdn.sh).
pod_k8s_ns() {
  if mode_has k8s_ns; then "$(mode_fn k8s_ns)" "$1"; else echo "$POD_NAMESPACE"; fi
}
pod_ns() { echo "$P-$(pod_k8s_ns "$1")-$1"; }
# Host-side interface named like a CRI sandbox id prefix (what OVN-K's CNI does); the agent must
# locate pods by iface-id, not by a guessable name. A CNI mode may name it its own way.
pod_hostif() {
  if mode_has hostif; then "$(mode_fn hostif)" "$1"; return; fi
  printf '%s' "$(pod_k8s_ns "$1")/$1" | sha1sum | cut -c1-15
}
vsctl() { ovs-vsctl --db="unix:$(node_dir "$1")/run/db.sock" --timeout=20 "${@:2}"; }
nbctl() { ovn-nbctl --db="unix:$CDIR/ovnnb_db.sock" --timeout=30 "$@"; }
sbctl() { ovn-sbctl --db="unix:$CDIR/ovnsb_db.sock" --timeout=30 "$@"; }
nsx() { local ns=$1; shift; ip netns exec "$ns" "$@"; }
vswitchd_ctl() { # node -> path of ovs-vswitchd.<pid>.ctl
  local d; d=$(node_dir "$1")/run
  echo "$d/ovs-vswitchd.$(cat "$d/ovs-vswitchd.pid").ctl"
}

load_state() {
  [[ -f $DIR/state ]] || die "no sandbox '$P' at $DIR (run: hack/sandbox up)"
  # shellcheck disable=SC1091
  source "$DIR/state"
}

record() { # list-name value: remember a name before creating it
  printf '%s\n' "$2" >>"$DIR/$1.list"
}

mk_netns() {
  record netns "$1"
  ip netns add "$1"
  ip -n "$1" link set lo up
  nsx "$1" sysctl -q -w net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1 >/dev/null
  # IPv6 sandboxes: on for lo; each interface that carries an address turns it on itself (v6_on)
  if has_v6; then nsx "$1" sysctl -q -w net.ipv6.conf.lo.disable_ipv6=0 >/dev/null; fi
}

# A daemon is "ours" when its command line mentions our state dir; anything else with a recycled pid
# is left alone. Zombies count as dead (PID 1 reaps detached daemons late).
pid_is_ours() {
  local pid=$1 st
  [[ $pid =~ ^[0-9]+$ ]] || return 1
  [[ -r /proc/$pid/stat ]] || return 1
  st=$(awk '{print $3}' "/proc/$pid/stat" 2>/dev/null) || return 1
  [[ $st != Z ]] || return 1
  tr '\0' ' ' 2>/dev/null <"/proc/$pid/cmdline" | grep -qF "$DIR/"
}

pidfile_alive() {
  [[ -f $1 ]] && pid_is_ours "$(cat "$1" 2>/dev/null)"
}

# Start a long-running process in a netns with stdio detached; its pid goes to a recorded pidfile.
spawn() { # netns pidfile logfile argv...
  local ns=$1 pf=$2 lf=$3
  shift 3
  record pidfiles "$pf"
  if [[ $ns == root ]]; then
    setsid "$@" </dev/null >>"$lf" 2>&1 &
  else
    setsid ip netns exec "$ns" "$@" </dev/null >>"$lf" 2>&1 &
  fi
  echo $! >"$pf"
}

wait_tcp() { # netns host port timeout-seconds
  local ns=$1 host=$2 port=$3 deadline=$((SECONDS + $4))
  while ((SECONDS < deadline)); do
    if [[ $ns == root ]]; then
      timeout 1 bash -c "exec 3<>/dev/tcp/$host/$port" 2>/dev/null && return 0
    else
      nsx "$ns" timeout 1 bash -c "exec 3<>/dev/tcp/$host/$port" 2>/dev/null && return 0
    fi
    sleep 0.2
  done
  return 1
}

wait_file() { # path timeout-seconds
  local deadline=$((SECONDS + $2))
  while ((SECONDS < deadline)); do
    [[ -s $1 ]] && return 0
    sleep 0.05
  done
  return 1
}

txoff() { # netns ifname: userspace OVS does not fill in offloaded checksums (docs/platform-facts.md)
  nsx "$1" ethtool -K "$2" tx off >/dev/null 2>&1 || log "warning: ethtool -K $2 tx off failed in $1"
}
