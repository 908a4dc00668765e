package e2e_test

import (
	"context"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/confbot/confbot/storage"
	"github.com/confbot/confbot/storage/storagetest"
)

// TestSentinelFailoverMidBurst has the Sentinels fail the master over
// (SENTINEL FAILOVER) during a burst of votes, with the bot connected the
// way REDIS_SENTINEL_MASTER connects it: every vote is answered, every
// acknowledged vote is counted, none twice (counters equal a recount). It
// needs a Sentinel set (scripts/redis-sentinel.sh), named by
// CONFBOT_SENTINEL_ADDRS and CONFBOT_SENTINEL_MASTER.
func TestSentinelFailoverMidBurst(t *testing.T) {
	addrs, master := os.Getenv("CONFBOT_SENTINEL_ADDRS"), os.Getenv("CONFBOT_SENTINEL_MASTER")
	if addrs == "" || master == "" {
		t.Skip("CONFBOT_SENTINEL_ADDRS and CONFBOT_SENTINEL_MASTER are not set: start Sentinels with scripts/redis-sentinel.sh")
	}
	const voters = 1500
	ctx := context.Background()
	store, err := storage.Open(ctx, storage.Options{URL: addrs, SentinelMaster: master, Prefix: storagetest.Prefix(t)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = store.Close() })
	sentinel := redis.NewSentinelClient(&redis.Options{Addr: strings.Split(addrs, ",")[0]})
	defer sentinel.Close()
	before, err := sentinel.GetMasterAddrByName(ctx, master).Result()
	if err != nil {
		t.Fatalf("sentinel get-master-addr-by-name %s: %v", master, err)
	}

	w := newKillWorld(t, store)
	openLoadBallot(t, w, voters)
	for i := 0; i < voters; i++ {
		w.sim.SendText(voterID(i), voterID(i), "/vote khen A:yes B:no")
	}
	burst, cancel := context.WithTimeout(ctx, 60*time.Second)
	defer cancel()
	if err := w.sim.Await(burst, func() bool { return len(w.acknowledgedVoters(voters)) >= voters/20 }); err != nil {
		t.Fatal("no receipts before the failover")
	}
	if err := sentinel.Failover(ctx, master).Err(); err != nil {
		t.Fatalf("sentinel failover %s: %v", master, err)
	}
	begun := time.Now()
	var after []string
	for ; time.Since(begun) < 30*time.Second; time.Sleep(50 * time.Millisecond) {
		if after, err = sentinel.GetMasterAddrByName(ctx, master).Result(); err == nil && after[1] != before[1] {
			break
		}
	}
	if after == nil || after[1] == before[1] {
		t.Fatalf("the master is still %v after 30 s", before)
	}
	t.Logf("master %s → %s after %v, %d receipts in", strings.Join(before, ":"), strings.Join(after, ":"),
		time.Since(begun).Round(time.Millisecond), len(w.acknowledgedVoters(voters)))

	acked, counted := settleBurst(t, w, store, voters, 60*time.Second)
	t.Logf("%d votes sent, %d receipts, %d ballots counted, %d answered with an error", voters, acked, counted, voters-acked)
}
