package e2e_test

import (
	"context"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/confbot/confbot/app"
	"github.com/confbot/confbot/storage"
)

// TestKillMidVotes runs `confbot serve` as a child process, sends 1,000
// votes, kills the process with SIGKILL mid-way and starts it again. The
// simulator keeps every update the dead process had not confirmed and
// delivers it again, as Telegram does. Every vote whose receipt reached the
// simulator must be counted, none twice (counters equal a recount and the
// number of distinct voters), and no voter gets two receipts for one vote.
func TestKillMidVotes(t *testing.T) {
	t.Parallel() // mostly waiting (Telegram's limits, leases): it overlaps the other slow tests
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	const voters = 1000
	w := newKillWorld(t, nil)
	openLoadBallot(t, w, voters)
	// The in-process replica did the setup; the child process takes over.
	sctx, cancel := context.WithTimeout(context.Background(), app.ShutdownTimeout)
	if err := w.apps[0].Shutdown(sctx); err != nil {
		t.Fatal(err)
	}
	cancel()

	bin := buildConfbot(t)
	dir := t.TempDir()
	env := map[string]string{"REDIS_URL": redisURLOf(t, w.store), "REDIS_PREFIX": w.store.Prefix(), "LOG_LEVEL": "info"}
	for k, v := range w.env {
		if _, set := env[k]; !set {
			env[k] = v
		}
	}
	first := startChild(t, bin, dir, env)

	begun := time.Now()
	for i := 0; i < voters; i++ {
		w.sim.SendText(voterID(i), voterID(i), "/vote khen A:yes B:no")
	}
	ctx, cancelWait := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancelWait()
	total := func() int {
		n := 0
		for i := 0; i < voters; i++ {
			n += w.receipts(i)
		}
		return n
	}
	if err := w.sim.Await(ctx, func() bool { return total() >= voters*3/10 }); err != nil {
		t.Fatalf("only %d receipts before the kill; the child said:\n%s", total(), tail(first.logs(), 40))
	}
	// Not on a receipt's heels: somewhere inside the handling of others.
	time.Sleep(time.Duration(rand.IntN(40)+5) * time.Millisecond)
	first.kill(t)
	atKill := total()
	t.Logf("killed after %d receipts (%v)", atKill, time.Since(begun).Round(time.Millisecond))

	second := startChild(t, bin, dir, env)
	waitQuiet(t, w, voters, storage.InboxLease+5*time.Second, 90*time.Second) // outlast the dead process's chat leases
	acked := w.acknowledgedVoters(voters)
	counted := checkTally(t, w.store, acked)
	// A process killed after sending a receipt but before recording the
	// update as handled sends the same receipt again after the restart (the
	// cast is a no-op: same vote, same receipt). What must never happen is a
	// second, different receipt: that would mean a second ballot.
	doubles, repeated := 0, 0
	for i := 0; i < voters; i++ {
		if w.receiptCodes(i) > 1 {
			doubles++
		}
		if w.receipts(i) > 1 {
			repeated++
		}
	}
	if doubles > 0 {
		t.Errorf("%d voters got two different receipts for one vote", doubles)
	}
	t.Logf("%d voters were sent their receipt again after the restart", repeated)
	t.Logf("%d receipts at the kill, %d voters acknowledged in the end, %d ballots counted, in %v",
		atKill, len(acked), counted, time.Since(begun).Round(time.Millisecond))
	if len(acked) < voters {
		// Updates the killed process had claimed must come again once its
		// claims lapse (they are held, never skipped as done).
		t.Errorf("%d of %d votes got no answer after the restart; %d ballots counted",
			voters-len(acked), voters, counted)
	}
	second.stop(t)
	if strings.Contains(first.logs()+second.logs(), w.sim.Token()) {
		t.Error("the bot token appears in the logs")
	}
}

// waitQuiet waits until all n voters have a receipt, or until no receipt
// arrived for quiet, or until limit.
func waitQuiet(t *testing.T, w *world, n int, quiet, limit time.Duration) {
	t.Helper()
	deadline := time.Now().Add(limit)
	last, lastChange := -1, time.Now()
	for time.Now().Before(deadline) {
		got := len(w.acknowledgedVoters(n))
		if got == n {
			return
		}
		if got != last {
			last, lastChange = got, time.Now()
		} else if time.Since(lastChange) > quiet {
			return
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// tail returns the last n lines of s.
func tail(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	return strings.Join(lines[max(0, len(lines)-n):], "\n")
}
