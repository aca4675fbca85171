#!/usr/bin/env bash
# Side-by-side benchmark: jemq and Mosquitto under the same load generator, each broker pinned to one core and the
# load generator to the other, rounds alternating between the brokers, a fresh broker for every run.
#
#   bench/compare.sh                                  all scenarios, 3 rounds, 10 s each
#   bench/compare.sh --quick                          1 short round, to see that everything works
#   bench/compare.sh --brokers mosquitto --scenarios fanin,latency --rounds 5
#   bench/compare.sh --scenarios fanin-tls,fanin-ws   fan-in over TLS and over WebSocket (not in the default list)
#   JEMQ_CMD='/opt/jemq/bin/jemq console' bench/compare.sh
#   JEMQ_TRACE_IDLE=1 bench/compare.sh --brokers jemq  jemq with one idle client traced (ctl trace client) beside the
#                                                     load: compare with a run without it
#   bench/compare.sh --scenarios qos1 --brokers jemq,jemq-memory,mosquitto --persistent
#                                                     QoS 1 with persistent sessions: jemq on its disk store (the
#                                                     default), on its memory store, and Mosquitto with persistence on
#   bench/compare.sh --brokers jemq-cluster,jemq-memory --scenarios fanin,latency
#                                                     two jemq nodes in a cluster (publishers on node 1, subscribers on
#                                                     node 2) against one node: docs/performance.md "Cluster (issue 15)"
#
# Results: one key=value line per run as it finishes, then a table (median and min-max over rounds, and the median of
# the per-round jemq/mosquitto ratios). See docs/performance.md for what each scenario measures.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
JAR=$ROOT/bench/target/jemq-bench.jar

ROUNDS=3
SCENARIOS=fanin,fanout,qos1,latency,idle
BROKERS=jemq,mosquitto
DURATION=10
# jemq's JIT shares the broker's one pinned core: after 5 s it was still compiling the hot path, and the latency
# scenario's 10,000 msg/s reach the compile thresholds later than a flood does (docs/performance.md)
WARMUP=          # set by --warmup; else WARMUP_DEFAULT, and LATENCY_WARMUP_DEFAULT for latency
WARMUP_DEFAULT=20
LATENCY_WARMUP_DEFAULT=40
CONNECTIONS=15000
OUT=
BROKER_CPU=${BROKER_CPU:-0}
LOADGEN_CPU=${LOADGEN_CPU:-1}
LOADGEN_JAVA_OPTS=${LOADGEN_JAVA_OPTS:--Xms256m -Xmx2g}
# Mosquitto's queue and in-flight limits: no QoS 1 message dropped, the same 32-message window as EMQ's default
INFLIGHT=32
MAX_QUEUED=1000000
# How jemq is started in the foreground. The script adds --set options that put the listener the run measures on
# 127.0.0.1:PORT and every other listener of the shipped etc/emq.conf on 127.0.0.1:0, so no fixed port can collide with
# another run; @LISTENERS@ says where they go if not at the end. A command that says @PORT@ (and not @LISTENERS@) gets
# only the port and places the listeners itself. A single variable so it can be pointed anywhere.
JEMQ_CMD=${JEMQ_CMD:-}
# jemq's development certificate: Mosquitto serves it too in fanin-tls
CERTS=$ROOT/etc/certs
# --persistent: every client asks for a persistent session, Mosquitto runs with persistence on
PERSISTENT=

usage() {
    cat <<EOF
usage: bench/compare.sh [options]
  --rounds N             rounds per scenario and broker (default $ROUNDS)
  --scenarios LIST       comma-separated, from fanin,fanout,qos1,latency,idle (the default)
                         and fanin-tls,fanin-ws (fan-in over TLS, over WebSocket), qos2 (qos1's
                         publishers and subscriber at QoS 2), qos1-fanout (1 QoS 1 publisher -> 16
                         QoS 1 subscribers), idle-warm (idle measured on a second pass against the
                         same broker: connects of a broker past its JIT warm-up)
  --brokers LIST         from jemq,jemq-memory,jemq-cluster,mosquitto (default jemq,mosquitto); jemq runs on
                         its disk store (mqtt.storage = disk, a fresh store each run), jemq-memory on its
                         memory store, jemq-cluster as two nodes on their memory stores (static discovery
                         on loopback, both on BROKER_CPU, a fresh pair each run): publishers on node 1,
                         subscribers on node 2
  --persistent           clients ask for persistent sessions (clean session false); Mosquitto
                         runs with persistence on
  --duration S           measured seconds per run, after the warm-up (default $DURATION)
  --warmup S             warm-up seconds (default $WARMUP_DEFAULT, $LATENCY_WARMUP_DEFAULT for latency: on the
                         broker's one pinned core jemq's JIT compiles for 15-20 s under a flood, longer at
                         latency's 10,000 msg/s; see docs/performance.md)
  --connections C        idle connections (default $CONNECTIONS, capped by ulimit -n)
  --quick                1 round of 2 s runs and 2000 idle connections: a smoke test
  --out FILE             also write the raw results (scenario broker round metric value) to FILE
environment: JEMQ_CMD (default: bin/jemq console; see the comment at the top of the script),
             BROKER_CPU (0), LOADGEN_CPU (1), LOADGEN_JAVA_OPTS,
             JEMQ_TRACE_IDLE=1 (jemq runs with one idle client traced beside the load)
EOF
}

while [ $# -gt 0 ]; do
    case "$1" in
        --rounds) ROUNDS=$2; shift 2 ;;
        --scenarios) SCENARIOS=$2; shift 2 ;;
        --brokers) BROKERS=$2; shift 2 ;;
        --duration) DURATION=$2; shift 2 ;;
        --warmup) WARMUP=$2; shift 2 ;;
        --connections) CONNECTIONS=$2; shift 2 ;;
        --quick) ROUNDS=1; DURATION=2; WARMUP=1; CONNECTIONS=2000; shift ;;
        --out) OUT=$2; shift 2 ;;
        --persistent) PERSISTENT=1; shift ;;
        -h|--help) usage; exit 0 ;;
        *) echo "compare.sh: unknown option $1" >&2; usage >&2; exit 2 ;;
    esac
done

log() { echo "compare.sh: $*" >&2; }
die() { log "$*"; exit 1; }

WORK=$(mktemp -d "${TMPDIR:-/tmp}/jemq-compare.XXXXXX")
BROKER_PID=
# jemq-cluster: node 2's job (node 1's is BROKER_PID) and the port its subscribers connect to
NODE2_PID=
NODE2_PORT=

# JEMQ_TRACE_IDLE=1: an idle client, traced with bin/jemq ctl, beside the load (a trace must cost the others nothing)
TRACED_PID=
start_traced_idle_client() {
    mosquitto_sub -h 127.0.0.1 -p "$1" -i bench-traced-idle -t bench/traced/idle -k 60 >/dev/null 2>&1 &
    TRACED_PID=$!
    JEMQ_CTL_SOCKET="$WORK/jemq.ctl.sock" "$ROOT/bin/jemq" ctl trace client bench-traced-idle "$WORK/trace-$1.log" >"$WORK/trace-ctl.out" 2>&1 ||
        log "the trace did not start: $(cat "$WORK/trace-ctl.out")"
}

stop_broker() {
    if [ -n "$TRACED_PID" ]; then
        kill "$TRACED_PID" 2>/dev/null || true
        TRACED_PID=
    fi
    if [ -n "$NODE2_PID" ]; then
        kill -TERM -- "-$NODE2_PID" 2>/dev/null || true
        wait_gone "$NODE2_PID"
        NODE2_PID=
    fi
    [ -n "$BROKER_PID" ] || return 0
    # the broker runs in its own process group (see start_broker): TERM reaches a wrapper script and its JVM alike
    kill -TERM -- "-$BROKER_PID" 2>/dev/null || true
    wait_gone "$BROKER_PID"
    BROKER_PID=
}

# wait_gone PID: up to 10 s for the process group PID to end after TERM, then KILL
wait_gone() {
    for _ in $(seq 100); do
        kill -0 "$1" 2>/dev/null || break
        sleep 0.1
    done
    kill -KILL -- "-$1" 2>/dev/null || true
    wait "$1" 2>/dev/null || true
}

cleanup() {
    stop_broker
    rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# --- what is needed ---------------------------------------------------------------------------------------------

if [ ! -f "$JAR" ]; then
    log "building the load generator"
    (cd "$ROOT" && mvn -q -B -pl bench -am package -DskipTests) || die "build failed"
fi

if [[ ",$BROKERS," == *,mosquitto,* ]] && ! command -v mosquitto >/dev/null; then
    log "installing mosquitto"
    apt-get install -y mosquitto >/dev/null || { apt-get update >/dev/null && apt-get install -y mosquitto >/dev/null; } \
        || die "cannot install mosquitto"
fi
MOSQUITTO=$(command -v mosquitto || echo /usr/sbin/mosquitto)

if [[ ",$BROKERS," == *,jemq* ]] && [ -z "$JEMQ_CMD" ]; then
    for candidate in "$ROOT/bin/jemq" "$ROOT/dist/bin/jemq" "$ROOT/dist/target/jemq/bin/jemq"; do
        if [ -x "$candidate" ]; then
            JEMQ_CMD="$candidate console"
            break
        fi
    done
    if [ -z "$JEMQ_CMD" ]; then
        log "no bin/jemq found and JEMQ_CMD not set: measuring Mosquitto alone"
        BROKERS=mosquitto
    fi
fi

# the idle scenario needs a file descriptor per connection in both processes
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
FDS=$(ulimit -n)
if [ "$FDS" != unlimited ] && [ "$CONNECTIONS" -gt $((FDS - 1000)) ]; then
    log "ulimit -n is $FDS: idle scenario capped at $((FDS - 1000)) connections"
    CONNECTIONS=$((FDS - 1000))
fi

for s in ${SCENARIOS//,/ }; do
    case "$s" in fanin|fanout|qos1|qos1-fanout|qos2|latency|idle|idle-warm|fanin-tls|fanin-ws) ;; *) die "unknown scenario $s" ;; esac
done

# --- brokers ----------------------------------------------------------------------------------------------------

port_is_free() {
    if command -v ss >/dev/null; then
        [ -z "$(ss -Htan "( sport = :$1 )" 2>/dev/null)" ]
    else
        if (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; then return 1; fi
    fi
}

free_port() {
    local p
    for _ in $(seq 100); do
        # below the ephemeral range (32768-60999), so no outgoing connection holds it
        p=$((20000 + RANDOM % 12000))
        if port_is_free "$p"; then echo "$p"; return; fi
    done
    die "no free port found"
}

wait_for_port() {
    local port=$1 log=$2
    for _ in $(seq 600); do
        if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then return 0; fi
        if ! kill -0 "$BROKER_PID" 2>/dev/null; then
            log "the broker exited before listening on $port; its output:"
            tail -20 "$log" >&2
            return 1
        fi
        sleep 0.05
    done
    log "the broker did not listen on $port within 30 s"
    return 1
}

# jemq logs "started as" once its listeners are bound and its start-up is over; builds before 0310f1e opened the
# measured listener while the TLS ones still loaded their keys: a scenario started at the port was charged with that
wait_for_started() {
    local log=$1
    for _ in $(seq 1200); do
        if grep -q " started as " "$log" 2>/dev/null; then return 0; fi
        if ! kill -0 "$BROKER_PID" 2>/dev/null; then return 0; fi   # wait_for_port has said why
        sleep 0.05
    done
    log "the broker did not log \"started as\" within 60 s; measuring anyway"
}

# The process whose memory is the broker's: the deepest descendant (a JVM under a wrapper script), else the job.
broker_main_pid() {
    local pid=$1 child
    while child=$(pgrep -P "$pid" | tail -1) && [ -n "$child" ]; do pid=$child; done
    echo "$pid"
}

# The jemq listener a scenario is measured on; the others of the shipped etc/emq.conf are moved out of the way.
JEMQ_LISTENERS="tcp.external tcp.internal ssl.external ws.external wss.external"
jemq_listener_of() {
    case "$1" in
        *-tls) echo ssl.external ;;
        *-ws) echo ws.external ;;
        *) echo tcp.external ;;
    esac
}

# jemq_command SCENARIO PORT STORAGE: JEMQ_CMD with the listeners of the run and its store (disk | memory) filled in
jemq_command() {
    local scenario=$1 port=$2 storage=$3 measured listener sets
    measured=$(jemq_listener_of "$scenario")
    # the control socket is a fixed path under data/: a second jemq started from the same directory would refuse it
    sets="--set node.ctl_socket=off --set mqtt.storage=$storage"
    if [ -n "${JEMQ_TRACE_IDLE:-}" ]; then sets="--set node.ctl_socket=$WORK/jemq.ctl.sock --set mqtt.storage=$storage"; fi
    # a fresh disk store for every run: sessions a previous run left must not be recovered into this one
    if [ "$storage" = disk ]; then sets+=" --set mqtt.storage.dir=$WORK/store-$port"; fi
    # the shipped HTTP listeners (8080, 18083) on free ports: another jemq on this machine may hold them
    sets+=" --set listener.api.mgmt=127.0.0.1:0 --set dashboard.listener=127.0.0.1:0"
    for listener in $JEMQ_LISTENERS; do
        if [ "$listener" = "$measured" ]; then
            sets+=" --set listener.$listener=127.0.0.1:$port"
        else
            sets+=" --set listener.$listener=127.0.0.1:0"
        fi
    done
    case "$JEMQ_CMD" in
        *@LISTENERS@*) echo "${JEMQ_CMD//@LISTENERS@/$sets}" ;;
        *@PORT@*) echo "${JEMQ_CMD//@PORT@/$port}" ;;
        *) echo "$JEMQ_CMD $sets" ;;
    esac
}

# The Mosquitto listener lines of a scenario
mosquitto_listener() {
    local scenario=$1 port=$2
    case "$scenario" in
        *-tls) printf 'listener %s 127.0.0.1\ncertfile %s\nkeyfile %s\n' "$port" "$CERTS/cert.pem" "$CERTS/key.pem" ;;
        # 2.0.11 does not start with a websockets listener alone ("Unable to start any listening sockets",
        # eclipse-mosquitto/mosquitto#2284): an unused MQTT listener keeps it company
        *-ws) printf 'listener %s 127.0.0.1\nlistener %s 127.0.0.1\nprotocol websockets\n' "$(free_port)" "$port" ;;
        *) echo "listener $port 127.0.0.1" ;;
    esac
}

# start_broker NAME PORT SCENARIO: sets BROKER_PID, returns non-zero if the broker did not come up
start_broker() {
    local name=$1 port=$2 scenario=$3 log="$WORK/$1-$2.log"
    # job control on while starting it: the broker gets a process group of its own, so it and all its children stop
    # together, and a Ctrl-C at the terminal goes to the script and the load generator, not to it
    set -m
    case "$name" in
        mosquitto)
            cat >"$WORK/mosquitto-$port.conf" <<EOF
$(mosquitto_listener "$scenario" "$port")
allow_anonymous true
$(if [ -n "$PERSISTENT" ]; then mkdir -p "$WORK/mosquitto-$port.db"
  printf 'persistence true\npersistence_location %s/\n' "$WORK/mosquitto-$port.db"; else echo "persistence false"; fi)
max_queued_messages $MAX_QUEUED
max_inflight_messages $INFLIGHT
log_dest stderr
log_type error
log_type warning
EOF
            taskset -c "$BROKER_CPU" "$MOSQUITTO" -c "$WORK/mosquitto-$port.conf" >"$log" 2>&1 &
            ;;
        jemq-cluster)
            launch_cluster "$port" "$scenario" "$log"
            ;;
        jemq|jemq-memory)
            local storage=disk
            if [ "$name" = jemq-memory ]; then storage=memory; fi
            # shellcheck disable=SC2046 # JEMQ_CMD is a command line: split it into words
            taskset -c "$BROKER_CPU" $(jemq_command "$scenario" "$port" "$storage") >"$log" 2>&1 &
            ;;
    esac
    BROKER_PID=$!
    set +m
    wait_for_port "$port" "$log" || return 1
    if [ "$name" != mosquitto ]; then wait_for_started "$log"; fi
    if [ "$name" = jemq-cluster ]; then await_cluster "$port"; fi
}

# jemq-cluster: two nodes found through static discovery on loopback, each with its data, control socket and logs
# in $WORK. Node 2 (the subscribers') starts first; node 1 (the publishers', on PORT) last, so that start_broker
# watches it as BROKER_PID. Both run on BROKER_CPU: the pair costs what it costs on the core one node has.
launch_cluster() {
    local port=$1 scenario=$2 log=$3 cp1 cp2 n mqtt cp dir out
    NODE2_PORT=$(free_port)
    cp1=$(free_port)
    cp2=$(free_port)
    for n in 2 1; do
        if [ "$n" = 2 ]; then mqtt=$NODE2_PORT cp=$cp2; else mqtt=$port cp=$cp1; fi
        dir="$WORK/node$n-$port"
        out="$dir/console.log"
        if [ "$n" = 1 ]; then out=$log; fi
        mkdir -p "$dir/data"
        # shellcheck disable=SC2046 # JEMQ_CMD is a command line: split it into words
        JEMQ_LOG_DIR=$dir/log taskset -c "$BROKER_CPU" $(jemq_command "$scenario" "$mqtt" memory) \
            --set "node.name=n$n@127.0.0.1" --set node.data_dir="$dir/data" --set node.ctl_socket="$dir/ctl.sock" \
            --set cluster.discovery=static --set cluster.listen="127.0.0.1:$cp" \
            --set cluster.static.seeds="127.0.0.1:$cp1,127.0.0.1:$cp2" >"$out" 2>&1 &
        if [ "$n" = 2 ]; then NODE2_PID=$!; fi
    done
}

# await_cluster PORT: node 2 listens and node 1's ctl lists both nodes (60 s at most)
await_cluster() {
    local dir="$WORK/node1-$1"
    wait_for_port "$NODE2_PORT" "$WORK/node2-$1/console.log" || return 1
    for _ in $(seq 120); do
        if JEMQ_CTL_SOCKET="$dir/ctl.sock" "$ROOT/bin/jemq" ctl cluster status 2>/dev/null |
            grep -q '^running_nodes: .*, '; then
            return 0
        fi
        sleep 0.5
    done
    log "the two nodes did not form a cluster within 60 s"
    return 1
}

# --- runs -------------------------------------------------------------------------------------------------------

RESULTS=$WORK/results
: >"$RESULTS"

metrics_of() {
    case "$1" in
        fanin|fanin-*) echo "msgs_per_s lost broker_us_per_msg loadgen_cpu" ;;
        fanout) echo "deliveries_per_s lost broker_us_per_msg loadgen_cpu" ;;
        qos1|qos2) echo "acked_per_s lost broker_us_per_msg loadgen_cpu" ;;
        qos1-fanout) echo "deliveries_per_s lost broker_us_per_msg loadgen_cpu" ;;
        latency) echo "p50_us p99_us p999_us max_us lost" ;;
        # conn_per_s is the load generator's rate once its core is full (loadgen_cpu near 1.0); broker_us_per_conn,
        # the broker's CPU per connect (and disconnect is not in it), is the broker's own figure
        idle) echo "conn_per_s broker_us_per_conn loadgen_cpu rss_per_conn_bytes rss_per_conn_from_zero_bytes live_heap_per_conn_bytes" ;;
        idle-warm) echo "conn_per_s broker_us_per_conn loadgen_cpu" ;; # memory is idle's: the warm-up pass grew the heap
    esac
}

better_of() {
    case "$1" in
        *_per_s) echo higher ;;
        loadgen_cpu) echo "-" ;; # near 1.0: the load generator, not the broker, may have set the pace
        *) echo lower ;;
    esac
}

# Set once Mosquitto said it was built without libwebsockets
MOSQUITTO_NO_WS=

run_one() {
    local scenario=$1 broker=$2 round=$3 port line
    if [ "$broker" = mosquitto ] && [[ $scenario == *-ws ]] && [ -n "$MOSQUITTO_NO_WS" ]; then
        return
    fi
    port=$(free_port)
    if ! start_broker "$broker" "$port" "$scenario"; then
        stop_broker
        if [ "$broker" = mosquitto ] && grep -q 'Websockets support not available' "$WORK/$broker-$port.log"; then
            log "mosquitto: websockets not supported by this build; $scenario measures jemq alone"
            MOSQUITTO_NO_WS=1
        else
            log "$scenario/$broker round $round: broker did not start, run skipped"
        fi
        return
    fi
    if [ "$broker" = jemq ] && [ -n "${JEMQ_TRACE_IDLE:-}" ]; then
        start_traced_idle_client "$port"
    fi
    # fanin-tls is fanin with --tls, fanin-ws fanin with --ws
    local args=("${scenario%%-*}" --port "$port")
    if [ "$broker" = jemq-cluster ]; then
        # publishers on node 1 (--port), subscribers on node 2, once node 1 has node 2's route (replicated in
        # milliseconds on loopback; 1 s is ample); no broker CPU figure (it would be node 1's alone)
        args+=(--sub-port "$NODE2_PORT" --route-settle 1)
    else
        args+=(--broker-pid "$(broker_main_pid "$BROKER_PID")")
    fi
    case "$scenario" in
        # memory per connection from 2/3 of them on ("at 10-15k"): what each costs once the broker is warm
        # connects as fast as either broker answers them (500 handshakes in flight), not at the loadgen's 5000/s pace
        idle|idle-warm) args+=(--connections "$CONNECTIONS" --measure-from $((CONNECTIONS * 2 / 3)) --connect-rate 1000000) ;;
        latency) args+=(--duration "$DURATION" --warmup "${WARMUP:-$LATENCY_WARMUP_DEFAULT}") ;;
        *) args+=(--duration "$DURATION" --warmup "${WARMUP:-$WARMUP_DEFAULT}") ;;
    esac
    case "$scenario" in
        *-tls) args+=(--tls) ;;
        *-ws) args+=(--ws) ;;
        qos1-fanout) args+=(--publishers 1 --subscribers 16) ;;
    esac
    if [ -n "$PERSISTENT" ]; then args+=(--persistent); fi
    log "$scenario on $broker, round $round/$ROUNDS (port $port)"
    if [ "$scenario" = idle-warm ]; then
        # the same connections opened and closed once before the measured pass: a broker that has served a connect
        # storm (its code compiled), not a fresh one
        # shellcheck disable=SC2086 # options are words
        taskset -c "$LOADGEN_CPU" java $LOADGEN_JAVA_OPTS -jar "$JAR" "${args[@]}" >/dev/null ||
            log "$scenario/$broker round $round: the warm-up pass failed"
    fi
    # shellcheck disable=SC2086 # options are words
    if line=$(taskset -c "$LOADGEN_CPU" java $LOADGEN_JAVA_OPTS -jar "$JAR" "${args[@]}"); then
        echo "$broker round=$round $line"
        for metric in $(metrics_of "$scenario"); do
            value=$(tr ' ' '\n' <<<"$line" | sed -n "s/^$metric=//p")
            [ -n "$value" ] && echo "$scenario $broker $round $metric $value" >>"$RESULTS"
        done
    else
        log "$scenario/$broker round $round: the load generator failed"
    fi
    stop_broker
}

for round in $(seq "$ROUNDS"); do
    # alternate which broker goes first, so neither always runs on a warmer (or more disturbed) machine
    order=${BROKERS//,/ }
    if [ $((round % 2)) -eq 0 ]; then order=$(tr ' ' '\n' <<<"$order" | tac | tr '\n' ' '); fi
    for scenario in ${SCENARIOS//,/ }; do
        for broker in $order; do
            run_one "$scenario" "$broker" "$round"
        done
    done
done

if [ -n "$OUT" ]; then cp "$RESULTS" "$OUT"; fi

# --- table ------------------------------------------------------------------------------------------------------

# summary VALUES...: "median (min-max)" of numbers, or n/a
summary() {
    [ $# -gt 0 ] || { echo "n/a"; return; }
    printf '%s\n' "$@" | sort -g | awk '
        { v[NR] = $1 }
        END {
            m = NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
            if (NR == 1) printf "%s", fmt(m); else printf "%s (%s-%s)", fmt(m), fmt(v[1]), fmt(v[NR])
        }
        function fmt(x) { return sprintf(x == int(x) || x >= 100 ? "%.0f" : x >= 10 ? "%.1f" : "%.2f", x) }'
}

values() { awk -v s="$1" -v b="$2" -v m="$3" '$1 == s && $2 == b && $4 == m { print $5 }' "$RESULTS"; }

# ratios SCENARIO METRIC [A B]: per round, A's value over B's (default jemq over mosquitto)
ratios() {
    awk -v s="$1" -v m="$2" -v a="${3:-jemq}" -v b="${4:-mosquitto}" '
        $1 == s && $4 == m && $2 == a { j[$3] = $5 }
        $1 == s && $4 == m && $2 == b { q[$3] = $5 }
        END { for (r in j) if ((r in q) && q[r] != 0) printf "%.3f\n", j[r] / q[r] }' "$RESULTS"
}

echo
printf '%-9s %-19s %-7s %-28s %-28s %s\n' scenario metric better "jemq" "mosquitto" "jemq/mosquitto"
for scenario in ${SCENARIOS//,/ }; do
    for metric in $(metrics_of "$scenario"); do
        mapfile -t jv < <(values "$scenario" jemq "$metric")
        mapfile -t mv < <(values "$scenario" mosquitto "$metric")
        mapfile -t rv < <(ratios "$scenario" "$metric")
        printf '%-9s %-19s %-7s %-28s %-28s %s\n' "$scenario" "$metric" "$(better_of "$metric")" \
            "$(summary "${jv[@]}")" "$(summary "${mv[@]}")" "$(summary "${rv[@]}")"
    done
done
if [[ ",$BROKERS," == *,jemq-memory,* ]]; then
    echo
    printf '%-9s %-19s %-7s %-28s %s\n' scenario metric better "jemq-memory" "jemq(disk)/jemq-memory"
    for scenario in ${SCENARIOS//,/ }; do
        for metric in $(metrics_of "$scenario"); do
            mapfile -t jv < <(values "$scenario" jemq-memory "$metric")
            mapfile -t rv < <(ratios "$scenario" "$metric" jemq jemq-memory)
            printf '%-9s %-19s %-7s %-28s %s\n' "$scenario" "$metric" "$(better_of "$metric")" \
                "$(summary "${jv[@]}")" "$(summary "${rv[@]}")"
        done
    done
fi
if [[ ",$BROKERS," == *,jemq-cluster,* ]]; then
    echo
    printf '%-9s %-19s %-7s %-28s %-28s %s\n' scenario metric better "jemq-cluster (2 nodes)" "jemq-memory (1 node)" \
        "cluster/one node"
    for scenario in ${SCENARIOS//,/ }; do
        for metric in $(metrics_of "$scenario"); do
            mapfile -t cv < <(values "$scenario" jemq-cluster "$metric")
            mapfile -t jv < <(values "$scenario" jemq-memory "$metric")
            mapfile -t rv < <(ratios "$scenario" "$metric" jemq-cluster jemq-memory)
            printf '%-9s %-19s %-7s %-28s %-28s %s\n' "$scenario" "$metric" "$(better_of "$metric")" \
                "$(summary "${cv[@]}")" "$(summary "${jv[@]}")" "$(summary "${rv[@]}")"
        done
    done
fi
echo
if [ -n "$MOSQUITTO_NO_WS" ]; then echo "mosquitto: websockets not supported by this build (no fanin-ws figures)"; fi
echo "rounds=$ROUNDS duration=${DURATION}s warmup=${WARMUP:-$WARMUP_DEFAULT}s (latency ${WARMUP:-$LATENCY_WARMUP_DEFAULT}s) idle_connections=$CONNECTIONS" \
     "persistent=${PERSISTENT:-0} broker_cpu=$BROKER_CPU loadgen_cpu=$LOADGEN_CPU nproc=$(nproc) $(date -u +%Y-%m-%dT%H:%MZ)" \
     "mosquitto=$("$MOSQUITTO" -h 2>/dev/null | sed -n 's/^mosquitto version //p')"
