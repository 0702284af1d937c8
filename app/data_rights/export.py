"""Everything we hold about a client, as plain data: the JSON download, and the page that
shows the same data for a person to read, print or save.

One function gathers it all (`export_client_data`), so the page and the file cannot drift
apart. What is left out, and why:
- secrets and security bookkeeping (password and code hashes, TOTP, tokens): no use to a
  person, and a risk in a file saved on a shared phone;
- sign-in codes and the words of invitations (they carried a sign-in link);
- the adviser's own working notes, which the page says plainly and says how to ask for;
- staff details beyond the name and role the product already shows the client.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from sqlalchemy import or_
from sqlmodel import Session, SQLModel, col, select

from app.accounts.models import Passkey
from app.accounts.repository import visits_to_record
from app.action_plans.models import ActionPlan, PlanChange, PlanStep
from app.appointments import repository as appointments_repository
from app.appointments.activity_models import Activity
from app.appointments.models import Appointment, AppointmentChange, HelpRequest
from app.appointments.presenting import present
from app.audit.models import AuditEvent
from app.caseload.models import ClientService
from app.delivery.models import Notification, NotificationKind, PushSubscription
from app.messages.check_ins import answers_for
from app.messages.repository import all_call_requests
from app.messages.service import thread_messages
from app.people.models import (
    Adviser,
    AdviserTask,
    ClientProfile,
    ReminderSettings,
    SupportLink,
    User,
)
from app.rescheduling.models import BusyTime, RescheduleRequest, TimePreference

# Secrets and security bookkeeping: nothing a person can use, and no one else's business.
_PRIVATE_FIELDS = {
    "password_hash",
    "totp_secret",
    "totp_last_step",
    "token_hash",
    "code_hash",
    "challenge_hash",
}
# Messages whose words were a secret when sent (a code, a sign-in link): listed, not quoted.
_WORDS_WITHHELD = {NotificationKind.invitation}
# Every staff visit to the record, not only the last 200 the "who has looked" page shows.
_ALL_VISITS = 100_000


def _plain(row: SQLModel) -> dict[str, Any]:
    return {k: v for k, v in row.model_dump().items() if k not in _PRIVATE_FIELDS}


def export_client_data(*, session: Session, profile: ClientProfile, user: User) -> dict[str, Any]:
    """Everything held about the client, JSON-ready but for dates (`json.dumps(default=str)`).

    Keys: account, profile, your_adviser, appointments, appointment_history, help_asked,
    help_at_every_appointment, group_or_one_to_one, booked_for_you, requests_to_change,
    plan, plan_history, busy_times, time_preferences, reminder_settings, check_in_answers,
    reminders_sent, support_people, services, asked_of_your_adviser, passkeys,
    phones_with_notifications, who_looked, messages (the thread with the adviser),
    calls_you_asked_for, who_did_what.
    """
    assert profile.id is not None and user.id is not None
    client_id = profile.id
    appointments = session.exec(
        select(Appointment)
        .where(Appointment.client_id == client_id)
        .order_by(col(Appointment.starts_at))
    ).all()
    starts = {a.id: a.starts_at for a in appointments}
    ids = list(starts)
    return {
        "account": _plain(user),
        "profile": _plain(profile),
        "your_adviser": _adviser_name(session, profile),
        "appointments": [{**_plain(a), "where": present(session, a).where} for a in appointments],
        "appointment_history": [
            {**_plain(change), "appointment_starts_at": starts[change.appointment_id]}
            for change in session.exec(
                select(AppointmentChange)
                .where(col(AppointmentChange.appointment_id).in_(ids))
                .order_by(col(AppointmentChange.changed_at), col(AppointmentChange.id))
            )
        ],
        "help_asked": [
            {**_plain(help_request), "appointment_starts_at": starts[help_request.appointment_id]}
            for help_request in session.exec(
                select(HelpRequest)
                .where(col(HelpRequest.appointment_id).in_(ids))
                .order_by(col(HelpRequest.created_at), col(HelpRequest.id))
            )
        ],
        "help_at_every_appointment": [
            _plain(need)
            for need in appointments_repository.standing_needs(session=session, client_id=client_id)
        ],
        "group_or_one_to_one": _one(
            appointments_repository.session_preference(session=session, client_id=client_id)
        ),
        "booked_for_you": _rows(
            session,
            select(Activity)
            .where(Activity.client_id == client_id)
            .order_by(col(Activity.starts_at)),
        ),
        "requests_to_change": _rows(
            session,
            select(RescheduleRequest)
            .where(RescheduleRequest.client_id == client_id)
            .order_by(col(RescheduleRequest.created_at)),
        ),
        **_plan(session, client_id),
        "busy_times": _rows(
            session,
            select(BusyTime).where(BusyTime.client_id == client_id).order_by(col(BusyTime.id)),
        ),
        "time_preferences": _one(
            session.exec(
                select(TimePreference).where(TimePreference.client_id == client_id)
            ).first()
        ),
        "reminder_settings": _one(session.get(ReminderSettings, client_id)),
        "check_in_answers": _check_in_answers(session, client_id),
        "reminders_sent": _reminders_sent(session, user),
        "support_people": _support_people(session, client_id),
        "services": _rows(
            session,
            select(ClientService)
            .where(ClientService.client_id == client_id)
            .order_by(col(ClientService.id)),
        ),
        "asked_of_your_adviser": [
            {k: v for k, v in _plain(task).items() if k not in ("adviser_id", "done_by_user_id")}
            for task in session.exec(
                select(AdviserTask)
                .where(AdviserTask.client_id == client_id)
                .order_by(col(AdviserTask.created_at))
            )
        ],
        "passkeys": [
            {"created_at": p.created_at, "last_used_at": p.last_used_at}
            for p in session.exec(select(Passkey).where(Passkey.user_id == user.id))
        ],
        "phones_with_notifications": [
            {"created_at": s.created_at, "last_success_at": s.last_success_at}
            for s in session.exec(
                select(PushSubscription).where(PushSubscription.user_id == user.id)
            )
        ],
        "who_looked": [
            {"when": visit.started_at, "name": visit.actor_name, "role": visit.actor_role}
            for visit in visits_to_record(session=session, client_id=client_id, limit=_ALL_VISITS)
        ],
        "messages": [_plain(m) for m in thread_messages(session=session, client_id=client_id)],
        "calls_you_asked_for": [
            _plain(c) for c in all_call_requests(session=session, client_id=client_id)
        ],
        "who_did_what": _rows(
            session,
            select(AuditEvent)
            .where(AuditEvent.client_id == client_id)
            .order_by(col(AuditEvent.occurred_at), col(AuditEvent.id)),
        ),
    }


def _rows(session: Session, query: Any) -> list[dict[str, Any]]:
    return [_plain(row) for row in session.exec(query)]


def _one(row: SQLModel | None) -> dict[str, Any] | None:
    return _plain(row) if row is not None else None


def _adviser_name(session: Session, profile: ClientProfile) -> str | None:
    adviser = session.get(Adviser, profile.adviser_id) if profile.adviser_id else None
    adviser_user = session.get(User, adviser.user_id) if adviser else None
    return adviser_user.display_name if adviser_user else None


def _plan(session: Session, client_id: int) -> dict[str, Any]:
    """The plan with its steps in order, and its whole history (who changed what, when)."""
    plan = session.exec(select(ActionPlan).where(ActionPlan.client_id == client_id)).first()
    if plan is None:
        return {"plan": None, "plan_history": []}
    steps = session.exec(
        select(PlanStep).where(PlanStep.plan_id == plan.id).order_by(col(PlanStep.position))
    ).all()
    titles = {step.id: step.title for step in steps}
    history = session.exec(
        select(PlanChange)
        .where(PlanChange.plan_id == plan.id)
        .order_by(col(PlanChange.changed_at), col(PlanChange.id))
    ).all()
    return {
        "plan": {**_plain(plan), "steps": [_plain(step) for step in steps]},
        "plan_history": [
            {**_plain(change), "step_title": titles.get(change.step_id)} for change in history
        ],
    }


def _check_in_answers(session: Session, client_id: int) -> list[dict[str, Any]]:
    """Every check-in answer, oldest first, and when the adviser marked it dealt with."""
    answers = reversed(answers_for(session=session, client_id=client_id, limit=10_000))
    return [
        {"answered_at": a.created_at, "answer": str(a.answer), "dealt_with_at": a.done_at}
        for a in answers
    ]


def _reminders_sent(session: Session, user: User) -> list[dict[str, Any]]:
    """Messages to this person (by account or address): what kind, how, when, and whether
    it went. Sign-in codes are left out; the words of an invitation are not quoted."""
    contacts = [c for c in (user.phone, user.email) if c]
    to_them = col(Notification.user_id) == user.id
    if contacts:
        to_them = or_(to_them, col(Notification.recipient).in_(contacts))
    messages = session.exec(
        select(Notification)
        .where(to_them, Notification.kind != NotificationKind.sign_in_code)
        .order_by(col(Notification.due_at), col(Notification.id))
    ).all()
    return [
        {
            "kind": str(m.kind),
            "channel": m.sent_channel or str(m.channel),
            "status": str(m.status),
            "due_at": m.due_at,
            "sent_at": m.sent_at,
            "words": None if m.kind in _WORDS_WITHHELD else (m.sms_body or m.body),
        }
        for m in messages
    ]


def _support_people(session: Session, client_id: int) -> list[dict[str, Any]]:
    links = session.exec(select(SupportLink).where(SupportLink.client_id == client_id)).all()
    people = []
    for link in links:
        person = session.get(User, link.supporter_user_id)
        people.append({**_plain(link), "name": person.full_name if person else None})
    return people


def as_json(data: dict[str, Any]) -> str:
    """The download: indented, UTF-8 kept readable, dates as ISO text."""
    return json.dumps(data, indent=2, ensure_ascii=False, default=_iso)


def _iso(value: object) -> str:
    return value.isoformat() if isinstance(value, datetime) else str(value)
