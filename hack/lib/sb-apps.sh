# shellcheck shell=bash
# TLS material (openssl), one podpath agent per node (inside the node netns) and the aggregator (root
# netns), started only when their jars exist. Pidfiles and logs live in $DIR/apps.

AGENT_JAR="$ROOT/agent/target/podpath-agent.jar"
AGG_JAR="$ROOT/aggregator/target/podpath.jar"
APPS_READY_TIMEOUT=${PODPATH_SANDBOX_APPS_TIMEOUT:-90}
JAVA_LEAN=(-Xmx64m -Xms8m -XX:+UseSerialGC -Xss256k -XX:TieredStopAtLevel=1 -XX:ReservedCodeCacheSize=16m
  -XX:MaxMetaspaceSize=64m -XX:CICompilerCount=1 -XX:MaxDirectMemorySize=32m
  -Dio.netty.allocator.type=unpooled -Dio.grpc.netty.shaded.io.netty.allocator.type=unpooled)
# The agents run what the chart ships (charts/podpath/values.yaml agent.javaToolOptions and the
# DaemonSet's MALLOC_ARENA_MAX) minus -XX:+ExitOnOutOfMemoryError, so hack/bench's B4 measures it.
AGENT_ENV=(MALLOC_ARENA_MAX=2)
AGENT_JAVA=(-Xmx64m -Xms8m -Xmn4m -XX:MinHeapFreeRatio=10 -XX:MaxHeapFreeRatio=20 -XX:+UseSerialGC -Xss256k
  -XX:TieredStopAtLevel=1 -XX:ReservedCodeCacheSize=16m -XX:MaxMetaspaceSize=64m
  -XX:CICompilerCount=1 -XX:MaxDirectMemorySize=32m -XX:-UsePerfData
  -Dio.grpc.netty.shaded.io.netty.allocator.type=unpooled)

tls_cert() { # name subject-cn san ext-key-usage
  local t="$DIR/tls" name=$1
  openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout "$t/$name.key" \
    -out "$t/$name.csr" -subj "/O=podpath-sandbox/CN=$2" 2>/dev/null
  printf 'basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=%s\nsubjectAltName=%s\n' \
    "$4" "$3" >"$t/$name.ext"
  openssl x509 -req -in "$t/$name.csr" -CA "$t/ca.crt" -CAkey "$t/ca.key" -set_serial "0x$(openssl rand -hex 8)" \
    -days 365 -sha256 -extfile "$t/$name.ext" -out "$t/$name.crt" 2>/dev/null
  rm -f "$t/$name.csr" "$t/$name.ext"
  chmod 600 "$t/$name.key"
}

tls_up() {
  local t="$DIR/tls" i
  mkdir -p "$t"
  chmod 700 "$t"
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout "$t/ca.key" -out "$t/ca.crt" \
    -days 3650 -sha256 -subj "/O=podpath-sandbox/CN=podpath sandbox $P CA" \
    -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" 2>/dev/null
  for ((i = 1; i <= NODES; i++)); do
    tls_cert "node$i" "node$i" "IP:$(node_ip "$i"),DNS:node$i" serverAuth,clientAuth
  done
  tls_cert aggregator podpath-aggregator "IP:127.0.0.1,DNS:localhost,DNS:podpath-aggregator" serverAuth,clientAuth
  tls_cert cli podpath-cli "DNS:podpath-cli" clientAuth
}

wait_app() { # pidfile host port: until the port accepts (from the root netns) or the process exits
  local deadline=$((SECONDS + APPS_READY_TIMEOUT))
  while ((SECONDS < deadline)); do
    pidfile_alive "$1" || return 1
    timeout 1 bash -c "exec 3<>/dev/tcp/$2/$3" 2>/dev/null && return 0
    sleep 0.2
  done
  return 1
}

apps_up() {
  [[ -f $DIR/tls/ca.crt ]] || tls_up
  local a="$DIR/apps" i java
  mkdir -p "$a"
  java=$(command -v java || true)
  # live traces and probes may send to ext: its IPv4 address, and its IPv6 one when it has one
  local allow=(--probe-allow "$EXT_IP/32")
  if has_v6; then allow+=(--probe-allow "$EXT_IP6/128"); fi
  if [[ -f $AGENT_JAR && -n $java ]]; then
    for ((i = 1; i <= NODES; i++)); do
      spawn "$(node_ns "$i")" "$a/agent-node$i.pid" "$a/agent-node$i.log" env "${AGENT_ENV[@]}" "$java" "${AGENT_JAVA[@]}" \
        -jar "$AGENT_JAR" --node-name "node$i" --ovs-rundir "$(node_dir "$i")/run" \
        --listen 0.0.0.0:9443 --metrics-listen 0.0.0.0:9444 \
        --tls-cert "$DIR/tls/node$i.crt" --tls-key "$DIR/tls/node$i.key" --tls-ca "$DIR/tls/ca.crt" \
        --tls-client-name podpath-aggregator "${allow[@]}"
    done
    for ((i = 1; i <= NODES; i++)); do
      wait_app "$a/agent-node$i.pid" "$(node_ip "$i")" 9443 || {
        tail -20 "$a/agent-node$i.log" >&2
        die "agent on node$i exited or not listening on $(node_ip "$i"):9443 within ${APPS_READY_TIMEOUT}s (log: $a/agent-node$i.log)"
      }
    done
    log "agents ready on :9443 (logs in $a)"
  else
    log "no $AGENT_JAR (or no java): agents not started"
  fi
  if [[ -f $AGG_JAR && -n $java ]]; then
    local args=(serve --snapshot "$DIR/cluster.yaml")
    for ((i = 1; i <= NODES; i++)); do args+=(--agent "node$i=$(node_ip "$i"):9443"); done
    args+=(--listen "127.0.0.1:$((7400 + K))" --http-listen "127.0.0.1:$((7500 + K))"
      --tls-cert "$DIR/tls/aggregator.crt" --tls-key "$DIR/tls/aggregator.key" --tls-ca "$DIR/tls/ca.crt")
    spawn root "$a/aggregator.pid" "$a/aggregator.log" "$java" "${JAVA_LEAN[@]}" -jar "$AGG_JAR" "${args[@]}"
    wait_app "$a/aggregator.pid" 127.0.0.1 $((7400 + K)) || {
      tail -20 "$a/aggregator.log" >&2
      die "aggregator exited or not listening on 127.0.0.1:$((7400 + K)) within ${APPS_READY_TIMEOUT}s (log: $a/aggregator.log)"
    }
    log "aggregator ready on 127.0.0.1:$((7400 + K)) (http $((7500 + K)))"
  else
    log "no $AGG_JAR (or no java): aggregator not started"
  fi
}

apps_down() { # stop agents and aggregator only (by their pidfiles)
  local pf pid
  for pf in "$DIR"/apps/*.pid; do
    [[ -f $pf ]] || continue
    pid=$(cat "$pf")
    if pid_is_ours "$pid"; then kill -TERM "$pid" 2>/dev/null || true; fi
  done
  local deadline=$((SECONDS + 5))
  for pf in "$DIR"/apps/*.pid; do
    [[ -f $pf ]] || continue
    pid=$(cat "$pf")
    while pid_is_ours "$pid" && ((SECONDS < deadline)); do sleep 0.1; done
    if pid_is_ours "$pid"; then kill -KILL "$pid" 2>/dev/null || true; fi
    rm -f "$pf"
  done
}

cmd_apps() {
  case ${1:-} in
    up) apps_up ;;
    down) apps_down ;;
    restart) apps_down; apps_up ;;
    *) die "apps up|down|restart" ;;
  esac
}
