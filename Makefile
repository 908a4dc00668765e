# The README's commands. `make test` is what .ci/run calls.
.PHONY: test playground soak

test:
	@redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1 || echo "note: no redis-server on 127.0.0.1:6379 — the Redis suites run on the embedded miniredis store"
	go test -race -count=1 ./...

playground:
	go run ./cmd/confbot playground

# The fault tests (kill -9, Redis restart, failing sends, webhook replicas,
# Cluster failover when CONFBOT_CLUSTER_FAILOVER_ADDRS is set), repeated: each
# run kills at a different moment. Each takes under 2 minutes, so .ci/run's
# `make test` runs them once; soak runs them 5 times.
soak:
	go test -race -count=5 -timeout 30m -run 'TestKillMidVotes|TestRedisRestartMidBurst|TestRemindersExactlyOnceWhenSendsFail|TestTwoWebhookReplicasBehindOneProxy|TestClusterFailoverMidBurst' ./e2e/
