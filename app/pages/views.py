"""Public pages anyone may read: start, urgent help, about, offline, language switch, and the
pages every GOV.UK service has (accessibility, privacy, cookies, feedback)."""

from __future__ import annotations

from babel.dates import format_date
from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from app.accounts.dependencies import OptionalViewer, home_for_role
from app.core import i18n
from app.core.language import language_cookie
from app.core.templating import render
from app.explainers.rendering import render_markdown
from app.pages.content import FEEDBACK_EMAIL, service_page
from app.pages.cookies import COOKIES

router = APIRouter()


@router.get("/", response_class=HTMLResponse)
async def home(request: Request, viewer: OptionalViewer) -> Response:
    """The start page; someone signed in goes on to their own home (the header's "My
    Pathways" link leads here, and its "Start now" page looked as if they had been signed
    out)."""
    if viewer is not None:
        return RedirectResponse(home_for_role(viewer.role), status_code=303)
    return render(request, "pages/home.html")


@router.get("/urgent-help", response_class=HTMLResponse)
def urgent_help(request: Request) -> HTMLResponse:
    return render(request, "pages/urgent-help.html")


@router.get("/about", response_class=HTMLResponse)
def about(request: Request) -> HTMLResponse:
    return render(request, "pages/about.html")


def _service_page(request: Request, slug: str) -> HTMLResponse:
    page = service_page(slug=slug, language=i18n.current_language())
    return render(
        request,
        "pages/service-page.html",
        {
            "page": page,
            "body": render_markdown(page.body),
            "last_updated": format_date(
                page.last_updated, "d MMMM y", locale=i18n.current_language()
            ),
        },
    )


@router.get("/accessibility-statement", response_class=HTMLResponse)
def accessibility_statement(request: Request) -> HTMLResponse:
    return _service_page(request, "accessibility-statement")


@router.get("/privacy", response_class=HTMLResponse)
def privacy(request: Request) -> HTMLResponse:
    return _service_page(request, "privacy")


@router.get("/cookies", response_class=HTMLResponse)
def cookies(request: Request) -> HTMLResponse:
    return render(request, "pages/cookies.html", {"cookies": COOKIES})


@router.get("/feedback", response_class=HTMLResponse)
def feedback(request: Request) -> HTMLResponse:
    return render(request, "pages/feedback.html", {"feedback_email": FEEDBACK_EMAIL})


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
