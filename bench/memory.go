package bench

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/confbot/confbot/setup"
	"github.com/confbot/confbot/storage"
	"github.com/confbot/confbot/telegramsim"
)

// MemoryResult is the resident memory of a `confbot serve` process.
type MemoryResult struct {
	IdleRSS   int64 // bytes, started and polling, nothing imported
	LoadedRSS int64 // bytes, after Conferences × Members were imported and each member was answered
	PeakRSS   int64 // VmHWM at the end
	Members   int
	Clusters  int
	Replies   int // members answered during the traffic
}

// String formats the result for people.
func (r MemoryResult) String() string {
	return fmt.Sprintf("serve RSS: idle %.1f MB; with %d members in %d clusters (%d answered) %.1f MB, peak %.1f MB",
		mb(r.IdleRSS), r.Members, r.Clusters, r.Replies, mb(r.LoadedRSS), mb(r.PeakRSS))
}

func mb(b int64) float64 { return float64(b) / (1 << 20) }

const memoryBaseID = 500000

// Memory runs bin (a confbot binary) as `serve` against an in-process
// simulator and Redis under a fresh prefix, reads its VmRSS once idle,
// imports clusters conferences of members people each, has every member
// send /status and /whoami (so the bot loads every conference and person),
// and reads VmRSS again.
func Memory(ctx context.Context, redisURL, bin string, clusters, members int) (MemoryResult, error) {
	sim := telegramsim.New(telegramsim.WithToken(token), telegramsim.WithBotUser(1000001, botName))
	defer sim.Close()
	prefix := "bench:" + randomHex()
	store, err := storage.Open(ctx, storage.Options{URL: redisURL, Prefix: prefix})
	if err != nil {
		return MemoryResult{}, fmt.Errorf("open redis: %w", err)
	}
	defer func() { deletePrefix(store, prefix); _ = store.Close() }()
	logFile, err := os.CreateTemp("", "confbot-bench-serve-*.log")
	if err != nil {
		return MemoryResult{}, err
	}
	defer os.Remove(logFile.Name())
	cmd := exec.Command(bin, "serve")
	cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "TELEGRAM_BOT_TOKEN=" + token, "TELEGRAM_API_URL=" + sim.URL(),
		"BALLOT_SECRET=" + secret, "BOT_ADMINS=" + strconv.Itoa(adminID), "HTTP_ADDR=127.0.0.1:0",
		"REDIS_URL=" + redisURL, "REDIS_PREFIX=" + prefix, "LOG_LEVEL=warn"}
	for k, v := range fastSend {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	cmd.Stdout, cmd.Stderr = logFile, logFile
	if err := cmd.Start(); err != nil {
		return MemoryResult{}, fmt.Errorf("start %s serve: %w", filepath.Base(bin), err)
	}
	_ = logFile.Close()
	defer stopChild(cmd)
	waitCtx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	if err := sim.Await(waitCtx, func() bool { return len(sim.Calls("getUpdates")) > 0 }); err != nil {
		log, _ := os.ReadFile(logFile.Name())
		return MemoryResult{}, fmt.Errorf("serve did not start polling: %w\n%s", err, log)
	}
	time.Sleep(3 * time.Second) // settle: first tick, command menu
	res := MemoryResult{Members: clusters * members, Clusters: clusters}
	pid := cmd.Process.Pid
	if res.IdleRSS, err = procStatus(pid, "VmRSS"); err != nil {
		return res, err
	}
	imp := setup.New(store, botName, time.Now)
	for k := range clusters {
		first := memoryBaseID + k*members
		if _, err := imp.Import(ctx, conferenceFile(fmt.Sprintf("c%03d", k), "y2025", first, members)); err != nil {
			return res, fmt.Errorf("import cluster %d: %w", k, err)
		}
	}
	total := clusters * members
	for i := range total {
		sim.AddUser(telegramsim.User{ID: int64(memoryBaseID + i), FirstName: "Đại biểu"})
	}
	for _, text := range []string{"/whoami", "/status"} {
		for i := range total {
			id := int64(memoryBaseID + i)
			sim.SendText(id, id, text)
		}
	}
	trafficCtx, cancelTraffic := context.WithTimeout(ctx, waitMost)
	defer cancelTraffic()
	for answered(sim, total) < total && trafficCtx.Err() == nil && sim.PendingUpdates() > 0 {
		time.Sleep(200 * time.Millisecond)
	}
	time.Sleep(2 * time.Second) // the last handlers finish
	res.Replies = answered(sim, total)
	if res.LoadedRSS, err = procStatus(pid, "VmRSS"); err != nil {
		return res, err
	}
	if res.PeakRSS, err = procStatus(pid, "VmHWM"); err != nil {
		return res, err
	}
	return res, nil
}

// answered counts members with at least two bot messages (both commands).
func answered(sim *telegramsim.Simulator, total int) int {
	got := 0
	for i := range total {
		n := 0
		for _, m := range sim.Chat(int64(memoryBaseID + i)) {
			if m.FromBot {
				n++
			}
		}
		if n >= 2 {
			got++
		}
	}
	return got
}

func stopChild(cmd *exec.Cmd) {
	_ = cmd.Process.Signal(syscall.SIGTERM)
	done := make(chan struct{})
	go func() { _ = cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(15 * time.Second):
		_ = cmd.Process.Kill()
		<-done
	}
}

// procStatus reads a "kB" field of /proc/PID/status, in bytes.
func procStatus(pid int, field string) (int64, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, fmt.Errorf("read process status: %w", err)
	}
	for line := range strings.SplitSeq(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, field+":"); ok {
			kb, err := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
			return kb << 10, err
		}
	}
	return 0, fmt.Errorf("/proc/%d/status has no %s", pid, field)
}

// BuildConfbot builds cmd/confbot into dir and returns the binary's path.
func BuildConfbot(ctx context.Context, dir string) (string, error) {
	bin := filepath.Join(dir, "confbot")
	out, err := exec.CommandContext(ctx, "go", "build", "-o", bin, "github.com/confbot/confbot/cmd/confbot").CombinedOutput()
	if err != nil {
		return "", fmt.Errorf("go build: %w\n%s", err, out)
	}
	return bin, nil
}
