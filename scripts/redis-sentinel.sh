#!/usr/bin/env bash
# Starts or stops a local Sentinel set on loopback for the test suites: a
# master, one replica and three Sentinels watching them as "confbot".
#   scripts/redis-sentinel.sh start DIR   # prints the Sentinels' address list on stdout
#   scripts/redis-sentinel.sh stop DIR
# SENTINEL_PORTS names five ports: master, replica, then the three Sentinels.
# Debian's redis-sentinel is used when installed, else `redis-server --sentinel`.
set -euo pipefail
cmd=${1:?start|stop}; dir=${2:?working directory}
ports=(${SENTINEL_PORTS:-7701 7702 26701 26702 26703})
master=${ports[0]}; replica=${ports[1]}; sentinels=("${ports[@]:2:3}")
name=${SENTINEL_MASTER:-confbot}

start_sentinel() { # CONF
  if command -v redis-sentinel >/dev/null; then redis-sentinel "$1"; else redis-server "$1" --sentinel; fi
}

wait_ping() {
  for _ in $(seq 50); do redis-cli -p "$1" ping >/dev/null 2>&1 && return 0; sleep 0.1; done
  echo "port $1 does not answer" >&2; return 1
}

case "$cmd" in
start)
  mkdir -p "$dir"
  for p in "$master" "$replica"; do
    mkdir -p "$dir/$p"
    extra=()
    [ "$p" = "$replica" ] && extra=(--replicaof 127.0.0.1 "$master")
    redis-server --port "$p" --bind 127.0.0.1 --save "" --appendonly no --dir "$dir/$p" \
      --daemonize yes --pidfile "$dir/$p/redis.pid" --logfile "$dir/$p/redis.log" "${extra[@]}" >&2
    wait_ping "$p"
  done
  for _ in $(seq 100); do
    redis-cli -p "$replica" info replication | grep -q 'master_link_status:up' && break; sleep 0.1
  done
  for p in "${sentinels[@]}"; do
    mkdir -p "$dir/$p"
    # Sentinel rewrites its own configuration file: it must be writable.
    cat >"$dir/$p/sentinel.conf" <<CONF
port $p
bind 127.0.0.1
daemonize yes
pidfile $dir/$p/sentinel.pid
logfile $dir/$p/sentinel.log
dir $dir/$p
sentinel monitor $name 127.0.0.1 $master 2
sentinel down-after-milliseconds $name 2000
sentinel failover-timeout $name 10000
sentinel parallel-syncs $name 1
CONF
    start_sentinel "$dir/$p/sentinel.conf" >&2
    wait_ping "$p"
  done
  # Ready once every Sentinel knows the replica and the other Sentinels.
  for p in "${sentinels[@]}"; do
    for _ in $(seq 150); do
      info=$(redis-cli -p "$p" sentinel master "$name" 2>/dev/null | tr '\n' ' ')
      [[ "$info" == *"num-slaves 1 "* && "$info" == *"num-other-sentinels 2 "* ]] && break
      sleep 0.2
    done
  done
  addrs=(); for p in "${sentinels[@]}"; do addrs+=("127.0.0.1:$p"); done
  (IFS=,; echo "${addrs[*]}")
  ;;
stop)
  for p in "${sentinels[@]}" "$master" "$replica"; do
    redis-cli -p "$p" shutdown nosave >/dev/null 2>&1 || true
  done
  ;;
*) echo "usage: $0 start|stop DIR" >&2; exit 2 ;;
esac
