# The README's commands. `make test` is what .ci/run calls.
.PHONY: test playground soak e2e-limits

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

# The whole end-to-end suite as users meet the bot: the simulator enforcing
# Telegram's limits (1/s per chat, 30/s, 20/min per group) and the bot at its
# default rates. About 10 minutes at 1 message a second, so not in .ci/run,
# which runs the tests of delivery under the limits (TestExportAtTelegramsLimits,
# TestBallotEffectsAtTelegramsLimits, the fault tests) and the rest faster.
e2e-limits:
	CONFBOT_E2E_LIMITS=telegram go test -race -count=1 -timeout 40m ./e2e/
