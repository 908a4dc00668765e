package main

import (
	"context"
	"fmt"

	"github.com/rs/zerolog"

	"github.com/confbot/confbot/app"
	"github.com/confbot/confbot/config"
)

// serve runs the bot until SIGINT or SIGTERM, then shuts down within 10 s.
func serve(ctx context.Context, cfg *config.Config, log zerolog.Logger) error {
	a, err := app.New(ctx, cfg, log, app.Options{})
	if err != nil {
		return fmt.Errorf("start: %w", err)
	}
	if err := a.Start(ctx); err != nil {
		_ = a.Shutdown(context.Background())
		return fmt.Errorf("start: %w", err)
	}
	<-ctx.Done()
	log.Info().Msg("shutting down")
	sctx, cancel := context.WithTimeout(context.Background(), app.ShutdownTimeout)
	defer cancel()
	return a.Shutdown(sctx)
}
