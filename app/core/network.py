"""Where a request came from, for limits on guessing (never logged or stored raw)."""

from __future__ import annotations

from starlette.requests import HTTPConnection


def network_address(request: HTTPConnection) -> str:
    """The client's IP address as the server sees it ("unknown" if the server cannot tell).

    Behind a load balancer, run uvicorn with --proxy-headers and --forwarded-allow-ips so this
    is the real client's address rather than the balancer's.
    """
    return request.client.host if request.client else "unknown"
