package playground

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/redis/go-redis/v9"
)

// DefaultSecretFile is where the playground keeps its ballot secret between
// runs: <user config dir>/confbot/playground-secret.
func DefaultSecretFile() (string, error) {
	dir, err := os.UserConfigDir()
	if err != nil {
		return "", fmt.Errorf("user config dir: %w", err)
	}
	return filepath.Join(dir, "confbot", "playground-secret"), nil
}

// newSecretHex returns 32 random bytes as hex, the form BALLOT_SECRET takes.
func newSecretHex() string {
	b := make([]byte, 32)
	_, _ = rand.Read(b) // crypto/rand.Read never fails (Go 1.24+)
	return hex.EncodeToString(b)
}

// fileSecret reads the secret from path, creating it (0600) on first use.
func fileSecret(path string) (string, error) {
	raw, err := os.ReadFile(path)
	if err == nil {
		if s := strings.TrimSpace(string(raw)); s != "" {
			return s, nil
		}
	} else if !errors.Is(err, fs.ErrNotExist) {
		return "", fmt.Errorf("read ballot secret: %w", err)
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return "", fmt.Errorf("ballot secret dir: %w", err)
	}
	secret := newSecretHex()
	if err := os.WriteFile(path, []byte(secret+"\n"), 0o600); err != nil {
		return "", fmt.Errorf("write ballot secret: %w", err)
	}
	return secret, nil
}

// redisSecret keeps the secret in Redis next to the state it protects, so a
// playground on a real Redis reads its ballots back after a restart. (Serve
// keeps it apart from Redis; a playground has nothing to hide.)
func redisSecret(ctx context.Context, rdb redis.UniversalClient, key string) (string, error) {
	if err := rdb.SetNX(ctx, key, newSecretHex(), 0).Err(); err != nil {
		return "", fmt.Errorf("store ballot secret: %w", err)
	}
	s, err := rdb.Get(ctx, key).Result()
	if err != nil {
		return "", fmt.Errorf("load ballot secret: %w", err)
	}
	return s, nil
}
