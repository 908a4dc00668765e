// Package metrics holds confbot's Prometheus metrics in a registry of its
// own (no global default registry) and serves /healthz, /readyz, /metrics.
package metrics

import (
	"context"
	"net/http"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Metrics are the bot's counters and histograms.
type Metrics struct {
	Registry   *prometheus.Registry
	updates    *prometheus.CounterVec
	latency    *prometheus.HistogramVec
	sent       *prometheus.CounterVec
	limited    prometheus.Counter
	queueDepth prometheus.Gauge
	reminders  *prometheus.CounterVec
	remDropped prometheus.Counter
	dropped    *prometheus.CounterVec
}

// New registers the metrics in a fresh registry.
func New() *Metrics {
	m := &Metrics{
		Registry: prometheus.NewRegistry(),
		updates: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "confbot_updates_total", Help: "Updates handled, by type and outcome."}, []string{"type", "outcome"}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "confbot_handler_seconds", Help: "Time to handle one update.",
			Buckets: []float64{.001, .0025, .005, .01, .02, .05, .1, .25, .5, 1, 2.5, 5}}, []string{"type"}),
		sent: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "confbot_messages_sent_total", Help: "Bot API calls that succeeded, by method."}, []string{"method"}),
		limited: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "confbot_telegram_429_total", Help: "429 Too Many Requests answers from Telegram."}),
		queueDepth: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "confbot_send_queue_depth", Help: "Outbound requests waiting for their turn."}),
		reminders: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "confbot_reminders_sent_total", Help: "Reminders delivered, one per person, by whether they went out late."}, []string{"late"}),
		remDropped: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "confbot_reminders_dropped_total", Help: "Reminders missed beyond their grace period and not sent."}),
		dropped: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "confbot_updates_dropped_total", Help: "Updates not handled: over a person's flood limit, or undecodable."}, []string{"reason"}),
	}
	m.Registry.MustRegister(m.updates, m.latency, m.sent, m.limited, m.queueDepth, m.reminders, m.remDropped, m.dropped,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

// Handled counts one update (bot.IntakeMetrics).
func (m *Metrics) Handled(kind, outcome string, took time.Duration) {
	// The latency first: whoever sees the count sees its latency too.
	m.latency.WithLabelValues(kind).Observe(took.Seconds())
	m.updates.WithLabelValues(kind, outcome).Inc()
}

// Dropped counts one update that was not handled (bot.DropMetrics).
func (m *Metrics) Dropped(reason string) { m.dropped.WithLabelValues(reason).Inc() }

// Sent counts one successful Bot API call.
func (m *Metrics) Sent(method string) { m.sent.WithLabelValues(method).Inc() }

// RateLimited counts one 429.
func (m *Metrics) RateLimited() { m.limited.Inc() }

// ReminderSent counts one reminder delivered (scheduler.Metrics).
func (m *Metrics) ReminderSent(late bool) {
	m.reminders.WithLabelValues(strconv.FormatBool(late)).Inc()
}

// ReminderDropped counts one reminder missed beyond its grace.
func (m *Metrics) ReminderDropped() { m.remDropped.Inc() }

// QueueDepth sets the outbound queue's depth.
func (m *Metrics) QueueDepth(n int) { m.queueDepth.Set(float64(n)) }

// Mux serves /healthz (the process runs), /readyz (ready answers) and /metrics.
func (m *Metrics) Mux(ready func(ctx context.Context) error) *http.ServeMux {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) {
		_, _ = w.Write([]byte("ok\n"))
	})
	mux.HandleFunc("GET /readyz", func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
		defer cancel()
		if err := ready(ctx); err != nil {
			http.Error(w, "not ready: "+err.Error(), http.StatusServiceUnavailable)
			return
		}
		_, _ = w.Write([]byte("ready\n"))
	})
	mux.Handle("GET /metrics", promhttp.HandlerFor(m.Registry, promhttp.HandlerOpts{}))
	return mux
}
