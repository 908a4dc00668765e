// Package deploy holds the deployment files — compose.yaml, the env file
// template confbot.env.example, the systemd unit confbot.service and the
// Grafana dashboard grafana-dashboard.json — and, in its test, the checks
// that keep them in step with the configuration and the metrics.
package deploy
