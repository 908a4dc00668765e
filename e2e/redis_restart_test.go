package e2e_test

import (
	"context"
	"fmt"
	"net"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/confbot/confbot/i18n"
	"github.com/confbot/confbot/storage"
)

// redisServer is a redis-server of the test's own, with the AOF fsynced on
// every write, so that a restart keeps every write it acknowledged.
type redisServer struct {
	dir, port string
	cmd       *exec.Cmd
}

func startRedisServer(t *testing.T, dir, port string) *redisServer {
	t.Helper()
	r := &redisServer{dir: dir, port: port}
	r.start(t)
	t.Cleanup(func() { r.kill() })
	return r
}

func (r *redisServer) start(t *testing.T) {
	t.Helper()
	r.cmd = exec.Command("redis-server", "--port", r.port, "--bind", "127.0.0.1", "--dir", r.dir,
		"--appendonly", "yes", "--appendfsync", "always", "--save", "",
		"--logfile", filepath.Join(r.dir, "redis.log"))
	if err := r.cmd.Start(); err != nil {
		t.Fatalf("redis-server: %v", err)
	}
	rdb := redis.NewClient(&redis.Options{Addr: "127.0.0.1:" + r.port})
	defer rdb.Close()
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		if err := rdb.Ping(context.Background()).Err(); err == nil {
			return
		} else if time.Now().After(deadline) {
			t.Fatalf("redis-server on %s does not answer: %v", r.port, err)
		}
	}
}

// kill ends the server with SIGKILL: the harshest restart, which the AOF
// with appendfsync always must survive.
func (r *redisServer) kill() {
	if r.cmd != nil && r.cmd.ProcessState == nil {
		_ = r.cmd.Process.Kill()
		_ = r.cmd.Wait()
	}
}

func freePort(t *testing.T) string {
	t.Helper()
	_, port, _ := net.SplitHostPort(freeAddr(t))
	return port
}

// TestRedisRestartMidBurst kills redis-server (AOF on, fsync always) in the
// middle of a burst of votes and starts it again on the same data: every
// vote acknowledged with a receipt is still counted, counters equal a
// recount, and the bot reconnects by itself — the votes sent during the
// outage are handled after it (redelivered) or answered with an error.
func TestRedisRestartMidBurst(t *testing.T) {
	if _, err := exec.LookPath("redis-server"); err != nil {
		t.Skip("no redis-server on PATH")
	}
	const voters = 600
	srv := startRedisServer(t, t.TempDir(), freePort(t))
	store, err := storage.Open(context.Background(), storage.Options{URL: fmt.Sprintf("redis://127.0.0.1:%s/0", srv.port), Prefix: "restart"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = store.Close() })
	w := newKillWorld(t, store)
	openLoadBallot(t, w, voters)

	for i := 0; i < voters; i++ {
		w.sim.SendText(voterID(i), voterID(i), "/vote khen A:yes B:no")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	if err := w.sim.Await(ctx, func() bool { return len(w.acknowledgedVoters(voters)) >= voters/4 }); err != nil {
		t.Fatal("no receipts before the restart")
	}
	srv.kill()
	atKill := len(w.acknowledgedVoters(voters))
	down := time.Now()
	time.Sleep(time.Second) // an outage long enough for handlers to meet it
	srv.start(t)
	t.Logf("redis-server down for %v after %d receipts", time.Since(down).Round(time.Millisecond), atKill)

	internal := w.text(i18n.VI, "error.internal")
	answered := func() (receipts, errors int) {
		for i := 0; i < voters; i++ {
			msgs := w.botMessages(voterID(i))
			switch {
			case countContaining(msgs, receiptMark) > 0:
				receipts++
			case countContaining(msgs, internal) > 0:
				errors++
			}
		}
		return
	}
	after, cancelAfter := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancelAfter()
	if err := w.sim.Await(after, func() bool { r, e := answered(); return r+e == voters }); err != nil {
		r, e := answered()
		// A claim taken just before Redis went down, whose release then
		// failed, makes the redelivery look like a duplicate: it is
		// skipped and confirmed, and the voter never hears back.
		t.Errorf("after the restart only %d receipts and %d error answers of %d votes; %d claims could not be released (their redeliveries are skipped as duplicates)",
			r, e, voters, strings.Count(w.logs.String(), "cannot release update"))
	}
	acked := w.acknowledgedVoters(voters)
	counted := checkTally(t, w.store, acked)
	_, errs := answered()
	t.Logf("%d receipts, %d error answers, %d ballots counted", len(acked), errs, counted)
	// The bot answers a new command after the restart, without being restarted itself.
	w.addUser(5601, "Sau", "")
	w.say(5601, "/start", w.text(i18n.VI, "start.unknown", "name", "Sau"))
}
