# Shared helpers of scripts/bench and scripts/bench-smoke (sourced, not run).
# Servers are started one at a time on a free 127.0.0.1 port and stopped by their own PID.

BENCH_JAR=framework/benchmarks/target/benchmarks.jar
DEMO_JAR=demo-app/target/demo-app.jar
# JVM options of the Starwire demo app under load; the defaults are documented in docs/benchmarks.md.
STARWIRE_JAVA_OPTS="${STARWIRE_JAVA_OPTS:--XX:+UseSerialGC -Xms16m -Xmx128m -Xss256k -XX:MaxMetaspaceSize=96m -XX:ReservedCodeCacheSize=48m}"

raise_fd_limit() {
  local hard
  hard=$(ulimit -Hn)
  if [ "$hard" = unlimited ] || [ "$hard" -gt 65536 ]; then hard=65536; fi
  ulimit -n "$hard"
  if [ "$(ulimit -n)" -lt 12000 ]; then
    echo "warning: open files limit is $(ulimit -n); 10,000 idle streams need more than 10,000" >&2
  fi
}

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

# start_server NAME PORT LOG: starts the server in the background; sets SERVER_PID.
start_server() {
  local name=$1 port=$2 log=$3
  case "$name" in
    starwire)
      # shellcheck disable=SC2086
      PORT=$port HOST=127.0.0.1 java $STARWIRE_JAVA_OPTS -jar "$DEMO_JAR" >"$log" 2>&1 &
      ;;
    node)
      node bench/reference-node/server.js "$port" >"$log" 2>&1 &
      ;;
    *) echo "unknown server $name" >&2; return 1 ;;
  esac
  SERVER_PID=$!
  local i
  for i in $(seq 1 240); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      return 0
    fi
    if ! kill -0 "$SERVER_PID" 2>/dev/null; then
      echo "$name server exited during startup:" >&2
      cat "$log" >&2
      return 1
    fi
    sleep 0.25
  done
  echo "$name server did not open port $port within 60 s" >&2
  stop_server
  return 1
}

stop_server() {
  if [ -n "${SERVER_PID:-}" ] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill "$SERVER_PID" 2>/dev/null || true
    local i
    for i in $(seq 1 40); do
      kill -0 "$SERVER_PID" 2>/dev/null || break
      sleep 0.25
    done
    kill -9 "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
  fi
  SERVER_PID=
}

# chat_load ARGS...: runs the load tool (bounded by its own limits).
chat_load() {
  java -Xss512k -Xmx1g -cp "$BENCH_JAR" dev.starwire.bench.load.ChatLoad "$@"
}
