package main

import (
	"context"
	"fmt"
	"runtime/debug"

	tgbot "github.com/go-telegram/bot"

	"github.com/confbot/confbot/config"
)

// Version is set at build time with -ldflags "-X main.Version=…".
var Version = ""

func version() string {
	if Version != "" {
		return Version
	}
	if bi, ok := debug.ReadBuildInfo(); ok {
		rev, dirty := "", ""
		for _, s := range bi.Settings {
			switch s.Key {
			case "vcs.revision":
				rev = s.Value
			case "vcs.modified":
				if s.Value == "true" {
					dirty = "-dirty"
				}
			}
		}
		if rev != "" {
			if len(rev) > 12 {
				rev = rev[:12]
			}
			return "dev-" + rev + dirty
		}
		if bi.Main.Version != "" {
			return bi.Main.Version
		}
	}
	return "dev"
}

// botUsername asks Telegram (getMe) for the bot's username.
func botUsername(ctx context.Context, cfg *config.Config) (string, error) {
	b, err := tgbot.New(cfg.Token, tgbot.WithServerURL(cfg.APIURL), tgbot.WithSkipGetMe())
	if err != nil {
		return "", fmt.Errorf("telegram client: %w", err)
	}
	me, err := b.GetMe(ctx)
	if err != nil {
		return "", fmt.Errorf("getMe: %w", err)
	}
	return me.Username, nil
}
