# The README's commands. `make test` is what .ci/run calls.
.PHONY: test playground soak

test:
	@redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1 || echo "note: no redis-server on 127.0.0.1:6379 — the Redis suites run on the embedded miniredis store"
	go test -race -count=1 ./...

playground:
	go run ./cmd/confbot playground
