"""Log lines: JSON in production (one object a line, for the log shipper), readable text in
development; every line carries the request id (X-Request-ID) of the request it belongs to.

Why the standard library with python-json-logger rather than structlog: the app and its
libraries (uvicorn, the outbox worker, asgi-correlation-id's filter) already speak stdlib
`logging` with `extra={...}` fields; a JSON formatter on the one root handler turns all of
them into JSON with no second logging API to learn, wrap or keep in step.

Nothing personal is ever logged: the access line names the route template
(`/adviser/clients/{client_id}`), never the address that was asked for, and no query string.
"""

from __future__ import annotations

import logging
import sys
from typing import IO

from asgi_correlation_id import CorrelationIdFilter
from pythonjsonlogger.json import JsonFormatter

from app.core.config import Settings

TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"
JSON_FIELDS = "{levelname}{name}{message}{request_id}"
# Libraries whose INFO lines name whole addresses: httpx logs every URL it calls (a push
# endpoint is a per-device address; the test client's, a query string).
QUIETER = ("httpx", "httpcore", "urllib3")
# Marks the handler this module installed, so configuring again replaces it (tests, reloads).
_OURS = "_mypathways_handler"


class RequestIdFilter(CorrelationIdFilter):
    """asgi-correlation-id's filter, under the name the logs use: `request_id`."""

    def filter(self, record: logging.LogRecord) -> bool:
        super().filter(record)
        record.request_id = getattr(record, "correlation_id", None) or "-"
        return True


def build_handler(json_lines: bool, stream: IO[str] | None = None) -> logging.Handler:
    """One stream handler: JSON objects or readable text, each with its request id.

    Lines go to standard error, as uvicorn's do: standard output belongs to what a command
    prints for the person who ran it (a rehearsal's messages, a set-up link), and a container
    runtime collects both."""
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.addFilter(RequestIdFilter())
    if json_lines:
        handler.setFormatter(
            JsonFormatter(
                JSON_FIELDS,
                style="{",
                rename_fields={"levelname": "level", "name": "logger"},
                timestamp="time",  # ISO 8601 in UTC
                # The filter's own copy is the same value, under the library's name; uvicorn's
                # colour codes are for terminals.
                reserved_attrs=[*_reserved_attributes(), "correlation_id", "color_message"],
            )
        )
    else:
        handler.setFormatter(logging.Formatter(TEXT_FORMAT))
    setattr(handler, _OURS, True)
    return handler


def _reserved_attributes() -> list[str]:
    from pythonjsonlogger.core import RESERVED_ATTRS

    return list(RESERVED_ATTRS)


def configure_logging(settings: Settings, stream: IO[str] | None = None) -> None:
    """Send every logger's lines through one handler on the root logger.

    uvicorn's own access log is switched off everywhere: it writes the filled-in path (ids,
    query strings) and the client's address. AccessLog (core/access.py) writes one line per
    request instead, with the route template."""
    root = logging.getLogger()
    for old in [h for h in root.handlers if getattr(h, _OURS, False)]:
        root.removeHandler(old)
    root.addHandler(build_handler(settings.log_json, stream))
    root.setLevel(settings.log_level.upper())
    for name in ("uvicorn", "uvicorn.error"):
        # uvicorn's start-up and error lines go through our handler, as JSON in production.
        logging.getLogger(name).handlers.clear()
        logging.getLogger(name).propagate = True
    for name in QUIETER:
        logging.getLogger(name).setLevel(logging.WARNING)
    access = logging.getLogger("uvicorn.access")
    access.handlers.clear()
    access.propagate = False
    access.disabled = True
