"""Closing an account for real: once the adviser confirms a client's request, the client's
personal data is erased, and what the programme needs to count is kept without it.

Deleted (every row):
- sign-in: sessions (also support people's sessions acting for the client), sign-in
  challenges, invitations, recovery codes, passkeys, push subscriptions;
- what the client told us or we wrote to them: messages and their thread, call requests,
  check-in answers, every message sent to them or about their appointments (texts, emails,
  push), the calendar feed link;
- needs and preferences: help asked for at an appointment, help at every appointment,
  group-or-one-to-one, reminder settings, busy times, time preferences;
- the plan: its steps and its history; things booked with providers; services and referrals;
  requests to change a time; appointment histories; the adviser's private notes;
  links to support people (their own accounts stay theirs).
Kept, with nothing personal in it:
- the account and profile rows, blanked: no name, phone, email, password or authenticator,
  sign-in switched off, on no adviser's caseload; status "ended" and the day it ended; claimant type, claim date,
  language, whether and since when in work (programme outcomes);
- appointments: kind, interview number, time, length, mode, venue, adviser, outcome (status);
  those still booked ahead are cancelled and their times freed;
- adviser tasks (kind and dates) and audit lines (who did what, when), with their details
  blanked, so staff access to the record stays accountable.
The close page (account/close.html) tells the client this before they ask.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import delete, or_, update
from sqlmodel import Session, col, select

from app.accounts.models import (
    Invitation,
    Passkey,
    RecoveryCode,
    SignInChallenge,
    WebSession,
)
from app.action_plans.models import ActionPlan, PlanChange, PlanStep
from app.appointments.activity_models import Activity
from app.appointments.models import (
    Appointment,
    AppointmentChange,
    AppointmentStatus,
    AvailabilitySlot,
    CalendarFeed,
    HelpRequest,
    SessionPreference,
    StandingNeed,
)
from app.audit import service as audit
from app.audit.models import AuditEvent
from app.caseload.models import ClientService, PrivateNote
from app.core.clock import to_london, utcnow
from app.delivery.models import Notification, PushSubscription
from app.messages.check_ins import CheckInReply
from app.messages.models import CallRequest, Message, MessageThread
from app.people.models import (
    AdviserTask,
    ClientProfile,
    ClientStatus,
    ReminderSettings,
    SupportLink,
    TaskKind,
    User,
)
from app.rescheduling.models import BusyTime, RescheduleRequest, TimePreference

ERASED = "client.erased"
# Rows that belong to the client, deleted whole (by their client_id).
_CLIENT_ROWS: tuple[Any, ...] = (
    Activity,
    StandingNeed,
    SessionPreference,
    CalendarFeed,
    ClientService,
    PrivateNote,
    SupportLink,
    ReminderSettings,
    BusyTime,
    TimePreference,
    RescheduleRequest,
    CallRequest,
    CheckInReply,
)
# Rows of the client's own sign-in and devices, deleted whole (by their user_id).
_USER_ROWS: tuple[Any, ...] = (
    WebSession,
    SignInChallenge,
    RecoveryCode,
    Invitation,
    Passkey,
    PushSubscription,
)
# Every column elsewhere that points at the client or their account is handled above or here
# (tests/data_rights/test_erasure.py checks that no table is forgotten).
HANDLED_ELSEWHERE = {
    "action_plans.client_id",
    "appointments.client_id",
    "availability_slots.offered_to_client_id",
    "audit_events.client_id",
    "audit_events.actor_user_id",
    "adviser_tasks.client_id",
    "adviser_tasks.done_by_user_id",
    "message_threads.client_id",
    "thread_messages.author_user_id",
    "reschedule_requests.asked_by_user_id",
    "reschedule_requests.decided_by_user_id",
    "notifications.user_id",
    "web_sessions.acting_for_client_id",
    "client_profiles.user_id",
    "plan_changes.actor_user_id",
    "appointment_changes.actor_user_id",
    "activities.booked_by_user_id",
    "call_requests.done_by_user_id",
    "call_requests.arranged_by_user_id",
    "check_in_answers.answered_by_user_id",
    "check_in_answers.done_by_user_id",
    "invitations.created_by_user_id",
    "support_links.supporter_user_id",
    "advisers.user_id",
}


def erase_client(
    *, session: Session, profile: ClientProfile, confirmed_by: User, now: datetime | None = None
) -> None:
    """Erase the client's personal data (see the module docstring for exactly what)."""
    now = now or utcnow()
    assert profile.id is not None and confirmed_by.id is not None
    client_id, user_id = profile.id, profile.user_id
    user = session.get(User, user_id)
    assert user is not None
    _delete_messages_to(session, client_id, user)
    _delete_owned(session, client_id, user_id)
    for table in _CLIENT_ROWS:
        session.exec(delete(table).where(table.client_id == client_id))
    for table in _USER_ROWS:
        session.exec(delete(table).where(table.user_id == user_id))
    session.exec(delete(WebSession).where(col(WebSession.acting_for_client_id) == client_id))
    session.exec(
        update(AvailabilitySlot)
        .where(col(AvailabilitySlot.offered_to_client_id) == client_id)
        .values(offered_to_client_id=None)
    )
    session.exec(
        update(AuditEvent)
        .where(
            or_(col(AuditEvent.client_id) == client_id, col(AuditEvent.actor_user_id) == user_id)
        )
        .values(detail="{}")
    )
    _cancel_what_is_ahead(session, client_id, now)
    _blank_person(session, profile, user, now)
    for task in session.exec(
        select(AdviserTask).where(
            AdviserTask.client_id == client_id,
            AdviserTask.kind == TaskKind.close_account,
            col(AdviserTask.done_at).is_(None),
        )
    ):
        task.done_at, task.done_by_user_id = now, confirmed_by.id
        session.add(task)
    audit.record(
        session=session,
        action=ERASED,
        actor_role=confirmed_by.role,
        actor_user_id=confirmed_by.id,
        client_id=client_id,
    )


def _delete_messages_to(session: Session, client_id: int, user: User) -> None:
    """Every text, email and push to the client, or about their appointments."""
    appointment_ids = session.exec(
        select(Appointment.id).where(Appointment.client_id == client_id)
    ).all()
    subjects = [f"client:{client_id}", *(f"appointment:{i}" for i in appointment_ids)]
    addresses = [a for a in (user.phone, user.email) if a]
    session.exec(
        delete(Notification).where(
            or_(
                col(Notification.user_id) == user.id,
                col(Notification.subject).in_(subjects),
                col(Notification.recipient).in_(addresses),
            )
        )
    )


def _delete_owned(session: Session, client_id: int, user_id: int) -> None:
    """Rows hanging off the client's plan, thread and appointments: children first."""
    plans = select(ActionPlan.id).where(ActionPlan.client_id == client_id)
    threads = select(MessageThread.id).where(MessageThread.client_id == client_id)
    appointments = select(Appointment.id).where(Appointment.client_id == client_id)
    for statement in (
        delete(PlanChange).where(col(PlanChange.plan_id).in_(plans)),
        delete(PlanStep).where(col(PlanStep.plan_id).in_(plans)),
        delete(ActionPlan).where(col(ActionPlan.client_id) == client_id),
        delete(Message).where(col(Message.thread_id).in_(threads)),
        delete(MessageThread).where(col(MessageThread.client_id) == client_id),
        delete(AppointmentChange).where(col(AppointmentChange.appointment_id).in_(appointments)),
        delete(HelpRequest).where(col(HelpRequest.appointment_id).in_(appointments)),
    ):
        session.exec(statement)


def _cancel_what_is_ahead(session: Session, client_id: int, now: datetime) -> None:
    """Booked appointments still ahead are cancelled and their times freed: nobody could
    remind the client of them, nor reach them about them."""
    ahead = session.exec(
        select(Appointment.id).where(
            Appointment.client_id == client_id,
            Appointment.status == AppointmentStatus.booked,
            col(Appointment.starts_at) >= now,
        )
    ).all()
    if not ahead:
        return
    session.exec(
        update(AvailabilitySlot)
        .where(col(AvailabilitySlot.appointment_id).in_(ahead))
        .values(appointment_id=None)
    )
    session.exec(
        update(Appointment)
        .where(col(Appointment.id).in_(ahead))
        .values(status=AppointmentStatus.cancelled)
    )


def _blank_person(session: Session, profile: ClientProfile, user: User, now: datetime) -> None:
    user.full_name, user.preferred_name = "", None
    user.email = user.phone = user.password_hash = user.totp_secret = None
    user.is_active = False
    # Off every caseload: an erased client is nobody's to write to, book or look up.
    profile.adviser_id = None
    profile.status, profile.paused_until = ClientStatus.ended, None
    profile.ended_on = profile.ended_on or to_london(now).date()
    profile.summary_consent_on = None
    session.add_all([user, profile])
    session.flush()
