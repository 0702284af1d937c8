"""Prometheus metrics: requests, sends, lost leases, and the outbox backlog.

Counters and histograms live in this process. The outbox gauges (delivery/backlog.py) are not
kept anywhere: they are read from the database when /metrics is scraped (two indexed queries),
so every web process reports the same truth, however many workers there are.

Several processes (`serve --workers N`, or gunicorn): each process counts its own requests,
and a scrape reaches only one of them. Set PROMETHEUS_MULTIPROC_DIR to an empty directory,
shared by the processes of one machine and emptied before they start; prometheus-client then
keeps every counter in files there, and /metrics adds up all the processes' files (see
`process_metrics`). The outbox worker run as `python -m app worker` counts its sends in its
own process: with a shared PROMETHEUS_MULTIPROC_DIR on the same machine they appear on the web
process's /metrics too; otherwise only the in-process worker's (SQLite) sends are counted.
"""

from __future__ import annotations

import os

from prometheus_client import (
    REGISTRY,
    CollectorRegistry,
    Counter,
    Histogram,
    disable_created_metrics,
    generate_latest,
    multiprocess,
)
from prometheus_client.registry import Collector

# No `_created` series beside every counter: they double what is scraped and nothing reads them.
disable_created_metrics()  # type: ignore[no-untyped-call]

REQUESTS = Counter(
    "mypathways_http_requests",
    "HTTP requests answered, by method, route template and status class (2xx, 4xx, ...).",
    ["method", "route", "status_class"],
)
LATENCY = Histogram(
    "mypathways_http_request_duration_seconds",
    "Time from a request's arrival to the end of its answer, by route template and status class.",
    ["route", "status_class"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0),
)
SENDS = Counter(
    "mypathways_sends",
    "Messages the outbox worker dealt with, by channel and outcome (sent, pending = will "
    "try again, failed-permanent, failed-technical, cancelled).",
    ["channel", "outcome"],
)
LEASES_LOST = Counter(
    "mypathways_worker_leases_lost",
    "Sends whose outcome could not be recorded because the worker's lease had run out and "
    "another worker had taken the message over.",
)


def observe_request(method: str, route: str, status: int, seconds: float) -> None:
    """Count one answered request and its time."""
    status_class = f"{status // 100}xx"
    REQUESTS.labels(method, route, status_class).inc()
    LATENCY.labels(route, status_class).observe(seconds)


def observe_send(channel: str, outcome: str) -> None:
    """Count one message dealt with by the worker."""
    SENDS.labels(channel, outcome).inc()


def observe_lease_lost() -> None:
    LEASES_LOST.inc()


def process_metrics() -> bytes:
    """This process's metrics, or every process's in multiprocess mode."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
        return generate_latest(registry)
    return generate_latest(REGISTRY)


def scrape(*read_now: Collector) -> bytes:
    """The whole /metrics page: the processes' counters, then the collectors that read their
    values at scrape time (the outbox backlog, from the database)."""
    fresh = CollectorRegistry(auto_describe=False)
    for collector in read_now:
        fresh.register(collector)
    return process_metrics() + generate_latest(fresh)
