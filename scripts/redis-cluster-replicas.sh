#!/usr/bin/env bash
# Starts or stops a local Redis Cluster of 3 masters, each with one replica,
# on loopback — for the failover test (e2e/cluster_failover_test.go). The
# plain 3-master cluster of scripts/redis-cluster.sh is left as it is.
#   CLUSTER_PORTS="7111 7112 7113 7114 7115 7116" scripts/redis-cluster-replicas.sh start DIR
#       # prints the address list on stdout (for CONFBOT_CLUSTER_FAILOVER_ADDRS)
#   scripts/redis-cluster-replicas.sh stop DIR
# AOF is on with fsync always, so a failed-over master keeps what it acknowledged.
set -euo pipefail
cmd=${1:?start|stop}; dir=${2:?working directory}
ports=(${CLUSTER_PORTS:-7111 7112 7113 7114 7115 7116})
if [ "${#ports[@]}" -ne 6 ]; then echo "CLUSTER_PORTS needs 6 ports (3 masters, 3 replicas)" >&2; exit 2; fi

case "$cmd" in
start)
  mkdir -p "$dir"
  for p in "${ports[@]}"; do
    mkdir -p "$dir/$p"
    redis-server --port "$p" --bind 127.0.0.1 --cluster-enabled yes \
      --cluster-config-file "$dir/$p/nodes.conf" --cluster-node-timeout 2000 \
      --save "" --appendonly yes --appendfsync always --dir "$dir/$p" --daemonize yes \
      --pidfile "$dir/$p/redis.pid" --logfile "$dir/$p/redis.log" >&2
  done
  for p in "${ports[@]}"; do
    for _ in $(seq 50); do redis-cli -p "$p" ping >/dev/null 2>&1 && break; sleep 0.1; done
  done
  addrs=(); for p in "${ports[@]}"; do addrs+=("127.0.0.1:$p"); done
  redis-cli --cluster create "${addrs[@]}" --cluster-replicas 1 --cluster-yes >&2
  for _ in $(seq 150); do
    ok=1
    for p in "${ports[@]}"; do
      redis-cli -p "$p" cluster info | grep -q 'cluster_state:ok' || ok=0
    done
    [ $ok = 1 ] && break; sleep 0.1
  done
  # Every node must know its replicas and every replica be in sync before
  # a failover can be asked of one.
  for _ in $(seq 200); do
    replicas=$(redis-cli -p "${ports[0]}" cluster nodes | grep -c ' slave ' || true)
    synced=0
    for p in "${ports[@]}"; do
      redis-cli -p "$p" info replication | grep -q 'master_link_status:up' && synced=$((synced+1))
    done
    [ "$replicas" -ge 3 ] && [ "$synced" -ge 3 ] && break; sleep 0.1
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
