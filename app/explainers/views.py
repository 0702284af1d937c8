"""Public pages: explainers, their search, the services directory and stories."""

from __future__ import annotations

from datetime import date

from babel.dates import format_date
from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse

from app.core.i18n import current_language
from app.core.templating import render
from app.explainers import content, search, services
from app.explainers.rendering import render_markdown
from app.explainers.rtwc_views import router as checker_router

router = APIRouter()
router.include_router(checker_router)


def _day(day: date) -> str:
    """'23 November 2026', in the page language."""
    return format_date(day, "d MMMM y", locale=current_language())


@router.get("/explainers", response_class=HTMLResponse)
def explainers(request: Request) -> HTMLResponse:
    return render(request, "explainers/index.html", {"groups": content.grouped(current_language())})


# Declared before /explainers/{slug}, so "search" is never taken for a slug.
@router.get("/explainers/search", response_class=HTMLResponse)
def explainers_search(request: Request, q: str = "") -> HTMLResponse:
    query = " ".join(q.split())[: search.MAX_QUERY_LENGTH]
    results = search.search(query=query, language=current_language()) if query else []
    return render(request, "explainers/search.html", {"query": query, "results": results})


@router.get("/explainers/{slug}", response_class=HTMLResponse)
def explainer(request: Request, slug: str) -> HTMLResponse:
    language = current_language()
    item = content.get_explainer(slug=slug, language=language)
    if item is None:
        raise HTTPException(status_code=404)
    related = [
        found
        for related_slug in item.related
        if (found := content.get_explainer(slug=related_slug, language=language))
    ]
    return render(
        request,
        "explainers/explainer.html",
        {
            "explainer": item,
            "body": render_markdown(item.body),
            "last_reviewed": _day(item.last_reviewed),
            "related": related,
        },
    )


@router.get("/services", response_class=HTMLResponse)
def services_directory(
    request: Request, category: str | None = None, area: str | None = None
) -> HTMLResponse:
    # Anything not on the form (an old link, a typo) means "all", never an error.
    chosen_category = category if category in services.CATEGORIES else None
    chosen_area = area if area in services.areas() else None
    return render(
        request,
        "explainers/services.html",
        {
            "categories": services.CATEGORIES,
            "areas": services.areas(),
            "category": chosen_category,
            "area": chosen_area,
            "directory": services.find_services(category=chosen_category, area=chosen_area),
        },
    )


@router.get("/stories", response_class=HTMLResponse)
def stories(request: Request) -> HTMLResponse:
    items = content.stories(current_language()).values()
    return render(request, "explainers/stories/index.html", {"stories": list(items)})


@router.get("/stories/{slug}", response_class=HTMLResponse)
def story(request: Request, slug: str) -> HTMLResponse:
    item = content.get_story(slug=slug, language=current_language())
    if item is None:
        raise HTTPException(status_code=404)
    return render(
        request,
        "explainers/stories/story.html",
        {"story": item, "body": render_markdown(item.body)},
    )
