"""create_app(): middleware, routers, static files, service worker and manifest."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.gzip import GZipMiddleware

from app.core.assets import HashedAssets
from app.core.config import Environment, get_settings
from app.core.language import LanguageMiddleware
from app.core.security import SecurityHeadersMiddleware
from app.core.templating import render
from app.pages.views import router as pages_router
from app.system.views import router as system_router


def create_app() -> FastAPI:
    settings = get_settings()
    app = FastAPI(
        title=settings.service_name,
        docs_url=None,
        redoc_url=None,
        openapi_url="/openapi.json" if settings.is_development else None,
    )
    app.include_router(system_router)
    app.include_router(pages_router)
    app.mount("/assets", HashedAssets(settings.assets_dir / "assets"), name="assets")

    @app.exception_handler(StarletteHTTPException)
    async def kind_error_page(request: Request, error: StarletteHTTPException) -> Response:
        if not request.headers.get("accept", "").startswith("text/html"):
            return JSONResponse({"detail": error.detail}, status_code=error.status_code)
        template = "pages/not-found.html" if error.status_code == 404 else "pages/error.html"
        return render(request, template, {"status_code": error.status_code}, error.status_code)

    @app.exception_handler(Exception)
    async def unexpected_error(request: Request, _error: Exception) -> HTMLResponse:
        return render(request, "pages/error.html", {"status_code": 500}, 500)

    # Outermost last: language is set before any handler runs; headers land on every response.
    app.add_middleware(GZipMiddleware, minimum_size=500)
    app.add_middleware(LanguageMiddleware)
    app.add_middleware(SecurityHeadersMiddleware, hsts=settings.env == Environment.production)
    return app
