"""Health checks, the web app manifest, the service worker and the favicon."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import FileResponse, JSONResponse, Response
from sqlalchemy import text

from app.core.config import get_settings
from app.core.db import SessionDep
from app.core.migrations import current_revision, head_revision

router = APIRouter()


@router.get("/healthz")
async def healthz() -> dict[str, str]:
    """The process is up. Says nothing about the database on purpose (that is /readyz)."""
    return {"status": "ok"}


@router.get("/readyz")
def readyz(session: SessionDep) -> JSONResponse:
    """Ready for traffic: the database answers and its schema is at the newest migration."""
    try:
        session.exec(text("SELECT 1"))  # type: ignore[call-overload]
        current = current_revision(session.connection())
    except Exception as error:
        return JSONResponse(
            {"status": "unavailable", "database": "unreachable", "error": type(error).__name__},
            status_code=503,
        )
    head = head_revision()
    ready = current == head
    return JSONResponse(
        {
            "status": "ok" if ready else "unavailable",
            "database": "reachable",
            "migration": current,
            "expected_migration": head,
        },
        status_code=200 if ready else 503,
    )


def _built_file(name: str, media_type: str, cache: str) -> Response:
    path = get_settings().assets_dir / name
    if not path.exists():
        return Response("Not built", status_code=404)
    response = FileResponse(path, media_type=media_type)
    response.headers["Cache-Control"] = cache
    return response


@router.get("/sw.js")
def service_worker() -> Response:
    # Never cached by HTTP: the browser must see a new worker as soon as one is deployed.
    response = _built_file("sw.js", "text/javascript", "no-cache")
    response.headers["Service-Worker-Allowed"] = "/"
    return response


@router.get("/manifest.webmanifest")
def web_app_manifest() -> Response:
    return _built_file("manifest.webmanifest", "application/manifest+json", "public, max-age=3600")


@router.get("/manifest-cy.webmanifest")
def web_app_manifest_welsh() -> Response:
    return _built_file(
        "manifest-cy.webmanifest", "application/manifest+json", "public, max-age=3600"
    )


@router.get("/favicon.ico")
def favicon() -> Response:
    return _built_file("favicon.ico", "image/x-icon", "public, max-age=86400")
