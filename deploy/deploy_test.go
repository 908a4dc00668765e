package deploy_test

import (
	"encoding/json"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"

	"github.com/confbot/confbot/metrics"
)

// compose is the part of compose.yaml the checks read.
type compose struct {
	Services map[string]struct {
		Image       string            `yaml:"image"`
		Command     []string          `yaml:"command"`
		EnvFile     string            `yaml:"env_file"`
		Environment map[string]string `yaml:"environment"`
		Volumes     []string          `yaml:"volumes"`
		DependsOn   map[string]struct {
			Condition string `yaml:"condition"`
		} `yaml:"depends_on"`
		Healthcheck struct {
			Test []string `yaml:"test"`
		} `yaml:"healthcheck"`
	} `yaml:"services"`
	Volumes map[string]any `yaml:"volumes"`
}

func read(t *testing.T, name string) []byte {
	t.Helper()
	data, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// configVariables lists the environment variables config.Load reads: the
// quoted capitals of config/config.go.
func configVariables(t *testing.T) []string {
	t.Helper()
	var names []string
	for _, m := range regexp.MustCompile(`"([A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+)"`).FindAllStringSubmatch(string(read(t, "../config/config.go")), -1) {
		if !slices.Contains(names, m[1]) {
			names = append(names, m[1])
		}
	}
	if len(names) < 10 {
		t.Fatalf("found only %v in config.go", names)
	}
	return names
}

// envFileNames lists the variables the env file template names, set or
// commented out.
func envFileNames(t *testing.T) []string {
	t.Helper()
	var names []string
	for _, line := range strings.Split(string(read(t, "confbot.env.example")), "\n") {
		line = strings.TrimPrefix(strings.TrimSpace(line), "#")
		if name, _, ok := strings.Cut(line, "="); ok && regexp.MustCompile(`^[A-Z][A-Z0-9_]+$`).MatchString(name) {
			names = append(names, name)
		}
	}
	return names
}

// TestComposeMatchesConfig: compose.yaml and the env file name only
// variables the configuration reads (TZ aside, for the zone database), the
// template names every one of them, Redis keeps an append-only file synced
// every second in a volume, and the bot waits for Redis and checks /healthz.
func TestComposeMatchesConfig(t *testing.T) {
	var c compose
	if err := yaml.Unmarshal(read(t, "compose.yaml"), &c); err != nil {
		t.Fatal(err)
	}
	vars := configVariables(t)
	bot, ok := c.Services["confbot"]
	if !ok {
		t.Fatal("no confbot service")
	}
	for name := range bot.Environment {
		if name != "TZ" && !slices.Contains(vars, name) {
			t.Errorf("compose sets %s, which the configuration does not read", name)
		}
	}
	if _, err := os.Stat(bot.EnvFile + ".example"); err != nil {
		t.Errorf("env_file %s has no template: %v", bot.EnvFile, err)
	}
	template := envFileNames(t)
	for _, name := range template {
		if !slices.Contains(vars, name) {
			t.Errorf("confbot.env.example names %s, which the configuration does not read", name)
		}
	}
	for _, name := range vars {
		if !slices.Contains(template, name) {
			t.Errorf("confbot.env.example does not name %s", name)
		}
	}
	if got := strings.Join(bot.Healthcheck.Test, " "); !strings.Contains(got, "confbot health") {
		t.Errorf("the bot's health check is %q, want confbot health (/healthz)", got)
	}
	if bot.DependsOn["redis"].Condition != "service_healthy" {
		t.Error("the bot does not wait for a healthy Redis")
	}
	redis := c.Services["redis"]
	cmd := strings.Join(redis.Command, " ")
	for _, want := range []string{"--appendonly yes", "--appendfsync everysec"} {
		if !strings.Contains(cmd, want) {
			t.Errorf("redis command %q lacks %s", cmd, want)
		}
	}
	if len(redis.Volumes) == 0 || !strings.HasSuffix(redis.Volumes[0], ":/data") {
		t.Errorf("redis keeps no volume at /data: %v", redis.Volumes)
	}
	if volume, _, _ := strings.Cut(redis.Volumes[0], ":"); c.Volumes == nil || !hasKey(c.Volumes, volume) {
		t.Errorf("volume %s is not declared", volume)
	}
}

func hasKey(m map[string]any, k string) bool { _, ok := m[k]; return ok }

// TestDashboardMetricsExist: every metric the dashboard queries is one the
// bot registers.
func TestDashboardMetricsExist(t *testing.T) {
	var dash struct {
		Panels []struct {
			Title   string `json:"title"`
			Targets []struct {
				Expr string `json:"expr"`
			} `json:"targets"`
		} `json:"panels"`
	}
	if err := json.Unmarshal(read(t, "grafana-dashboard.json"), &dash); err != nil {
		t.Fatal(err)
	}
	m := metrics.New()
	// Vectors appear once they have a series.
	m.Handled("message", "ok", 0)
	m.Sent("sendMessage")
	m.RateLimited()
	m.QueueDepth(0)
	m.ReminderSent(false)
	m.ReminderDropped()
	families, err := m.Registry.Gather()
	if err != nil {
		t.Fatal(err)
	}
	registered := map[string]bool{}
	for _, f := range families {
		registered[f.GetName()] = true
	}
	name := regexp.MustCompile(`confbot_[a-z0-9_]+`)
	used := map[string]bool{}
	for _, p := range dash.Panels {
		if len(p.Targets) == 0 {
			t.Errorf("panel %q has no query", p.Title)
		}
		for _, target := range p.Targets {
			for _, n := range name.FindAllString(target.Expr, -1) {
				base := strings.TrimSuffix(strings.TrimSuffix(strings.TrimSuffix(n, "_bucket"), "_sum"), "_count")
				used[base] = true
				if !registered[base] {
					t.Errorf("panel %q queries %s, which the bot does not register", p.Title, n)
				}
			}
		}
	}
	for n := range registered {
		if strings.HasPrefix(n, "confbot_") && !used[n] {
			t.Errorf("the dashboard shows nothing of %s", n)
		}
	}
}

// TestSystemdUnit runs serve with the env file, as a dynamic user, and
// gives shutdown more time than it takes.
func TestSystemdUnit(t *testing.T) {
	unit := string(read(t, "confbot.service"))
	for _, want := range []string{"ExecStart=/usr/local/bin/confbot serve", "EnvironmentFile=/etc/confbot/confbot.env",
		"DynamicUser=yes", "KillSignal=SIGTERM", "TimeoutStopSec=15", "Restart=on-failure", "WantedBy=multi-user.target"} {
		if !strings.Contains(unit, want+"\n") {
			t.Errorf("confbot.service lacks %s", want)
		}
	}
}
