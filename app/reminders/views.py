"""The client's reminder settings: channels, lead times, quiet hours, level of detail, push
opt-in (explained first, asked only when they press the button) and "send me a test"."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response
from pydantic import BaseModel, Field
from sqlmodel import Session, col, delete, func, select

from app.accounts.dependencies import CurrentClientSelf
from app.core.clock import utcnow
from app.core.config import get_settings
from app.core.db import SessionDep
from app.core.done_links import redirect_saying, said
from app.core.forms import FormErrors, Posted, json_of, posted
from app.core.templating import render
from app.delivery.models import PushSubscription
from app.delivery.outbox import settings_for
from app.delivery.reach import client_can_be_reached
from app.delivery.senders import application_server_key, endpoint_allowed
from app.people.models import LeadTime, ReminderSettings
from app.reminders.activities import replan_activities
from app.reminders.forms import (
    QUIET_ENDS,
    QUIET_STARTS,
    REMINDER_HOURS,
    ReminderSettingsForm,
    shown_again,
)
from app.reminders.planner import plan_test, replan_client

router = APIRouter()


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
            "saved": said(request).get("saved") == "1",
            "tested": said(request).get("tested") == "1",
            "untestable": said(request).get("tested") == "none",
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


@router.post("/settings/reminders", response_class=HTMLResponse)
def save_reminder_settings(
    request: Request,
    client: CurrentClientSelf,
    session: SessionDep,
    sent: Annotated[Posted[ReminderSettingsForm], posted(ReminderSettingsForm)],
) -> Response:
    assert client.profile.id is not None
    if not sent.ok:
        return _page(request, session, client, shown_again(sent), sent.errors, status_code=400)
    form = sent.valid()
    settings = settings_for(session, client.profile.id)
    settings.push_on = "push" in form.channels
    settings.sms_on = "sms" in form.channels
    # Kept in the order offered, so the page and the planner agree.
    settings.lead_times = ",".join(lead.value for lead in LeadTime if lead in form.lead_times)
    settings.reminder_hour = form.reminder_hour
    settings.quiet_start, settings.quiet_end = form.quiet_start * 60, form.quiet_end * 60
    settings.detail = form.detail
    settings.suggestions_on = form.suggestions == "yes"
    settings.version += 1
    settings.updated_at = utcnow()
    session.add(settings)
    session.flush()
    replan_client(session, client.profile)
    replan_activities(session, client.profile)
    return redirect_saying(request, "/settings/reminders", {"saved": 1})


@router.post("/settings/reminders/test")
def send_test(request: Request, client: CurrentClientSelf, session: SessionDep) -> Response:
    """Send a test reminder, or say that nothing can reach them with these settings (never
    "we have sent you a test" for one the worker would call off)."""
    if not client_can_be_reached(session, client.profile):
        return redirect_saying(request, "/settings/reminders", {"tested": "none"})
    plan_test(session, client.profile)
    return redirect_saying(request, "/settings/reminders", {"tested": 1})


class PushKeys(BaseModel):
    p256dh: str = Field(min_length=20, max_length=200)
    auth: str = Field(min_length=8, max_length=100)


class PushSubscriptionIn(BaseModel):
    endpoint: str = Field(min_length=10, max_length=1000)
    keys: PushKeys


@router.post("/settings/reminders/push")
def add_push_subscription(
    client: CurrentClientSelf,  # first: who may send it is settled before the body is read
    session: SessionDep,
    subscription: Annotated[PushSubscriptionIn, json_of(PushSubscriptionIn)],
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
    client: CurrentClientSelf,  # first: who may send it is settled before the body is read
    session: SessionDep,
    subscription: Annotated[PushEndpointIn, json_of(PushEndpointIn)],
) -> Response:
    session.exec(
        delete(PushSubscription).where(
            col(PushSubscription.endpoint) == subscription.endpoint,
            col(PushSubscription.user_id) == client.user.id,
        )
    )
    return Response(status_code=204)
