"""Prometheus metrics (served at /metrics by the webhook server). No labels carry personal data."""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram

REGISTRY = CollectorRegistry()

UPDATES = Counter("lurecheck_updates_total", "Updates processed, by kind and outcome",
                  ["kind", "outcome"], registry=REGISTRY)
UPDATE_SECONDS = Histogram("lurecheck_update_seconds", "Time to process one update (step + replies)",
                           buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
                           registry=REGISTRY)
REPLIES = Counter("lurecheck_replies_total", "Messages sent", registry=REGISTRY)
SEND_RETRIES = Counter("lurecheck_send_retries_total", "Sends retried after a transient error",
                       registry=REGISTRY)
ERRORS = Counter("lurecheck_errors_total", "Failed updates, by error type", ["error"], registry=REGISTRY)
INBOX_DEPTH = Gauge("lurecheck_inbox_depth", "Updates pending or in progress in the inbox",
                    registry=REGISTRY)
WEBHOOK_REQUESTS = Counter("lurecheck_webhook_requests_total", "Webhook requests, by answer",
                           ["status"], registry=REGISTRY)
