// Package config reads confbot's configuration from the environment (SPEC §3)
// once, at start, and validates it: a bad value is an error naming the variable.
package config

import (
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"net"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/rs/zerolog"
)

// Mode says which subcommand the configuration is for; serve needs more than the rest.
type Mode int

// Modes.
const (
	ModeServe Mode = iota
	ModeTool       // import, invite, export: Redis only
	ModePlayground
)

// Config is confbot's whole configuration.
type Config struct {
	Token               string
	APIURL              string
	RedisURL            string
	RedisSentinelMaster string
	RedisPrefix         string
	Admins              []int64
	WebhookURL          string
	WebhookSecret       string
	HTTPAddr            string
	BallotSecret        []byte
	SendRate            float64       // messages per second overall
	SendRateChat        float64       // messages per second into one private chat
	SendRateGroup       float64       // messages per minute into one group
	FloodLimit          int           // updates one person may send per FloodWindow; 0: no limit
	FloodWindow         time.Duration // FLOOD_LIMIT's window
	LogLevel            zerolog.Level
	LogFormat           string // json or console
}

// Error is a configuration error naming the variable at fault.
type Error struct {
	Var string
	Msg string
}

func (e *Error) Error() string { return e.Var + ": " + e.Msg }

var (
	secretTokenRe = regexp.MustCompile(`^[A-Za-z0-9_-]{1,256}$`)
	prefixRe      = regexp.MustCompile(`^[A-Za-z0-9_:.-]{1,64}$`)
	tokenRe       = regexp.MustCompile(`^[0-9]{1,20}:[A-Za-z0-9_-]{20,}$`)
)

// Load reads the configuration through getenv (os.Getenv in main, a map in tests).
func Load(getenv func(string) string, mode Mode) (*Config, error) {
	get := func(name, def string) string {
		if v := strings.TrimSpace(getenv(name)); v != "" {
			return v
		}
		return def
	}
	c := &Config{
		Token:               get("TELEGRAM_BOT_TOKEN", ""),
		APIURL:              strings.TrimRight(get("TELEGRAM_API_URL", "https://api.telegram.org"), "/"),
		RedisURL:            get("REDIS_URL", "redis://127.0.0.1:6379/0"),
		RedisSentinelMaster: get("REDIS_SENTINEL_MASTER", ""),
		RedisPrefix:         get("REDIS_PREFIX", "confbot"),
		WebhookURL:          get("WEBHOOK_URL", ""),
		WebhookSecret:       get("WEBHOOK_SECRET", ""),
		HTTPAddr:            get("HTTP_ADDR", "127.0.0.1:8080"),
		LogFormat:           get("LOG_FORMAT", "json"),
	}
	if mode == ModeServe {
		if c.Token == "" {
			return nil, &Error{"TELEGRAM_BOT_TOKEN", "required for serve"}
		}
		if !tokenRe.MatchString(c.Token) {
			// Say what is wrong without echoing the token.
			return nil, &Error{"TELEGRAM_BOT_TOKEN", "not a bot token (expected digits:secret)"}
		}
	}
	if u, err := url.Parse(c.APIURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, &Error{"TELEGRAM_API_URL", "must be an http(s) URL"}
	}
	if err := validateRedisURL(c.RedisURL, c.RedisSentinelMaster != ""); err != nil {
		return nil, &Error{"REDIS_URL", err.Error()}
	}
	if !prefixRe.MatchString(c.RedisPrefix) {
		return nil, &Error{"REDIS_PREFIX", "1-64 characters of A-Za-z0-9_:.- (no braces: the prefix must not form a hash tag)"}
	}
	admins, err := parseAdmins(get("BOT_ADMINS", ""))
	if err != nil {
		return nil, &Error{"BOT_ADMINS", err.Error()}
	}
	c.Admins = admins
	if c.WebhookURL != "" {
		u, err := url.Parse(c.WebhookURL)
		if err != nil || u.Scheme != "https" && u.Scheme != "http" || u.Host == "" {
			return nil, &Error{"WEBHOOK_URL", "must be an https URL"}
		}
		if !secretTokenRe.MatchString(c.WebhookSecret) {
			return nil, &Error{"WEBHOOK_SECRET", "required with WEBHOOK_URL: 1-256 characters of A-Za-z0-9_-"}
		}
	}
	if _, _, err := net.SplitHostPort(c.HTTPAddr); err != nil {
		return nil, &Error{"HTTP_ADDR", "must be host:port"}
	}
	if secret := get("BALLOT_SECRET", ""); secret != "" {
		key, err := decodeSecret(secret)
		if err != nil {
			return nil, &Error{"BALLOT_SECRET", err.Error()}
		}
		c.BallotSecret = key
	} else if mode == ModeServe {
		return nil, &Error{"BALLOT_SECRET", "required for serve: 32+ random bytes, hex or base64"}
	}
	rates := []struct {
		name string
		def  string
		dst  *float64
	}{
		{"SEND_RATE", "30", &c.SendRate},
		{"SEND_RATE_CHAT", "1", &c.SendRateChat},
		{"SEND_RATE_GROUP", "20", &c.SendRateGroup},
	}
	for _, r := range rates {
		v, err := strconv.ParseFloat(get(r.name, r.def), 64)
		if err != nil || v <= 0 || v > 1e6 {
			return nil, &Error{r.name, "must be a positive number"}
		}
		*r.dst = v
	}
	if c.FloodLimit, c.FloodWindow, err = parseFlood(get("FLOOD_LIMIT", "20/10s")); err != nil {
		return nil, &Error{"FLOOD_LIMIT", err.Error()}
	}
	level, err := zerolog.ParseLevel(strings.ToLower(get("LOG_LEVEL", "info")))
	if err != nil || level == zerolog.NoLevel {
		return nil, &Error{"LOG_LEVEL", "one of trace, debug, info, warn, error, fatal, panic, disabled"}
	}
	c.LogLevel = level
	if c.LogFormat != "json" && c.LogFormat != "console" {
		return nil, &Error{"LOG_FORMAT", "json or console"}
	}
	return c, nil
}

func validateRedisURL(raw string, sentinel bool) error {
	if strings.Contains(raw, "://") {
		u, err := url.Parse(raw)
		if err != nil {
			return fmt.Errorf("not a URL")
		}
		if u.Scheme != "redis" && u.Scheme != "rediss" {
			return fmt.Errorf("scheme must be redis:// or rediss://")
		}
		return nil
	}
	for _, addr := range strings.Split(raw, ",") {
		if _, _, err := net.SplitHostPort(strings.TrimSpace(addr)); err != nil {
			return fmt.Errorf("%q is neither a redis:// URL nor host:port", addr)
		}
	}
	if !sentinel && !strings.Contains(raw, ",") {
		return fmt.Errorf("a single host:port needs redis://host:port (a list means Redis Cluster)")
	}
	return nil
}

// parseFlood reads FLOOD_LIMIT: "N/duration" (20/10s), or 0 for none.
func parseFlood(raw string) (int, time.Duration, error) {
	if strings.TrimSpace(raw) == "0" {
		return 0, 0, nil
	}
	n, d, ok := strings.Cut(raw, "/")
	limit, err := strconv.Atoi(strings.TrimSpace(n))
	window, derr := time.ParseDuration(strings.TrimSpace(d))
	if !ok || err != nil || derr != nil || limit < 1 || window < time.Second || window > time.Hour {
		return 0, 0, fmt.Errorf("want updates per window, like 20/10s (window 1s to 1h), or 0 for none")
	}
	return limit, window, nil
}

func parseAdmins(raw string) ([]int64, error) {
	if raw == "" {
		return nil, nil
	}
	var ids []int64
	for _, f := range strings.Split(raw, ",") {
		id, err := strconv.ParseInt(strings.TrimSpace(f), 10, 64)
		if err != nil || id <= 0 {
			return nil, fmt.Errorf("%q is not a Telegram user id", strings.TrimSpace(f))
		}
		ids = append(ids, id)
	}
	return ids, nil
}

func decodeSecret(s string) ([]byte, error) {
	if b, err := hex.DecodeString(s); err == nil {
		if len(b) < 32 {
			return nil, fmt.Errorf("must be at least 32 bytes (64 hex digits)")
		}
		return b, nil
	}
	for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.RawStdEncoding, base64.URLEncoding, base64.RawURLEncoding} {
		if b, err := enc.DecodeString(s); err == nil {
			if len(b) < 32 {
				return nil, fmt.Errorf("must be at least 32 bytes")
			}
			return b, nil
		}
	}
	return nil, fmt.Errorf("must be hex or base64")
}

// IsAdmin reports whether id is listed in BOT_ADMINS.
func (c *Config) IsAdmin(id int64) bool {
	for _, a := range c.Admins {
		if a == id {
			return true
		}
	}
	return false
}
