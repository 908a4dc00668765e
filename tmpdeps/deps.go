package tmpdeps

import (
	_ "github.com/alicebob/miniredis/v2"
	_ "github.com/go-telegram/bot"
	_ "github.com/prometheus/client_golang/prometheus"
	_ "github.com/redis/go-redis/v9"
	_ "github.com/robfig/cron/v3"
	_ "github.com/rs/zerolog"
	_ "go.yaml.in/yaml/v3"
)
