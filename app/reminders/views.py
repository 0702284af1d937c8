"""The client's reminder settings: channels, lead times, quiet hours, level of detail, push
opt-in (explained first, asked only when they press the button) and "send me a test"."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, HTTPException, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from pydantic import BaseModel, Field
from sqlmodel import Session, col, delete, func, select

from app.accounts.dependencies import CurrentClientSelf
from app.core.clock import utcnow
from app.core.config import get_settings
from app.core.db import SessionDep
from app.core.forms import FormErrors
from app.core.i18n import gettext as _
from app.core.templating import render
from app.delivery.models import PushSubscription
from app.delivery.outbox import settings_for
from app.delivery.senders import application_server_key, endpoint_allowed
from app.people.models import DetailLevel, LeadTime, ReminderSettings
from app.reminders.planner import plan_test, replan_client

router = APIRouter()

REMINDER_HOURS = list(range(8, 21))
QUIET_STARTS = [18, 19, 20, 21, 22, 23]
QUIET_ENDS = [6, 7, 8, 9, 10, 11, 12, 13, 14]


def _page(
    request: Request,
    session: Session,
    client: CurrentClientSelf,
    form: dict[str, Any],
    errors: FormErrors,
    status_code: int = 200,
) -> HTMLResponse:
    assert client.user.id is not None
    settings = get_settings()
    devices = session.exec(
        select(func.count()).where(PushSubscription.user_id == client.user.id)
    ).one()
    return render(
        request,
        "account/reminders.html",
        {
            "form": form,
            "errors": errors,
            "lead_times": list(LeadTime),
            "reminder_hours": REMINDER_HOURS,
            "quiet_starts": QUIET_STARTS,
            "quiet_ends": QUIET_ENDS,
            "push_devices": devices,
            "phone": client.user.phone,
            "vapid_key": application_server_key(settings.vapid_keys()[1])
            if settings.push_configured
            else "",
            "saved": request.query_params.get("saved") == "1",
            "tested": request.query_params.get("tested") == "1",
        },
        status_code=status_code,
    )


def _form_from(settings: ReminderSettings) -> dict[str, Any]:
    return {
        "push_on": settings.push_on,
        "sms_on": settings.sms_on,
        "lead_times": [lead.value for lead in settings.leads],
        "reminder_hour": settings.reminder_hour,
        "quiet_start": settings.quiet_start // 60,
        "quiet_end": settings.quiet_end // 60,
        "detail": str(settings.detail),
        "suggestions_on": settings.suggestions_on,
    }


@router.get("/settings/reminders", response_class=HTMLResponse)
def reminder_settings(
    request: Request, client: CurrentClientSelf, session: SessionDep
) -> HTMLResponse:
    assert client.profile.id is not None
    form = _form_from(settings_for(session, client.profile.id))
    return _page(request, session, client, form, FormErrors())


def _whole_hour(value: str, allowed: list[int]) -> int | None:
    return int(value) if value.isdigit() and int(value) in allowed else None


@router.post("/settings/reminders", response_class=HTMLResponse)
def save_reminder_settings(
    request: Request,
    client: CurrentClientSelf,
    session: SessionDep,
    channels: Annotated[list[str], Form()] = [],  # noqa: B006
    lead_times: Annotated[list[str], Form()] = [],  # noqa: B006
    reminder_hour: Annotated[str, Form()] = "",
    quiet_start: Annotated[str, Form()] = "",
    quiet_end: Annotated[str, Form()] = "",
    detail: Annotated[str, Form()] = "",
    suggestions: Annotated[str, Form()] = "",
) -> Response:
    assert client.profile.id is not None
    errors = FormErrors()
    hour = _whole_hour(reminder_hour, REMINDER_HOURS)
    start = _whole_hour(quiet_start, QUIET_STARTS)
    end = _whole_hour(quiet_end, QUIET_ENDS)
    known_leads = {lead.value for lead in LeadTime}
    if hour is None:
        errors.add("reminder_hour", _("Choose a time for reminders the day before"))
    if start is None:
        errors.add("quiet_start", _("Choose when your quiet hours start"))
    if end is None:
        errors.add("quiet_end", _("Choose when your quiet hours end"))
    if detail not in (DetailLevel.discreet, DetailLevel.detailed):
        errors.add("detail", _("Choose how much a message says"))
    form = {
        "push_on": "push" in channels,
        "sms_on": "sms" in channels,
        "lead_times": [lead for lead in lead_times if lead in known_leads],
        "reminder_hour": hour if hour is not None else reminder_hour,
        "quiet_start": start if start is not None else quiet_start,
        "quiet_end": end if end is not None else quiet_end,
        "detail": detail,
        "suggestions_on": suggestions == "yes",
    }
    if errors:
        return _page(request, session, client, form, errors, status_code=400)
    assert hour is not None and start is not None and end is not None
    settings = settings_for(session, client.profile.id)
    settings.push_on = "push" in channels
    settings.sms_on = "sms" in channels
    # Kept in the order offered, so the page and the planner agree.
    settings.lead_times = ",".join(lead.value for lead in LeadTime if lead.value in lead_times)
    settings.reminder_hour = hour
    settings.quiet_start, settings.quiet_end = start * 60, end * 60
    settings.detail = DetailLevel(detail)
    settings.suggestions_on = suggestions == "yes"
    settings.version += 1
    settings.updated_at = utcnow()
    session.add(settings)
    session.flush()
    replan_client(session, client.profile)
    return RedirectResponse("/settings/reminders?saved=1", status_code=303)


@router.post("/settings/reminders/test")
def send_test(client: CurrentClientSelf, session: SessionDep) -> Response:
    plan_test(session, client.profile)
    return RedirectResponse("/settings/reminders?tested=1", status_code=303)


class PushKeys(BaseModel):
    p256dh: str = Field(min_length=20, max_length=200)
    auth: str = Field(min_length=8, max_length=100)


class PushSubscriptionIn(BaseModel):
    endpoint: str = Field(min_length=10, max_length=1000)
    keys: PushKeys


@router.post("/settings/reminders/push")
def add_push_subscription(
    subscription: PushSubscriptionIn, client: CurrentClientSelf, session: SessionDep
) -> Response:
    """Called by push.js after the client pressed the button and the browser said yes."""
    assert client.user.id is not None
    if not endpoint_allowed(subscription.endpoint, get_settings().push_hosts()):
        raise HTTPException(status_code=422, detail="unknown push service")
    # One phone, one subscription: a phone passed to someone else follows its new owner.
    session.exec(
        delete(PushSubscription).where(col(PushSubscription.endpoint) == subscription.endpoint)
    )
    session.add(
        PushSubscription(
            user_id=client.user.id,
            endpoint=subscription.endpoint,
            p256dh=subscription.keys.p256dh,
            auth=subscription.keys.auth,
        )
    )
    return JSONResponse({"saved": True}, status_code=201)


class PushEndpointIn(BaseModel):
    endpoint: str = Field(min_length=10, max_length=1000)


@router.post("/settings/reminders/push/remove")
def remove_push_subscription(
    subscription: PushEndpointIn, client: CurrentClientSelf, session: SessionDep
) -> Response:
    session.exec(
        delete(PushSubscription).where(
            col(PushSubscription.endpoint) == subscription.endpoint,
            col(PushSubscription.user_id) == client.user.id,
        )
    )
    return Response(status_code=204)
