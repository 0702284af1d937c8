"""create_app(): middleware, routers, static files, service worker and manifest; and
wire_listeners(), the one place domains are connected to each other's changes."""

from __future__ import annotations

import gc
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from asgi_correlation_id import correlation_id
from fastapi import Depends, FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from sqlalchemy.exc import OperationalError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.gzip import GZipMiddleware

from app.accounts.returning import remember_return
from app.accounts.views_account import router as account_router
from app.accounts.views_client import router as client_sign_in_router
from app.accounts.views_invitation import router as invitation_router
from app.accounts.views_passkeys import router as passkeys_router
from app.accounts.views_staff import router as staff_sign_in_router
from app.action_plans.live import changed_plans
from app.action_plans.models import ActionPlan, PlanChange
from app.action_plans.views import adviser_router as adviser_plan_router
from app.action_plans.views import client_router as client_plan_router
from app.action_plans.views_activity import router as adviser_activity_router
from app.admin.views import router as admin_router
from app.appointments.activity_views import router as activity_router
from app.appointments.hooks import on_activity_change, on_appointment_change
from app.appointments.views import router as appointments_router
from app.caseload.inbox import router as adviser_inbox_router
from app.caseload.views import router as caseload_router
from app.caseload.views_appointment_changes import router as appointment_changes_router
from app.caseload.views_appointments import router as adviser_appointments_router
from app.caseload.views_client_actions import router as client_actions_router
from app.caseload.views_messages import router as adviser_messages_router
from app.core.access import AccessLog, RequestIds
from app.core.assets import HashedAssets
from app.core.bodies import ReadBodyFirst
from app.core.config import Environment, Settings, get_settings
from app.core.csrf import CsrfCookieMiddleware
from app.core.db import DatabaseBusyError
from app.core.error_reports import init_error_reports
from app.core.forms import longest_answer
from app.core.head import HeadAsGet
from app.core.idempotency import AlreadySent, FormAnswers
from app.core.language import LanguageMiddleware
from app.core.live_listener import stop_listeners
from app.core.live_notify import announce
from app.core.logs import configure_logging
from app.core.security import BASE_HEADERS, DEFAULT_CACHE_CONTROL, SecurityHeadersMiddleware
from app.core.slashes import slash_twin
from app.core.sqlite_turns import SQLiteTurns
from app.core.templating import render
from app.data_rights.closing import router as closing_router
from app.data_rights.views import router as data_rights_router
from app.delivery.composing import register_composer
from app.delivery.views import router as receipts_router
from app.demo.views import router as dev_outbox_router
from app.explainers.views import router as explainers_router
from app.guards import every_request
from app.home.check_in import router as check_in_router
from app.home.views import router as home_router
from app.messages.live import changed_threads
from app.messages.models import Message
from app.messages.views import router as messages_router
from app.pages.views import router as pages_router
from app.reminders.activities import compose_activity_message, plan_for_activity
from app.reminders.at_send import compose_appointment_message, register_hold
from app.reminders.planner import plan_for_appointment
from app.reminders.views import router as reminder_settings_router
from app.rescheduling.service import not_well_hold
from app.rescheduling.views import router as rescheduling_router
from app.system.metrics import router as metrics_router
from app.system.views import router as system_router

GC_YOUNG_THRESHOLD = 50_000


@asynccontextmanager
async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
    """On the embedded default, the web process also sends the outbox (one worker thread).
    At shutdown the live updates' LISTEN connection (PostgreSQL) is closed."""
    settings = get_settings()
    # Everything made while starting (modules, routes, templates, the statement cache) lives
    # as long as the process: keep it out of the garbage collector's sweeps, which otherwise
    # walk it again and again and show up as slow requests now and then.
    gc.collect()
    gc.freeze()
    # A large page makes some hundred thousand objects and frees nearly all of them by
    # reference counting. At Python's default (a young-generation sweep every 700 new
    # objects) the caseload page paid for hundreds of sweeps, and their survivors for older
    # sweeps now and then (slow requests); sweeping every GC_YOUNG_THRESHOLD objects finds
    # the same garbage a few times a page, a few megabytes later.
    gc.set_threshold(GC_YOUNG_THRESHOLD, 20, 100)
    try:
        async with _worker(settings):
            yield
    finally:
        stop_listeners()  # live updates' LISTEN connection, if a stream ever started it


@asynccontextmanager
async def _worker(settings: Settings) -> AsyncIterator[None]:
    # Tests drive workers themselves, unless a test server asks for one explicitly.
    wanted = settings.runs_worker_in_process and (
        settings.env != Environment.test or settings.worker_in_process is True
    )
    if not wanted:
        yield
        return
    from app.core.db import get_engine
    from app.delivery.worker import start_background_worker
    from app.operations.purge import daily_purge

    thread, stop = start_background_worker(settings, get_engine(), daily_purge)
    try:
        yield
    finally:
        stop.set()
        thread.join(timeout=10)


def _wants_html(request: Request) -> bool:
    """Browsers (and forms they post) get pages; machines that ask for JSON (Notify's
    receipts, our own scripts) get JSON."""
    accept = request.headers.get("accept", "").lower()
    return (
        "text/html" in accept
        or "application/xhtml+xml" in accept
        or (request.method == "POST" and "application/json" not in accept)
    )


REQUEST_ID_HEADER = "X-Request-ID"

# Every page and endpoint, in the order they are matched.
ROUTERS = (
    system_router,
    metrics_router,
    pages_router,
    explainers_router,
    client_sign_in_router,
    staff_sign_in_router,
    invitation_router,
    passkeys_router,
    account_router,
    data_rights_router,
    closing_router,
    home_router,
    appointments_router,
    rescheduling_router,
    messages_router,
    caseload_router,
    check_in_router,
    client_actions_router,
    adviser_messages_router,
    adviser_inbox_router,
    adviser_appointments_router,
    appointment_changes_router,
    client_plan_router,
    adviser_plan_router,
    adviser_activity_router,
    activity_router,
    admin_router,
    receipts_router,
    dev_outbox_router,
    reminder_settings_router,
)


def wire_listeners() -> None:
    """Connect the domains that react to others' changes: reminders are planned whenever an
    appointment is booked, moved, cancelled or decided. Called by whatever builds the app
    (create_app, the worker, the CLI), never as a side effect of an import. Messages about
    appointments are written again when they are sent, by the reminders' composer. On
    PostgreSQL a write to a plan or a message thread notifies the pages open on it, from
    whichever process makes it (core.live_notify)."""
    announce((ActionPlan, PlanChange), changed_plans)
    announce((Message,), changed_threads, when_updated=False)
    on_appointment_change(plan_for_appointment)
    register_composer("appointment", compose_appointment_message)
    register_hold(not_well_hold)
    on_activity_change(plan_for_activity)
    register_composer("activity", compose_activity_message)


RETRY_SOON = {"Retry-After": "30"}


async def busy_page(request: Request, _error: Exception) -> Response:
    """SQLite's write lock stayed taken too long (DatabaseBusyError): nothing was written;
    503 with Retry-After, the kind error page to a browser."""
    if not _wants_html(request):
        return JSONResponse({"detail": "busy"}, status_code=503, headers=RETRY_SOON)
    page = render(request, "pages/error.html", {"status_code": 503}, 503)
    page.headers.update(RETRY_SOON)
    return page


async def unexpected_error(request: Request, _error: Exception) -> Response:
    """The 500 page. Starlette answers it outside every middleware, so the headers are set
    here."""
    page = render(request, "pages/error.html", {"status_code": 500}, 500)
    page.headers.update({**BASE_HEADERS, "Cache-Control": DEFAULT_CACHE_CONTROL})
    page.headers[REQUEST_ID_HEADER] = correlation_id.get() or ""
    return page


async def database_error(request: Request, error: Exception) -> Response:
    """SQLite's "database is locked": another process held the write lock past the busy
    timeout (this process's own writers queue in sqlite_write_turn and end in
    DatabaseBusyError). Nothing was written: the same 503 as DatabaseBusyError. Any other
    database error is a 500 (and is raised again for the error report and the log)."""
    if "database is locked" in str(error):
        return await busy_page(request, error)
    raise error


def create_app() -> FastAPI:
    wire_listeners()
    settings = get_settings()
    if settings.env != Environment.test:  # tests capture logs their own way
        configure_logging(settings)
    init_error_reports(settings)
    app = FastAPI(
        lifespan=lifespan,
        title=settings.service_name,
        docs_url=None,
        redoc_url=None,
        openapi_url=None,
        # Our own, by path alone, in kind_error_page (app/core/slashes.py).
        redirect_slashes=False,
        # Who is signed in, and the guards every request passes (app/guards.py).
        dependencies=[Depends(every_request)],
    )
    for router in ROUTERS:
        app.include_router(router)
    app.mount("/assets", HashedAssets(settings.assets_dir / "assets"), name="assets")

    @app.exception_handler(StarletteHTTPException)
    async def kind_error_page(request: Request, error: StarletteHTTPException) -> Response:
        wants_html = _wants_html(request)
        twin = slash_twin(request) if error.status_code == 404 else None
        if twin is not None:
            return RedirectResponse(twin, status_code=307)
        if error.status_code == 401 and wants_html:
            target = "/adviser/sign-in" if error.detail == "staff-sign-in" else "/sign-in"
            redirect = RedirectResponse(target, status_code=303)
            remember_return(redirect, request)  # the page they were on, and an unsaved form
            return redirect
        if not wants_html:
            return JSONResponse({"detail": error.detail}, status_code=error.status_code)
        template = {
            404: "pages/not-found.html",
            403: "pages/forbidden.html",
            405: "pages/not-found.html",  # an address for a form, opened as a page
            400: "pages/bad-request.html",
            411: "pages/bad-request.html",
            413: "pages/too-long.html",
        }.get(error.status_code, "pages/error.html")
        context: dict[str, object] = {"status_code": error.status_code, "reason": error.detail}
        if error.status_code == 413:  # the limit of the form actually sent, if there is one
            context["limit"] = longest_answer(request.scope.get("route"))
        return render(request, template, context, error.status_code)

    @app.exception_handler(AlreadySent)
    async def first_answer_again(request: Request, repeat: AlreadySent) -> Response:
        """A form already sent: the first time's answer, and nothing done twice."""
        return RedirectResponse(repeat.location, status_code=303)

    @app.exception_handler(RequestValidationError)
    async def kind_validation_page(request: Request, error: RequestValidationError) -> Response:
        """An address or form FastAPI could not read: to a browser, "page not found" when the
        address names no possible record (an id too big, or not a number), otherwise a page
        saying what to do; JSON only for machines that ask for it."""
        if not _wants_html(request):
            return JSONResponse({"detail": jsonable_encoder(error.errors())}, status_code=422)
        in_address = any(problem.get("loc", ("",))[0] == "path" for problem in error.errors())
        status = 404 if in_address else 400
        return await kind_error_page(request, StarletteHTTPException(status, detail="unreadable"))

    app.add_exception_handler(DatabaseBusyError, busy_page)

    app.add_exception_handler(OperationalError, database_error)
    app.add_exception_handler(Exception, unexpected_error)

    # Outermost last: language is set before any handler runs; headers land on every response.
    app.add_middleware(FormAnswers)  # inside the SQLite turn: it writes once the answer is known
    if settings.is_sqlite:
        app.add_middleware(SQLiteTurns)
    # Outside the turn: a body still arriving holds nobody up.
    app.add_middleware(ReadBodyFirst)
    app.add_middleware(GZipMiddleware, minimum_size=500, compresslevel=6)
    app.add_middleware(CsrfCookieMiddleware)
    app.add_middleware(LanguageMiddleware)
    app.add_middleware(SecurityHeadersMiddleware, hsts=settings.env == Environment.production)
    # HEAD runs as GET everywhere inside (the access line still says HEAD).
    app.add_middleware(HeadAsGet)
    # One access line and the request metrics, timed around everything above.
    app.add_middleware(AccessLog)
    # Outermost: every log line of the request, and its answer, carry the same request id.
    app.add_middleware(RequestIds, header_name=REQUEST_ID_HEADER)
    return app
