"""What the request id, access line and request metrics (#21) add to each request.

Calls the ASGI app in-process (no sockets, so the difference is not lost in network noise) on
/healthz, which runs the whole middleware stack, routing and app-level dependencies, first
without the two observability middlewares and then with them, logging JSON lines to
/dev/null as production would to stdout. Runs the two alternately (each first in every other round) and prints the median of
the per-round means, in microseconds per request.

Usage: .venv/bin/python bench/observability_overhead.py [--requests 3000] [--rounds 7]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("MYPATHWAYS_ENV", "development")
os.environ.setdefault("MYPATHWAYS_DATABASE_URL", f"sqlite:///{tempfile.mkdtemp()}/bench.db")


def build(with_observability: bool) -> Any:
    from app.core.access import AccessLog, RequestIds
    from app.main import create_app

    app = create_app()
    if not with_observability:
        app.user_middleware = [
            m for m in app.user_middleware if m.cls not in (AccessLog, RequestIds)
        ]
    return app


async def run(app: Any, requests: int) -> float:
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": "/healthz",
        "raw_path": b"/healthz",
        "query_string": b"",
        "root_path": "",
        "server": ("127.0.0.1", 8000),
        "client": ("127.0.0.1", 5000),
        "headers": [(b"host", b"127.0.0.1"), (b"accept", b"application/json")],
    }

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(_message: dict[str, Any]) -> None:
        return None

    started = time.perf_counter()
    for _ in range(requests):
        await app(dict(scope, headers=list(scope["headers"])), receive, send)
    return (time.perf_counter() - started) / requests * 1_000_000


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=3000)
    parser.add_argument("--rounds", type=int, default=7)
    args = parser.parse_args()

    from app.core.config import Settings
    from app.core.logs import configure_logging

    apps = {"without": build(False), "with": build(True)}
    with open(os.devnull, "w") as devnull:
        configure_logging(Settings(log_format="json"), devnull)  # after create_app's own
        for app in apps.values():  # warm up: routes compiled, first connection opened
            asyncio.run(run(app, 200))
        means: dict[str, list[float]] = {name: [] for name in apps}
        for round_ in range(args.rounds):
            order = list(apps.items())
            for name, app in order if round_ % 2 else reversed(order):  # neither always first
                means[name].append(asyncio.run(run(app, args.requests)))
    without, with_ = statistics.median(means["without"]), statistics.median(means["with"])
    print(f"/healthz in-process: without {without:.0f} µs, with {with_:.0f} µs per request")
    print(f"observability adds {with_ - without:.0f} µs ({(with_ / without - 1) * 100:.1f} %)")


if __name__ == "__main__":
    main()
