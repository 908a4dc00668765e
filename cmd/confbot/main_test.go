package main

import (
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/confbot/confbot/examples"
	"github.com/confbot/confbot/storage/storagetest"
	"github.com/confbot/confbot/telegramsim"
)

func runCLI(env map[string]string, args ...string) (code int, stdout, stderr string) {
	var out, errb bytes.Buffer
	code = run(args, func(k string) string { return env[k] }, &out, &errb)
	return code, out.String(), errb.String()
}

func TestVersionAndUsage(t *testing.T) {
	if code, out, _ := runCLI(nil, "version"); code != 0 || !strings.HasPrefix(out, "confbot ") {
		t.Errorf("version: %d %q", code, out)
	}
	if code, _, errs := runCLI(nil, "frobnicate"); code != 2 || !strings.Contains(errs, "unknown command") {
		t.Errorf("unknown command: %d %q", code, errs)
	}
}

func TestServeRefusesBadConfigurationInOneLine(t *testing.T) {
	code, _, errs := runCLI(map[string]string{"TELEGRAM_BOT_TOKEN": "123:abcdefghijklmnopqrstuvwxyz", "BALLOT_SECRET": "short"}, "serve")
	if code != 2 || strings.Count(strings.TrimSpace(errs), "\n") != 0 || !strings.Contains(errs, "BALLOT_SECRET") {
		t.Errorf("serve with a bad secret: code %d, stderr %q", code, errs)
	}
}

func TestImportAndInviteCLI(t *testing.T) {
	url, prefix := storagetest.URL(t)
	dir := t.TempDir()
	good := filepath.Join(dir, "cum8.yaml")
	if err := os.WriteFile(good, examples.Cum8, 0o600); err != nil {
		t.Fatal(err)
	}
	sim := telegramsim.New(telegramsim.WithToken("4242:AAcliTokenForTestsOnly_abcdefghij"), telegramsim.WithBotUser(4242, "cum_bot"))
	defer sim.Close()
	env := map[string]string{"REDIS_URL": url, "REDIS_PREFIX": prefix,
		"TELEGRAM_BOT_TOKEN": "4242:AAcliTokenForTestsOnly_abcdefghij", "TELEGRAM_API_URL": sim.URL()}

	code, out, errs := runCLI(env, "import", good)
	if code != 0 || !strings.Contains(out, "imported cum8-bt/tk-2022: 6 units, 5 ballots, 9 people") {
		t.Fatalf("import: %d %q %q", code, out, errs)
	}
	if code, out, _ := runCLI(env, "import", good); code != 0 || !strings.Contains(out, "unchanged") {
		t.Errorf("re-import: %d %q", code, out)
	}
	bad := filepath.Join(dir, "bad.yaml")
	_ = os.WriteFile(bad, bytes.Replace(examples.Cum8, []byte("quota: 2\n    closes_after"), []byte("quota: -1\n    closes_after"), 1), 0o600)
	if code, _, errs := runCLI(env, "import", bad); code != 1 || !strings.Contains(errs, "ballots[0].quota") {
		t.Errorf("bad import: %d %q", code, errs)
	}

	code, out, errs = runCLI(env, "invite", "cum8-bt/tk-2022", "khtc", "head")
	if code != 0 || !regexp.MustCompile(`https://t\.me/cum_bot\?start=[A-Za-z0-9_-]{22}\n`).MatchString(out) {
		t.Errorf("invite: %d %q %q", code, out, errs)
	}
	if code, out, errs := runCLI(env, "invite", "tk-2022", "khtc", "delegate"); code != 0 || !strings.Contains(out, "unit KHTC, role delegate") {
		t.Errorf("invite with a bare conference id: %d %q %q", code, out, errs)
	}
	if code, _, errs := runCLI(env, "invite", "cum8-bt/tk-2022", "NOPE"); code != 1 || !strings.Contains(errs, "unknown unit") {
		t.Errorf("invite to an unknown unit: %d %q", code, errs)
	}
}
