"""`python -m app serve` on a fresh demo database (migrate, seed-demo, serve on a free port), as
an operator runs it: used by the browser tests, the page-budget benchmark and the screenshots."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import httpx

from tests.postgres import free_port

ROOT = Path(__file__).resolve().parents[1]


@dataclass
class DemoServer:
    process: subprocess.Popen[bytes]
    url: str
    database_url: str
    env: dict[str, str]
    log_path: Path

    def stop(self) -> None:
        """Stop the server; AssertionError if its log has a traceback (no request may fail)."""
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()  # open event streams can outlast a graceful shutdown
            self.process.wait(timeout=10)
        log = self.log_path.read_text(errors="replace")
        assert "Traceback" not in log, "the server logged a traceback:\n" + log[-4000:]


def start_demo_server(folder: Path, extra_env: dict[str, str] | None = None) -> DemoServer:
    """Start it and wait until /healthz answers; the server's output goes to folder/server.log."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    env = {
        **os.environ,
        "MYPATHWAYS_ENV": "development",
        "MYPATHWAYS_DATABASE_URL": f"sqlite:///{folder / 'demo.db'}",
        "MYPATHWAYS_BASE_URL": url,
        **(extra_env or {}),
    }
    for command in (["migrate"], ["seed-demo"]):
        subprocess.run(
            [sys.executable, "-m", "app", *command],
            cwd=ROOT,
            env=env,
            check=True,
            capture_output=True,
        )
    log_path = folder / "server.log"
    with log_path.open("w") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "app", "serve", "--port", str(port)],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    deadline = time.monotonic() + 30
    while True:
        try:
            if httpx.get(f"{url}/healthz", timeout=1).status_code == 200:
                break
        except httpx.HTTPError:
            pass
        if time.monotonic() > deadline or process.poll() is not None:
            process.kill()
            raise RuntimeError("the demo server did not start: " + log_path.read_text())
        time.sleep(0.2)
    return DemoServer(process, url, env["MYPATHWAYS_DATABASE_URL"], env, log_path)
