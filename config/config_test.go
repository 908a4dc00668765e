package config_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/confbot/confbot/config"
)

const secret = "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff"

func env(kv map[string]string) func(string) string {
	return func(k string) string { return kv[k] }
}

func TestLoadDefaults(t *testing.T) {
	c, err := config.Load(env(map[string]string{"TELEGRAM_BOT_TOKEN": "123:abcdefghijklmnopqrstuvwxyz", "BALLOT_SECRET": secret}), config.ModeServe)
	if err != nil {
		t.Fatal(err)
	}
	if c.RedisURL != "redis://127.0.0.1:6379/0" || c.RedisPrefix != "confbot" || c.HTTPAddr != "127.0.0.1:8080" ||
		c.SendRate != 30 || c.SendRateChat != 1 || c.SendRateGroup != 20 || c.APIURL != "https://api.telegram.org" || c.LogFormat != "json" ||
		c.FloodLimit != 20 || c.FloodWindow != 10*time.Second {
		t.Errorf("defaults: %+v", c)
	}
}

func TestLoadRejects(t *testing.T) {
	base := map[string]string{"TELEGRAM_BOT_TOKEN": "123:abcdefghijklmnopqrstuvwxyz", "BALLOT_SECRET": secret}
	tests := []struct {
		name    string
		set     map[string]string
		wantVar string
	}{
		{"missing token", map[string]string{"TELEGRAM_BOT_TOKEN": ""}, "TELEGRAM_BOT_TOKEN"},
		{"garbage token", map[string]string{"TELEGRAM_BOT_TOKEN": "hello"}, "TELEGRAM_BOT_TOKEN"},
		{"missing ballot secret", map[string]string{"BALLOT_SECRET": ""}, "BALLOT_SECRET"},
		{"short ballot secret", map[string]string{"BALLOT_SECRET": "abcd"}, "BALLOT_SECRET"},
		{"bad redis scheme", map[string]string{"REDIS_URL": "http://x"}, "REDIS_URL"},
		{"single host without scheme", map[string]string{"REDIS_URL": "127.0.0.1:6379"}, "REDIS_URL"},
		{"bad cluster list", map[string]string{"REDIS_URL": "a:1,b"}, "REDIS_URL"},
		{"prefix with brace", map[string]string{"REDIS_PREFIX": "a{b}"}, "REDIS_PREFIX"},
		{"admin not a number", map[string]string{"BOT_ADMINS": "1,x"}, "BOT_ADMINS"},
		{"webhook without secret", map[string]string{"WEBHOOK_URL": "https://example.org/hook"}, "WEBHOOK_SECRET"},
		{"webhook bad secret", map[string]string{"WEBHOOK_URL": "https://example.org/hook", "WEBHOOK_SECRET": "a b"}, "WEBHOOK_SECRET"},
		{"http addr", map[string]string{"HTTP_ADDR": "8080"}, "HTTP_ADDR"},
		{"send rate zero", map[string]string{"SEND_RATE": "0"}, "SEND_RATE"},
		{"send rate text", map[string]string{"SEND_RATE_CHAT": "fast"}, "SEND_RATE_CHAT"},
		{"log level", map[string]string{"LOG_LEVEL": "loud"}, "LOG_LEVEL"},
		{"log format", map[string]string{"LOG_FORMAT": "xml"}, "LOG_FORMAT"},
		{"api url", map[string]string{"TELEGRAM_API_URL": "ftp://x"}, "TELEGRAM_API_URL"},
		{"flood limit without window", map[string]string{"FLOOD_LIMIT": "20"}, "FLOOD_LIMIT"},
		{"flood limit negative", map[string]string{"FLOOD_LIMIT": "-1/10s"}, "FLOOD_LIMIT"},
		{"flood window too short", map[string]string{"FLOOD_LIMIT": "5/1ms"}, "FLOOD_LIMIT"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			kv := map[string]string{}
			for k, v := range base {
				kv[k] = v
			}
			for k, v := range tt.set {
				kv[k] = v
			}
			_, err := config.Load(env(kv), config.ModeServe)
			var cerr *config.Error
			if !errors.As(err, &cerr) || cerr.Var != tt.wantVar {
				t.Fatalf("got %v, want an error naming %s", err, tt.wantVar)
			}
			if strings.Contains(err.Error(), "abcdefghijklmnop") {
				t.Errorf("error leaks the token: %v", err)
			}
		})
	}
}

func TestLoadAccepts(t *testing.T) {
	for _, redisURL := range []string{"redis://127.0.0.1:6379/0", "rediss://user:pw@redis.example:6380/1", "127.0.0.1:7000,127.0.0.1:7001"} {
		c, err := config.Load(env(map[string]string{"REDIS_URL": redisURL, "BOT_ADMINS": "42, 43"}), config.ModeTool)
		if err != nil {
			t.Fatalf("%s: %v", redisURL, err)
		}
		if !c.IsAdmin(43) || c.IsAdmin(44) {
			t.Errorf("admins: %v", c.Admins)
		}
	}
}
