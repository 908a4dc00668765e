package e2e_test

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/confbot/confbot/app"
	"github.com/confbot/confbot/domain"
	"github.com/confbot/confbot/i18n"
	"github.com/confbot/confbot/storage"
	"github.com/confbot/confbot/storage/storagetest"
	"github.com/confbot/confbot/telegramsim"
)

// Helpers shared by the fault tests: a generated conference with many
// delegates and one open secret ballot, and `confbot serve` as a child
// process that can be killed with SIGKILL.

const (
	loadRef     = "big/y2025"
	loadBallot  = "khen"
	loadBaseID  = 400000
	receiptMark = "Mã biên nhận"
)

// newKillWorld is newWorld for tests that kill a bot process: a request
// cut off mid-body by SIGKILL is what Telegram sees too, so the simulator's
// "unexpected EOF" complaints are expected there; every other violation
// still fails the test.
// A nil store means a fresh one from storagetest.
func newKillWorld(t *testing.T, store *storage.Store) *world {
	t.Helper()
	cat, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	w := &world{t: t, cat: cat, logs: &syncBuffer{}, env: map[string]string{
		"BOT_ADMINS": fmt.Sprint(adminID), "BALLOT_SECRET": secretHex, "HTTP_ADDR": "127.0.0.1:0",
		"SEND_RATE": "1000", "SEND_RATE_CHAT": "1000", "SEND_RATE_GROUP": "60000", "LOG_LEVEL": "info",
	}}
	w.sim = telegramsim.New(telegramsim.WithToken(simToken), telegramsim.WithBotUser(1000001, botName))
	t.Cleanup(w.sim.Close)
	w.env["TELEGRAM_BOT_TOKEN"] = w.sim.Token()
	w.env["TELEGRAM_API_URL"] = w.sim.URL()
	w.store = store
	if w.store == nil {
		w.store = storagetest.Store(t)
	}
	w.sim.AddUser(telegramsim.User{ID: adminID, FirstName: "Admin", Username: "cluster_admin"})
	w.startApp()
	t.Cleanup(func() {
		for _, a := range w.apps {
			ctx, cancel := context.WithTimeout(context.Background(), app.ShutdownTimeout)
			_ = a.Shutdown(ctx)
			cancel()
		}
		for _, v := range w.sim.Violations() {
			if !strings.Contains(v, "unexpected EOF") {
				t.Errorf("telegramsim: Bot API violation: %s", v)
			}
		}
	})
	return w
}

// loadConference is a conference of n delegates in two units with one
// secret approve ballot, khen, that every delegate votes on; extra is
// appended (top-level YAML, such as reminders).
func loadConference(n int, extra ...string) []byte {
	var b strings.Builder
	b.WriteString(`cluster: {id: big, name: "Cụm lớn", timezone: Asia/Ho_Chi_Minh}
units:
  - {code: A, name: "Đơn vị A"}
  - {code: B, name: "Đơn vị B"}
conference: {id: y2025, title: "Hội nghị", year: 2025, starts_at: "2025-11-24 08:00", ends_at: "2025-11-24 11:00", chair_unit: A, quorum: {percent: 50, of: members}, summary_deadline: "2025-11-17 17:00"}
people:
`)
	for i := 0; i < n; i++ {
		unit := "A"
		if i%2 == 1 {
			unit = "B"
		}
		fmt.Fprintf(&b, "  - {id: %d, name: \"Đại biểu %d\", unit: %s, roles: [delegate]}\n", loadBaseID+i, i, unit)
	}
	b.WriteString(`ballots:
  - {id: khen, title: "Khen thưởng", kind: approve, candidates: all, voters: delegate, secret: true, threshold: {op: ">", percent: 50, of: valid}, quota: 1}
`)
	for _, e := range extra {
		b.WriteString(e)
	}
	return []byte(b.String())
}

// openLoadBallot imports loadConference(n) through the world's running bot,
// puts it in session, and opens khen (overriding the quorum as the admin).
func openLoadBallot(t *testing.T, w *world, n int) {
	t.Helper()
	for i := 0; i < n; i++ {
		w.addUser(int64(loadBaseID+i), fmt.Sprint("Đại biểu ", i), "")
	}
	w.importFile("big.yaml", loadConference(n), "Hội nghị")
	ctx := context.Background()
	if _, err := w.store.UpdateConference(ctx, loadRef, func(c *domain.Conference) error {
		_ = c.Transition(domain.StateOpen)
		return c.Transition(domain.StateInSession)
	}); err != nil {
		t.Fatal(err)
	}
	if err := w.store.SetActive(ctx, adminID, loadRef); err != nil {
		t.Fatal(err)
	}
	w.say(adminID, "/quorum override", "")
	w.say(adminID, "/ballot open khen", fmt.Sprint(n))
}

// voterID is the Telegram id of the i-th delegate of loadConference.
func voterID(i int) int64 { return int64(loadBaseID + i) }

// receipts counts the receipts the bot sent to voter i.
func (w *world) receipts(i int) int {
	return countContaining(w.botMessages(voterID(i)), receiptMark)
}

var receiptCodeRe = regexp.MustCompile(`[A-Z2-7]{4}-[A-Z2-7]{4}`)

// receiptCodes counts the distinct receipt codes delegate i was sent.
func (w *world) receiptCodes(i int) int {
	codes := map[string]bool{}
	for _, m := range w.botMessages(voterID(i)) {
		if strings.Contains(m.Text, receiptMark) {
			codes[receiptCodeRe.FindString(m.Text)] = true
		}
	}
	return len(codes)
}

// acknowledgedVoters lists the delegates (of n) the bot sent a receipt to.
func (w *world) acknowledgedVoters(n int) []int64 {
	var out []int64
	for i := 0; i < n; i++ {
		if w.receipts(i) > 0 {
			out = append(out, voterID(i))
		}
	}
	return out
}

// checkTally asserts that the ballot's counters equal a full recount, that
// they count each voter once, and that every acknowledged voter is among
// those counted; it returns the number of ballots counted.
func checkTally(t *testing.T, store *storage.Store, acknowledged []int64) int {
	t.Helper()
	ctx := context.Background()
	counters, err := store.Counters(ctx, loadRef, loadBallot, 1)
	if err != nil {
		t.Fatal(err)
	}
	recount, err := store.Recount(ctx, loadRef, loadBallot, 1)
	if err != nil {
		t.Fatal(err)
	}
	if !counters.Equal(recount) {
		t.Errorf("counters %+v differ from the recount %+v", counters, recount)
	}
	voted, err := store.Voted(ctx, loadRef, loadBallot, 1)
	if err != nil {
		t.Fatal(err)
	}
	if counters.Ballots != len(voted) {
		t.Errorf("%d ballots counted for %d distinct voters", counters.Ballots, len(voted))
	}
	counted := map[string]bool{}
	for _, v := range voted {
		counted[v] = true
	}
	lost := 0
	for _, id := range acknowledged {
		if !counted[fmt.Sprint(id)] {
			lost++
		}
	}
	if lost > 0 {
		t.Errorf("%d of %d acknowledged votes are not counted", lost, len(acknowledged))
	}
	return counters.Ballots
}

// settleBurst waits until each of the voters got a receipt or an error
// (within wait), then checks the tally against the receipts: it returns how
// many were acknowledged and how many ballots are counted.
func settleBurst(t *testing.T, w *world, store *storage.Store, voters int, wait time.Duration) (acked, counted int) {
	t.Helper()
	internal := w.text(i18n.VI, "error.internal")
	answered := func() int {
		n := 0
		for i := 0; i < voters; i++ {
			msgs := w.botMessages(voterID(i))
			if countContaining(msgs, receiptMark)+countContaining(msgs, internal) > 0 {
				n++
			}
		}
		return n
	}
	ctx, cancel := context.WithTimeout(context.Background(), wait)
	defer cancel()
	if err := w.sim.Await(ctx, func() bool { return answered() == voters }); err != nil {
		t.Errorf("%d of %d votes got no answer after the failover", voters-answered(), voters)
	}
	ids := w.acknowledgedVoters(voters)
	return len(ids), checkTally(t, store, ids)
}

// redisURLOf gives the REDIS_URL that reaches store's server (a child
// process connects to the same Redis under the same prefix).
func redisURLOf(t *testing.T, store *storage.Store) string {
	t.Helper()
	switch c := store.Client().(type) {
	case *redis.Client:
		o := c.Options()
		return fmt.Sprintf("redis://%s/%d", o.Addr, o.DB)
	case *redis.ClusterClient:
		return strings.Join(c.Options().Addrs, ",")
	}
	t.Fatalf("unknown Redis client %T", store.Client())
	return ""
}

// buildConfbot builds the confbot binary into a temporary directory.
func buildConfbot(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "confbot")
	cmd := exec.Command("go", "build", "-o", bin, "github.com/confbot/confbot/cmd/confbot")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// childBot is `confbot serve` running as a child process.
type childBot struct {
	cmd *exec.Cmd
	log string
}

// startChild runs bin serve with env; its log goes to a file in dir.
func startChild(t *testing.T, bin, dir string, env map[string]string) *childBot {
	t.Helper()
	logPath := filepath.Join(dir, fmt.Sprintf("serve-%d.log", time.Now().UnixNano()))
	f, err := os.Create(logPath)
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin, "serve")
	cmd.Env = []string{"PATH=" + os.Getenv("PATH")}
	for k, v := range env {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	cmd.Stdout, cmd.Stderr = f, f
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	_ = f.Close() // the child holds its own descriptor
	c := &childBot{cmd: cmd, log: logPath}
	t.Cleanup(func() { c.stop(t) })
	return c
}

// kill ends the child with SIGKILL: no shutdown, no confirmation of updates.
func (c *childBot) kill(t *testing.T) {
	t.Helper()
	if c.cmd.ProcessState != nil {
		return
	}
	if err := c.cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	_ = c.cmd.Wait()
}

// stop ends the child with SIGTERM (graceful), or SIGKILL after 15 s.
func (c *childBot) stop(t *testing.T) {
	if c.cmd.ProcessState != nil {
		return
	}
	_ = c.cmd.Process.Signal(syscall.SIGTERM)
	done := make(chan struct{})
	go func() { _ = c.cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(15 * time.Second):
		_ = c.cmd.Process.Kill()
		<-done
	}
}

// logs returns what the child wrote.
func (c *childBot) logs() string {
	b, _ := os.ReadFile(c.log)
	return string(b)
}
