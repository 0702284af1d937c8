"""Public pages anyone may read: start, urgent help, about, offline, language switch."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from app.core import i18n
from app.core.language import language_cookie
from app.core.templating import render

router = APIRouter()


@router.get("/", response_class=HTMLResponse)
def home(request: Request) -> HTMLResponse:
    return render(request, "pages/home.html")


@router.get("/urgent-help", response_class=HTMLResponse)
def urgent_help(request: Request) -> HTMLResponse:
    return render(request, "pages/urgent-help.html")


@router.get("/about", response_class=HTMLResponse)
def about(request: Request) -> HTMLResponse:
    return render(request, "pages/about.html")


@router.get("/offline", response_class=HTMLResponse)
def offline(request: Request, lang: str | None = None) -> HTMLResponse:
    # The service worker caches one copy per language (?lang=en, ?lang=cy) at install time.
    if lang:
        i18n.set_language(lang)
    return render(request, "pages/offline.html")


@router.get("/offline/waiting", response_class=HTMLResponse)
def offline_waiting(request: Request, lang: str | None = None) -> HTMLResponse:
    # Shown by the service worker when a form is sent with no signal (cached per language).
    if lang:
        i18n.set_language(lang)
    return render(request, "pages/offline-waiting.html")


def _safe_next(target: str | None) -> str:
    """Only ever redirect within this site: '/path', never '//host' or 'https://...'."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/"
    return target


@router.get("/language/{language}")
def change_language(language: str, next: str | None = None) -> RedirectResponse:
    """Remember the chosen language. A plain link, so it works without JavaScript."""
    response = RedirectResponse(_safe_next(next), status_code=303)
    response.headers.append("Set-Cookie", language_cookie(language))
    return response
