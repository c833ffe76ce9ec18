# Shared helpers of scripts/bench and scripts/bench-smoke (sourced, not run).
# Servers are started one at a time on a free 127.0.0.1 port and stopped by their own PID.

BENCH_JAR=framework/benchmarks/target/benchmarks.jar
DEMO_JAR=demo-app/target/demo-app.jar
# The same chat on the Servlet adapter: the Spring Boot sample (starwire-spring-boot-starter, Spring Boot's
# servlet container) and a plain Jetty servlet chat on starwire-servlet alone (in the benchmarks jar).
SPRING_JAR=samples/spring-chat/target/spring-chat.jar
SERVLET_CHAT=dev.starwire.bench.servlet.ServletChat
# The yardstick: the simplest correct chat server (one thread, one selector), kept beside the checkout.
YARDSTICK=../shared/bench/LimitChat.java
# JVM options of the Starwire servers (demo app, Spring sample, plain-servlet chat) under load: none by default,
# the jar runs as the README runs it (`java -jar demo-app/target/demo-app.jar`), so memory is measured with the
# JVM's default sizing.
STARWIRE_JAVA_OPTS="${STARWIRE_JAVA_OPTS:-}"

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

# start_server NAME PORT LOG: starts the server (starwire, spring, servlet, node or yardstick) in the background;
# sets SERVER_PID.
start_server() {
  local name=$1 port=$2 log=$3
  case "$name" in
    starwire)
      # shellcheck disable=SC2086
      PORT=$port HOST=127.0.0.1 java $STARWIRE_JAVA_OPTS -jar "$DEMO_JAR" >"$log" 2>&1 &
      ;;
    spring)
      # shellcheck disable=SC2086
      PORT=$port HOST=127.0.0.1 java $STARWIRE_JAVA_OPTS -jar "$SPRING_JAR" >"$log" 2>&1 &
      ;;
    servlet)
      # shellcheck disable=SC2086
      PORT=$port HOST=127.0.0.1 java $STARWIRE_JAVA_OPTS -cp "$BENCH_JAR" "$SERVLET_CHAT" >"$log" 2>&1 &
      ;;
    node)
      node bench/reference-node/server.js "$port" >"$log" 2>&1 &
      ;;
    yardstick)
      PORT=$port HOST=127.0.0.1 java -XX:+UseSerialGC "$YARDSTICK" >"$log" 2>&1 &
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

# equal_load WARMUP: sets EQUAL to the load tool's arguments of the equal-load scenario (C=2000 streams, R=30
# msg/s, 300 measured messages after WARMUP warm-up ones) and EQUAL_SECONDS to its hard limit; the warm-up gets
# its own time limit, a minute more than WARMUP takes at 30 msg/s
equal_load() {
  local warmup=$1
  EQUAL_SECONDS=$((warmup / 30 + 200))
  EQUAL=(--streams 2000 --messages 300 --rate 30 --warmup "$warmup" --warmup-seconds $((warmup / 30 + 60))
    --send-seconds 20 --drain-seconds 15 --timeout-seconds "$EQUAL_SECONDS")
}

# chat_load ARGS...: runs the load tool (bounded by its own limits).
chat_load() {
  java -Xss512k -Xmx1g -cp "$BENCH_JAR" dev.starwire.bench.load.ChatLoad "$@"
}

# busy_cores SECONDS: cores the whole machine kept busy over the next SECONDS (from /proc/stat)
busy_cores() {
  python3 - "$1" <<'PY'
import sys, time
def busy():
    f = [int(x) for x in open("/proc/stat").readline().split()[1:9]]
    return sum(f) - f[3] - f[4], sum(f)
b0, t0 = busy(); time.sleep(float(sys.argv[1])); b1, t1 = busy()
import os
print("%.2f" % ((b1 - b0) / max(1, t1 - t0) * os.cpu_count()))
PY
}

# wait_quiet: before a run, waits up to BENCH_QUIET_WAIT seconds (default 0: no waiting) until the other
# processes on the machine keep fewer than BENCH_QUIET_CORES cores busy (default 0.5); prints the busy cores seen
wait_quiet() {
  local deadline=$((SECONDS + ${BENCH_QUIET_WAIT:-0})) busy
  while :; do
    busy=$(busy_cores 3)
    if python3 -c "import sys; sys.exit(0 if $busy < ${BENCH_QUIET_CORES:-0.5} else 1)" || [ $SECONDS -ge $deadline ]; then
      break
    fi
    sleep 7
  done
  echo "$busy"
}
