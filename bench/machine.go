package bench

import (
	"context"
	"fmt"
	"os"
	"runtime"
	"strings"

	"github.com/redis/go-redis/v9"
)

// Machine describes where the figures were measured: cores, CPU model,
// Go and Redis versions.
func Machine(ctx context.Context, redisURL string) string {
	cpu := "unknown CPU"
	if b, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		for line := range strings.SplitSeq(string(b), "\n") {
			if v, ok := strings.CutPrefix(line, "model name"); ok {
				cpu = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(v), ":"))
				break
			}
		}
	}
	redisVersion := "unknown"
	if opt, err := redis.ParseURL(redisURL); err == nil {
		rdb := redis.NewClient(opt)
		defer rdb.Close()
		if info, err := rdb.Info(ctx, "server").Result(); err == nil {
			for line := range strings.SplitSeq(info, "\r\n") {
				if v, ok := strings.CutPrefix(line, "redis_version:"); ok {
					redisVersion = v
				}
			}
		}
	}
	return fmt.Sprintf("%d cores (GOMAXPROCS %d), CPU %q, %s, Redis %s at %s", runtime.NumCPU(), runtime.GOMAXPROCS(0),
		cpu, runtime.Version(), redisVersion, redactURL(redisURL))
}

// redactURL drops a password from a Redis URL before printing it.
func redactURL(u string) string {
	if opt, err := redis.ParseURL(u); err == nil {
		return opt.Addr
	}
	return "(unparsed URL)"
}
