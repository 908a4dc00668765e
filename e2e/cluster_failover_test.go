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

// TestClusterFailoverMidBurst fails over the master holding the
// conference's slot (CLUSTER FAILOVER on its replica) during a burst of
// votes: no acknowledged vote is lost and counters equal a recount. It needs
// a cluster with replicas (scripts/redis-cluster-replicas.sh), named by
// CONFBOT_CLUSTER_FAILOVER_ADDRS.
func TestClusterFailoverMidBurst(t *testing.T) {
	addrs := os.Getenv("CONFBOT_CLUSTER_FAILOVER_ADDRS")
	if addrs == "" {
		t.Skip("CONFBOT_CLUSTER_FAILOVER_ADDRS is not set: start a cluster with replicas with scripts/redis-cluster-replicas.sh and set it to the address list it prints")
	}
	const voters = 600
	ctx := context.Background()
	store, err := storage.Open(ctx, storage.Options{URL: addrs, Prefix: storagetest.Prefix(t)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = store.Close() })
	cc, ok := store.Client().(*redis.ClusterClient)
	if !ok {
		t.Fatalf("CONFBOT_CLUSTER_FAILOVER_ADDRS=%q does not name a cluster", addrs)
	}
	replica := replicaOfSlotOwner(t, cc, "{"+loadRef+"}")

	w := newKillWorld(t, store)
	openLoadBallot(t, w, voters)
	for i := 0; i < voters; i++ {
		w.sim.SendText(voterID(i), voterID(i), "/vote khen A:yes B:no")
	}
	burst, cancel := context.WithTimeout(ctx, 60*time.Second)
	defer cancel()
	if err := w.sim.Await(burst, func() bool { return len(w.acknowledgedVoters(voters)) >= voters/4 }); err != nil {
		t.Fatal("no receipts before the failover")
	}
	rc := redis.NewClient(&redis.Options{Addr: replica})
	defer rc.Close()
	if info, err := rc.Info(ctx, "replication").Result(); err != nil || !strings.Contains(info, "role:slave") {
		t.Fatalf("%s is not a replica before the failover: %v\n%s", replica, err, info)
	}
	if err := rc.Do(ctx, "cluster", "failover").Err(); err != nil {
		t.Fatalf("cluster failover on %s: %v", replica, err)
	}
	begun := time.Now()
	for ; time.Since(begun) < 20*time.Second; time.Sleep(50 * time.Millisecond) {
		if info, _ := rc.Info(ctx, "replication").Result(); strings.Contains(info, "role:master") {
			break
		}
	}
	t.Logf("%s became master after %v, %d receipts in", replica, time.Since(begun).Round(time.Millisecond), len(w.acknowledgedVoters(voters)))

	acked, counted := settleBurst(t, w, store, voters, 30*time.Second)
	t.Logf("%d receipts, %d ballots counted", acked, counted)
}

// replicaOfSlotOwner returns the address of a replica of the master that
// holds key's slot.
func replicaOfSlotOwner(t *testing.T, cc *redis.ClusterClient, key string) string {
	t.Helper()
	ctx := context.Background()
	slot, err := cc.ClusterKeySlot(ctx, key).Result()
	if err != nil {
		t.Fatal(err)
	}
	// A new cluster's nodes learn of the replicas over a few gossip rounds:
	// ask again for a while before calling the cluster unfit.
	for deadline := time.Now().Add(15 * time.Second); ; time.Sleep(200 * time.Millisecond) {
		slots, err := cc.ClusterSlots(ctx).Result()
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range slots {
			if int64(s.Start) <= slot && slot <= int64(s.End) && len(s.Nodes) >= 2 {
				return s.Nodes[1].Addr
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("the master of slot %d has no replica: use scripts/redis-cluster-replicas.sh", slot)
		}
	}
}
