"""#21 "See what it does": one JSON access line per request with its request id, route
template, status and time, and no personal data; /metrics for those allowed, 404 for others."""

from __future__ import annotations

import asyncio
import contextlib
import io
import json
import logging
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from prometheus_client.parser import text_string_to_metric_families
from sqlmodel import Session
from starlette.requests import Request

from app.core.access import AccessLog
from app.core.clock import utcnow
from app.core.config import Environment, Settings, get_settings
from app.core.logs import QUIETER, configure_logging
from app.delivery.models import Channel
from app.delivery.outbox import queue_message
from app.main import create_app
from app.system.metrics import from_metrics_network
from tests.asyncio_run import run_coroutine
from tests.factories import post_form

PHONE = "07700 900457"
TOKEN = "a-long-random-metrics-token-for-tests"


@pytest.fixture
def json_log() -> Iterator[io.StringIO]:
    """Every log line, as production writes it, into a buffer the test can read."""
    stream = io.StringIO()
    root = logging.getLogger()
    level = root.level
    configure_logging(Settings(env=Environment.test, log_format="json"), stream)
    yield stream
    for handler in [h for h in root.handlers if getattr(h, "_mypathways_handler", False)]:
        root.removeHandler(handler)
    root.setLevel(level)
    for name in (*QUIETER, "uvicorn.access"):
        logging.getLogger(name).setLevel(logging.NOTSET)
    logging.getLogger("uvicorn.access").disabled = False


def lines_of(stream: io.StringIO) -> list[dict[str, Any]]:
    return [json.loads(line) for line in stream.getvalue().splitlines() if line.strip()]


def access_lines(stream: io.StringIO) -> list[dict[str, Any]]:
    return [line for line in lines_of(stream) if line["logger"] == "mypathways.access"]


def test_a_request_logs_one_json_line_with_its_request_id_route_status_and_time(
    client: TestClient, json_log: io.StringIO
) -> None:
    response = client.get("/adviser/clients/4321", params={"phone": PHONE}, follow_redirects=False)
    request_id = response.headers["X-Request-ID"]
    [line] = access_lines(json_log)
    assert line["request_id"] == request_id and len(request_id) >= 32
    assert line["route"] == "/adviser/clients/{client_id}"
    assert line["method"] == "GET" and line["status"] == response.status_code == 303
    assert isinstance(line["ms"], float) and line["ms"] >= 0
    assert line["level"] == "INFO" and line["time"].endswith("+00:00")
    text = json_log.getvalue()
    assert "4321" not in text and "phone" not in text and "900457" not in text


def test_a_phone_number_in_a_form_or_a_query_string_never_reaches_the_log(
    client: TestClient, json_log: io.StringIO
) -> None:
    post_form(client, "/sign-in", "/sign-in", {"contact": PHONE})
    client.get("/sign-in", params={"contact": PHONE, "next": "/adviser/clients/88"})
    client.get(f"/no-such-page/{PHONE.replace(' ', '')}")
    lines = access_lines(json_log)
    assert [(line["method"], line["route"]) for line in lines] == [
        ("GET", "/sign-in"),
        ("POST", "/sign-in"),
        ("GET", "/sign-in"),
        ("GET", "<unmatched>"),
    ]
    assert all(line["request_id"] != "-" for line in lines)
    text = json_log.getvalue()
    for written in (PHONE, PHONE.replace(" ", ""), "900457", "+447700"):
        assert written not in text


def test_a_request_id_sent_by_the_proxy_is_kept(client: TestClient, json_log: io.StringIO) -> None:
    given = "6a0f7e1e-3c8f-4c55-9d51-7b7d1b1f0c2a"  # a load balancer's own uuid4
    response = client.get("/healthz", headers={"X-Request-ID": given})
    assert response.headers["X-Request-ID"] == given
    assert access_lines(json_log)[0]["request_id"] == given


def samples(text: str) -> dict[tuple[str, frozenset[tuple[str, str]]], float]:
    return {
        (sample.name, frozenset(sample.labels.items())): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


def requests_counted(text: str, route: str, status_class: str) -> float:
    labels = frozenset({("method", "GET"), ("route", route), ("status_class", status_class)})
    return samples(text).get(("mypathways_http_requests_total", labels), 0.0)


@pytest.fixture
def metrics_token(monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setattr(get_settings(), "metrics_token", TOKEN)
    return TOKEN


def scrape(client: TestClient) -> str:
    response = client.get("/metrics", headers={"Authorization": f"Bearer {TOKEN}"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain")
    text: str = response.text
    return text


def test_metrics_count_requests_by_route_template_and_status_class(
    client: TestClient, metrics_token: str
) -> None:
    before = scrape(client)
    client.get("/healthz")
    client.get("/healthz")
    client.get("/adviser/clients/77", follow_redirects=False)
    after = scrape(client)
    assert (
        requests_counted(after, "/healthz", "2xx")
        == requests_counted(before, "/healthz", "2xx") + 2
    )
    template = "/adviser/clients/{client_id}"
    assert requests_counted(after, template, "3xx") == requests_counted(before, template, "3xx") + 1
    assert "/adviser/clients/77" not in after
    assert (
        'mypathways_http_request_duration_seconds_bucket{le="0.005",route="/healthz",status_class="2xx"}'
        in after
    )


def test_metrics_read_the_outbox_depth_and_the_age_of_the_oldest_due_message(
    client: TestClient, db: Session, metrics_token: str
) -> None:
    empty = samples(scrape(client))
    assert empty[("mypathways_outbox_due", frozenset())] == 0
    assert empty[("mypathways_outbox_oldest_due_age_seconds", frozenset())] == 0
    for minutes_ago in (5, 1):
        row = queue_message(session=db, channel=Channel.sms, recipient=PHONE, body="Code 123456")
        row.due_at = row.next_attempt_at = utcnow() - timedelta(minutes=minutes_ago)
    later = queue_message(session=db, channel=Channel.sms, recipient=PHONE, body="Not yet")
    later.due_at = later.next_attempt_at = utcnow() + timedelta(hours=1)  # not due yet
    db.flush()
    found = samples(scrape(client))
    assert found[("mypathways_outbox_due", frozenset())] == 2
    assert 300 <= found[("mypathways_outbox_oldest_due_age_seconds", frozenset())] < 330
    assert found[("mypathways_outbox_sending", frozenset())] == 0
    # Notify refusing: a message that fell due 10 minutes ago waits for its next try. It is
    # still due, and the oldest (#21 outside-in: an outage looked like an empty outbox).
    refused = queue_message(session=db, channel=Channel.sms, recipient=PHONE, body="Code 654321")
    refused.due_at = utcnow() - timedelta(minutes=10)
    refused.next_attempt_at = utcnow() + timedelta(minutes=2)
    refused.attempts = 3
    db.flush()
    outage = samples(scrape(client))
    assert outage[("mypathways_outbox_due", frozenset())] == 3
    assert outage[("mypathways_outbox_retrying", frozenset())] == 1
    assert 600 <= outage[("mypathways_outbox_oldest_due_age_seconds", frozenset())] < 630


def test_metrics_are_not_found_without_the_token(client: TestClient, metrics_token: str) -> None:
    assert client.get("/metrics").status_code == 404
    wrong = client.get("/metrics", headers={"Authorization": "Bearer not-the-token"})
    assert wrong.status_code == 404
    assert "mypathways_http_requests" not in wrong.text


def test_metrics_are_not_found_when_nothing_is_configured(client: TestClient) -> None:
    assert client.get("/metrics", headers={"Authorization": "Bearer "}).status_code == 404


def request_from(host: str) -> Request:
    return Request({"type": "http", "method": "GET", "headers": [], "client": (host, 5000)})


def test_metrics_are_open_to_an_allowed_network_only() -> None:
    settings = Settings(env=Environment.test, metrics_allow="10.20.0.0/16, 127.0.0.1/32,fd00::/8")
    assert from_metrics_network(request_from("10.20.3.4"), settings)
    assert from_metrics_network(request_from("127.0.0.1"), settings)
    assert from_metrics_network(request_from("fd00::1"), settings)
    assert not from_metrics_network(request_from("10.21.0.1"), settings)
    assert not from_metrics_network(request_from("testclient"), settings)
    assert not from_metrics_network(request_from("10.20.3.4"), Settings(env=Environment.test))


def test_an_unreadable_network_is_refused_when_the_settings_are_read() -> None:
    with pytest.raises(ValueError, match="METRICS_ALLOW"):
        Settings(env=Environment.test, metrics_allow="10.0.0.0/33")


def test_a_crash_is_logged_as_a_500_with_the_request_id_its_page_shows(
    json_log: io.StringIO,
) -> None:
    app = create_app()

    @app.get("/boom/{thing_id}")
    def boom(thing_id: int) -> None:
        raise RuntimeError("boom")

    with TestClient(app, raise_server_exceptions=False, headers={"accept": "text/html"}) as c:
        response = c.get("/boom/5")
    assert response.status_code == 500
    line = access_lines(json_log)[-1]
    assert (line["route"], line["status"]) == ("/boom/{thing_id}", 500)
    assert response.headers["X-Request-ID"] == line["request_id"] != "-"


@pytest.mark.parametrize("goes_away", ["cancelled", "no answer"])
def test_a_browser_that_went_away_before_an_answer_is_logged_499_not_500(
    json_log: io.StringIO, goes_away: str
) -> None:
    """A favicon fetch dropped as the page moved on was logged (and counted) as a 500: an
    alert on server errors would fire for a browser's own choice."""

    async def app(scope: Any, receive: Any, send: Any) -> None:
        if goes_away == "cancelled":
            raise asyncio.CancelledError

    scope = {"type": "http", "method": "GET", "path": "/favicon.ico", "headers": []}

    async def nothing() -> dict[str, Any]:
        return {"type": "http.disconnect"}

    async def ignore(message: Any) -> None:
        return None

    async def run() -> None:
        with contextlib.suppress(asyncio.CancelledError):
            await AccessLog(app)(scope, nothing, ignore)

    run_coroutine(run())
    line = access_lines(json_log)[-1]
    assert line["status"] == 499
