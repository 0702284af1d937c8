"""A form whose body is slow to arrive holds nobody else up (app/core/bodies.py), through a
real server: the outside pass held every change in the app with one unfinished POST."""

from __future__ import annotations

import re
import socket
import time
from pathlib import Path

import httpx

from tests.demo_server import start_demo_server

UNFINISHED_POST = (
    b"POST /sign-in HTTP/1.1\r\nHost: 127.0.0.1\r\n"
    b"Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 1000\r\n\r\ncontact=07"
)


def _send_sign_in_form(url: str) -> httpx.Response:
    with httpx.Client(base_url=url, timeout=20) as http:
        page = http.get("/sign-in", headers={"accept": "text/html"})
        token = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
        assert token is not None
        return http.post(
            "/sign-in",
            data={"contact": "07700 900100", "csrf_token": token.group(1)},
            headers={"accept": "text/html"},
        )


def _whole_reply(connection: socket.socket) -> str:
    """What the server sent until it closed the connection."""
    received = b""
    while chunk := connection.recv(65536):
        received += chunk
    return received.decode(errors="replace")


def test_a_body_still_arriving_holds_up_no_other_change_and_is_answered_408(
    tmp_path: Path,
) -> None:
    server = start_demo_server(tmp_path, {"MYPATHWAYS_REQUEST_BODY_SECONDS": "4"})
    slow = socket.create_connection(("127.0.0.1", int(server.url.rsplit(":", 1)[1])))
    try:
        slow.sendall(UNFINISHED_POST)
        time.sleep(0.5)  # it has arrived and is waiting for the rest of its body
        started = time.monotonic()
        answer = _send_sign_in_form(server.url)
        took = time.monotonic() - started
        # Before: this waited for the write turn the unfinished POST had taken, until its
        # connection closed (the client gave up after its 20 s timeout).
        assert answer.status_code == 303, answer.status_code
        assert took < 3.5, f"another person's form waited {took:.1f} s"
        slow.settimeout(15)
        reply = _whole_reply(slow)
        assert reply.startswith("HTTP/1.1 408"), reply[:200]
        assert "did not arrive in time" in reply and "Nothing has changed" in reply
    finally:
        slow.close()
        server.stop()  # and no traceback in its log
