"""/metrics for Prometheus: only with the bearer token (MYPATHWAYS_METRICS_TOKEN) or from an
allowed network (MYPATHWAYS_METRICS_ALLOW); to anyone else it does not exist (404)."""

from __future__ import annotations

import hmac
from ipaddress import ip_address

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import Response
from prometheus_client import CONTENT_TYPE_LATEST

from app.core.config import Settings, get_settings
from app.core.db import SessionDep
from app.core.metrics import scrape
from app.core.network import network_address
from app.delivery.backlog import OutboxCollector

router = APIRouter()


def has_metrics_token(request: Request, settings: Settings) -> bool:
    """The request carries `Authorization: Bearer <MYPATHWAYS_METRICS_TOKEN>`."""
    if not settings.metrics_token:
        return False
    scheme, _, given = request.headers.get("authorization", "").partition(" ")
    return scheme.lower() == "bearer" and hmac.compare_digest(
        given.strip().encode(), settings.metrics_token.encode()
    )


def from_metrics_network(request: Request, settings: Settings) -> bool:
    """The client's address, as the server determines it (behind a configured proxy, the
    forwarded one), is in MYPATHWAYS_METRICS_ALLOW."""
    networks = settings.metrics_networks()
    if not networks:
        return False
    try:
        address = ip_address(network_address(request))
    except ValueError:  # "unknown", or a test client's made-up host
        return False
    return any(address in network for network in networks)


@router.get("/metrics")
def metrics(request: Request, session: SessionDep) -> Response:
    """Prometheus text format: this process's counters and the outbox read just now."""
    settings = get_settings()
    if not (has_metrics_token(request, settings) or from_metrics_network(request, settings)):
        raise HTTPException(status_code=404)
    return Response(
        scrape(OutboxCollector(session)),
        media_type=CONTENT_TYPE_LATEST,
        headers={"Cache-Control": "no-store"},
    )
