#!/usr/bin/env bash
# Starts or stops a local 3-master Redis Cluster on loopback for the test suites.
#   scripts/redis-cluster.sh start DIR   # prints the address list on stdout
#   scripts/redis-cluster.sh stop DIR
set -euo pipefail
cmd=${1:?start|stop}; dir=${2:?working directory}
ports=(${CLUSTER_PORTS:-7101 7102 7103})

case "$cmd" in
start)
  mkdir -p "$dir"
  for p in "${ports[@]}"; do
    mkdir -p "$dir/$p"
    redis-server --port "$p" --bind 127.0.0.1 --cluster-enabled yes \
      --cluster-config-file "$dir/$p/nodes.conf" --cluster-node-timeout 2000 \
      --save "" --appendonly no --dir "$dir/$p" --daemonize yes \
      --pidfile "$dir/$p/redis.pid" --logfile "$dir/$p/redis.log" >&2
  done
  for p in "${ports[@]}"; do
    for _ in $(seq 50); do redis-cli -p "$p" ping >/dev/null 2>&1 && break; sleep 0.1; done
  done
  addrs=(); for p in "${ports[@]}"; do addrs+=("127.0.0.1:$p"); done
  redis-cli --cluster create "${addrs[@]}" --cluster-replicas 0 --cluster-yes >&2
  for _ in $(seq 100); do
    redis-cli -p "${ports[0]}" cluster info | grep -q 'cluster_state:ok' && break; sleep 0.1
  done
  (IFS=,; echo "${addrs[*]}")
  ;;
stop)
  for p in "${ports[@]}"; do
    redis-cli -p "$p" shutdown nosave >/dev/null 2>&1 || true
  done
  ;;
*) echo "usage: $0 start|stop DIR" >&2; exit 2 ;;
esac
