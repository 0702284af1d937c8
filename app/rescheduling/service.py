"""Changing an appointment: which times to offer, and what happens when one is chosen."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from enum import StrEnum

from sqlmodel import Session

from app.appointments import order
from app.appointments.booking import SlotTaken, may_hold, move_to_slot
from app.appointments.models import (
    Appointment,
    AppointmentChange,
    AppointmentMode,
    AppointmentStatus,
    AvailabilitySlot,
    ChangeKind,
)
from app.appointments.presenting import place_asked
from app.appointments.repository import upcoming_for_client
from app.core.clock import london_datetime, to_london, utcnow
from app.offices.calendar import is_open
from app.offices.models import Office
from app.people.models import Adviser, ClientProfile, Role
from app.rescheduling import policy, repository
from app.rescheduling.models import RequestKind, RescheduleRequest

REASONS = ("nhs-appointment", "medication", "not-well", "something-else", "rather-not-say")


def _told(reason: str | None) -> str | None:
    """The reason the client gave, to keep with the move: one of REASONS they chose to say
    (not "rather not say", and nothing made up in a form)."""
    return reason if reason in REASONS and reason != "rather-not-say" else None


# The programme's notice (policy.MIN_NOTICE, 24 hours): no list of times, the client's or the
# adviser's, offers one closer than this, and no time closer is chosen, offered or booked.
EARLIEST_OFFER = policy.MIN_NOTICE
MAX_CHOICES = 12  # the soonest times; later ones a week at a time ("Show later times")
WEEK = timedelta(days=7)


def client_rules(
    *, session: Session, client_id: int
) -> tuple[list[policy.Busy], policy.Preferences]:
    """The client's busy times and preferences as policy values."""
    busy = [
        policy.Busy(starts=b.starts, ends=b.ends, weekday=b.weekday, on_date=b.on_date)
        for b in repository.busy_times(session=session, client_id=client_id)
    ]
    stored = repository.preferences(session=session, client_id=client_id)
    prefs = policy.Preferences(
        not_before=stored.not_before if stored else None,
        not_after=stored.not_after if stored else None,
        avoid_weekdays=frozenset(int(d) for d in (stored.avoid_weekdays if stored else "")),
    )
    return busy, prefs


def suits(*, session: Session, client_id: int, start: datetime, end: datetime) -> bool:
    """Whether [start, end) keeps to the client's busy times and preferences."""
    busy, prefs = client_rules(session=session, client_id=client_id)
    return policy.suits_client(start, end, busy, prefs)


def clashing_appointments(*, session: Session, client_id: int) -> list[Appointment]:
    """Booked appointments still to come that break the client's own busy times or
    preferences (added after they were booked), soonest first. The client is asked whether
    to change each one, and it is on the adviser's attention list until it no longer
    clashes (moved, cancelled, or the busy time taken away), so no one finds out on the day."""
    busy, prefs = client_rules(session=session, client_id=client_id)
    if not busy and prefs == policy.Preferences():
        return []
    upcoming = upcoming_for_client(session=session, client_id=client_id, limit=50)
    return [
        appointment
        for appointment, _venue in upcoming
        if not policy.suits_client(appointment.starts_at, appointment.ends_at, busy, prefs)
    ]


@dataclass(frozen=True)
class Choices:
    slots: list[AvailabilitySlot]
    hidden: int  # how many free times were left out because they clash with the client's needs
    week: date | None = None  # the first day of the week shown; None: the soonest times
    later: date | None = None  # where "Show later times" starts, when there are later times
    # Times the adviser kept for this client, however far ahead: listed once, under their own
    # heading, on the first page only; never among `slots` (so never shown twice).
    offered: list[AvailabilitySlot] = field(default_factory=list)
    # Interviews keep their order: only times inside this window are listed (order.py).
    keeps_order: order.Window = order.ANYWHERE

    @property
    def last_day(self) -> date | None:
        """The last day of the week shown (None for the soonest times)."""
        return self.week + WEEK - timedelta(days=1) if self.week else None


def suitable_slots(
    *,
    session: Session,
    profile: ClientProfile,
    adviser_id: int,
    start: datetime,
    end: datetime,
    keeps_order: order.Window = order.ANYWHERE,
) -> Choices:
    """An adviser's free times in [start, end] that this client could take and that suit
    their busy times and preferences, soonest first (every list of times offered or booked
    for a client comes from here); never one within `EARLIEST_OFFER`, whatever `start`; for
    one interview, only times that keep it in order (`keeps_order`, see order.py)."""
    assert profile.id is not None
    start = max(start, utcnow() + EARLIEST_OFFER)
    candidates = repository.open_slots(
        session=session, adviser_id=adviser_id, client_id=profile.id, start=start, end=end
    )
    busy, prefs = client_rules(session=session, client_id=profile.id)
    office = office_of(session, adviser_id)
    # A day the office is closed (a bank holiday, a weekend) is never offered, whoever asks.
    candidates = [s for s in candidates if office is None or is_open(office, local_day(s))]
    candidates = [s for s in candidates if keeps_order.allows(s.starts_at, s.duration_minutes)]
    suitable = [s for s in candidates if policy.suits_client(s.starts_at, s.ends_at, busy, prefs)]
    return Choices(slots=suitable, hidden=len(candidates) - len(suitable), keeps_order=keeps_order)


def office_of(session: Session, adviser_id: int) -> Office | None:
    """The office an adviser works from (whose opening days their times keep to)."""
    adviser = session.get(Adviser, adviser_id)
    return session.get(Office, adviser.office_id) if adviser else None


def local_day(slot: AvailabilitySlot) -> date:
    """The London date a slot starts on."""
    return to_london(slot.starts_at).date()


def alternative_slots(
    *, session: Session, profile: ClientProfile, appointment: Appointment, week: date | None = None
) -> Choices:
    """Free times with the client's adviser that suit the client, soonest first: the first
    `MAX_CHOICES` (and the rest of the last day they reach), or (`week` given) every one in
    the seven days from `week`. `later` is the
    day the next page starts: the first time not shown, so a page is never empty because a
    week in between has no times. Times the adviser offered this client are apart, in
    `offered`, on the first page only, up to as far ahead as the adviser books."""
    now = utcnow()
    found = suitable_slots(
        session=session,
        profile=profile,
        adviser_id=appointment.adviser_id,
        start=now + EARLIEST_OFFER,
        end=now + ADVISER_HORIZON,
        keeps_order=order.window_of(session, appointment),
    )
    others = [
        s
        for s in found.slots
        if s.starts_at != appointment.starts_at and policy.holds(s.duration_minutes, appointment)
    ]
    offered = [s for s in others if s.offered_to_client_id == profile.id]
    # Everyone's free times as far ahead as a client picks for themselves; the adviser's
    # offers are already listed, so they are not repeated in any page of weeks.
    slots = [
        s for s in others if s.offered_to_client_id is None and s.starts_at <= now + policy.HORIZON
    ]
    if week is None:
        shown, rest = slots[:MAX_CHOICES], slots[MAX_CHOICES:]
        # A day is never split: the next page starts on a day, and would show again the
        # times of a day already begun here.
        while rest and shown and local_day(rest[0]) == local_day(shown[-1]):
            shown, rest = [*shown, rest[0]], rest[1:]
    else:
        week_end = week + WEEK
        shown = [s for s in slots if week <= local_day(s) < week_end]
        rest = [s for s in slots if local_day(s) >= week_end]
    later = local_day(rest[0]) if rest else None
    return Choices(
        slots=shown,
        hidden=found.hidden,
        week=week,
        later=later,
        offered=offered if week is None else [],
        keeps_order=found.keeps_order,
    )


# Advisers book further ahead than clients pick for themselves.
ADVISER_HORIZON = timedelta(weeks=26)
ADVISER_CHOICES = 20


def bookable_slots(
    *, session: Session, profile: ClientProfile, adviser_id: int
) -> list[AvailabilitySlot]:
    """The adviser's free times that suit this client, soonest first (for booking)."""
    now = utcnow()
    found = suitable_slots(
        session=session,
        profile=profile,
        adviser_id=adviser_id,
        start=now,
        end=now + ADVISER_HORIZON,
    )
    return found.slots[:ADVISER_CHOICES]


PHONE = "phone"  # the "where" of a week of times that are by phone, whichever venue row says so


def week_of_slots(
    *,
    session: Session,
    profile: ClientProfile,
    adviser_id: int,
    week: date,
    where: int | str | None = None,
    appointment: Appointment | None = None,
) -> Choices:
    """Every free time of the adviser's in the seven days from `week` that suits this client,
    soonest first, however far ahead (within `ADVISER_HORIZON`): at one venue (`where` a venue
    id), by phone (`PHONE`), or anywhere (None); to move `appointment`, only times that keep
    it in order. Days the office is closed are left out, as in
    every list (`suitable_slots`); `later` is the next day after the week with such a time."""
    now = utcnow()
    start = max(now, london_datetime(week, 0, 0))
    found = suitable_slots(
        session=session,
        profile=profile,
        adviser_id=adviser_id,
        start=start,
        end=now + ADVISER_HORIZON,
        keeps_order=order.window_of(session, appointment) if appointment else order.ANYWHERE,
    )

    def at_place(slot: AvailabilitySlot) -> bool:
        if where == PHONE:
            return slot.mode == AppointmentMode.phone
        return where is None or (slot.venue_id == where and slot.mode != AppointmentMode.phone)

    week_end = week + WEEK
    here = [s for s in found.slots if at_place(s)]
    shown = [s for s in here if local_day(s) < week_end]
    rest = [s for s in here if local_day(s) >= week_end]
    return Choices(
        slots=shown,
        hidden=found.hidden,
        week=week,
        later=local_day(rest[0]) if rest else None,
        keeps_order=found.keeps_order,
    )


class Outcome(StrEnum):
    confirmed = "confirmed"
    requested = "requested"
    gone = "gone"  # someone took the time first: show fresh choices, keep what was entered
    # The time is at another place, or lasts another length: nothing changes until the client
    # has seen that and said yes (`confirmation`), however the choice was sent (a tap now, or
    # a phone's offline queue sending it hours later).
    check = "check"


def arrangement(
    item: Appointment | AvailabilitySlot, *, own_place: bool = False, minutes: int | None = None
) -> policy.Arrangement:
    """Where an appointment or a free time is, and how long it lasts (`minutes`: a time
    chosen for an appointment lasts as long as the appointment)."""
    return policy.Arrangement(
        mode=item.mode,
        venue_id=item.venue_id,
        duration_minutes=minutes or item.duration_minutes,
        own_place=own_place,
    )


def meets_at_own_place(session: Session, appointment: Appointment) -> bool:
    """The client asked to meet at home or in a community place for this appointment (asked
    or arranged): a time in person is at that place, whatever venue the diary files it under."""
    return place_asked(session, appointment) is not None


def differences(
    appointment: Appointment, slot: AvailabilitySlot, *, own_place: bool = False
) -> frozenset[policy.Difference]:
    """What moving the appointment to this free time would change besides the time (never
    its length: it keeps its own, see `policy.holds`)."""
    return policy.differences(
        arrangement(appointment, own_place=own_place),
        arrangement(slot, own_place=own_place, minutes=appointment.duration_minutes),
    )


def confirmation(
    appointment: Appointment, slot: AvailabilitySlot, *, own_place: bool = False
) -> str:
    """The form value that says the client has seen and accepted `differences`."""
    return policy.confirmation(
        arrangement(appointment, own_place=own_place),
        arrangement(slot, own_place=own_place, minutes=appointment.duration_minutes),
    )


def may_choose(
    *,
    session: Session,
    profile: ClientProfile,
    slot: AvailabilitySlot,
    appointment: Appointment | None = None,
) -> bool:
    """Whether this client may have this time now, judged afresh when it is chosen and again
    when the adviser accepts it (a page, a request or a phone's offline queue can be old): it
    is free, theirs to hold (`may_hold`), starts at least `EARLIEST_OFFER` from now (as on
    the client's list; a time gone by is never booked), on a day the office is open, suits
    their busy times and preferences and, for `appointment`, keeps interviews in order."""
    assert profile.id is not None
    office = office_of(session, slot.adviser_id)
    return (
        slot.appointment_id is None
        and may_hold(slot, client_id=profile.id, client_adviser_id=profile.adviser_id)
        and slot.starts_at >= utcnow() + EARLIEST_OFFER
        and (office is None or is_open(office, local_day(slot)))
        and suits(session=session, client_id=profile.id, start=slot.starts_at, end=slot.ends_at)
        and (
            appointment is None
            or (
                policy.holds(slot.duration_minutes, appointment)
                and order.window_of(session, appointment).allows(
                    slot.starts_at, appointment.duration_minutes
                )
            )
        )
    )


def choose_slot(
    *,
    session: Session,
    profile: ClientProfile,
    appointment: Appointment,
    slot_id: int,
    reason: str | None,
    actor_user_id: int | None,
    actor_role: Role = Role.client,
    confirmed: str | None = None,
) -> Outcome:
    """Confirm the chosen time when the rules allow, or pass it to the adviser as a request.

    A time at another place or of another length changes nothing (`Outcome.check`) unless
    `confirmed` is its `confirmation`: the client has seen the difference and said yes. That
    holds for a request too, since the adviser's "accept" moves the appointment there.
    """
    assert appointment.id is not None and profile.id is not None
    slot = session.get(AvailabilitySlot, slot_id)
    if slot is None or not may_choose(
        session=session, profile=profile, slot=slot, appointment=appointment
    ):
        return Outcome.gone
    own_place = meets_at_own_place(session, appointment)
    if differences(appointment, slot, own_place=own_place) and confirmed != confirmation(
        appointment, slot, own_place=own_place
    ):
        return Outcome.check
    if appointment.status != AppointmentStatus.booked:
        # A missed or cancelled appointment is not moved: the adviser books a new one with
        # the client, starting from the time they chose.
        decision = policy.Decision.ask_adviser
    else:
        decision = policy.decide(
            now=utcnow(),
            new_start=slot.starts_at,
            changes_so_far=repository.client_changes(
                session=session, appointment_id=appointment.id
            ),
        )
    if decision == policy.Decision.ask_adviser:
        for existing in repository.open_requests_for_client(session=session, client_id=profile.id):
            if existing.kind == RequestKind.change and existing.appointment_id == appointment.id:
                # Asking again replaces the earlier choice: one request per appointment.
                existing.wanted_slot_id = slot.id
                existing.reason = reason if reason in REASONS else existing.reason
                session.add(existing)
                session.flush()
                return Outcome.requested
        session.add(
            RescheduleRequest(
                appointment_id=appointment.id,
                client_id=profile.id,
                kind=RequestKind.change,
                reason=reason if reason in REASONS else None,
                wanted_slot_id=slot.id,
                asked_by_user_id=actor_user_id,
                asked_by_role=actor_role,
            )
        )
        session.flush()
        return Outcome.requested
    try:
        move_to_slot(
            session=session,
            appointment=appointment,
            slot=slot,
            actor_user_id=actor_user_id,
            actor_role=actor_role,
            keep_length=True,
            reason=_told(reason),
        )
    except SlotTaken:
        return Outcome.gone
    return Outcome.confirmed


def not_well_enough(
    *,
    session: Session,
    profile: ClientProfile,
    appointment: Appointment | None,
    actor_user_id: int | None,
    actor_role: Role = Role.client,
) -> RescheduleRequest:
    """One tap, no reason: the adviser is told and gets in touch. Repeated taps add nothing."""
    assert profile.id is not None
    for existing in repository.open_requests_for_client(session=session, client_id=profile.id):
        if existing.kind == RequestKind.not_well:
            return existing
    request = RescheduleRequest(
        appointment_id=appointment.id if appointment else None,
        client_id=profile.id,
        kind=RequestKind.not_well,
        asked_by_user_id=actor_user_id,
        asked_by_role=actor_role,
    )
    session.add(request)
    if appointment is not None:
        assert appointment.id is not None
        session.add(
            AppointmentChange(
                appointment_id=appointment.id,
                actor_user_id=actor_user_id,
                actor_role=actor_role,
                change=ChangeKind.not_well,
            )
        )
    session.flush()
    return request


def not_well_hold(session: Session, appointment: Appointment) -> str | None:
    """While a client's "not well enough" waits for the adviser's answer, reminders about
    their appointments are held back: a "you have an appointment tomorrow" then would feel
    like pressure. They come back with the answer (a new time, or the same kept)."""
    for request in repository.open_requests_for_client(
        session=session, client_id=appointment.client_id
    ):
        if request.kind == RequestKind.not_well:
            return "client said not well enough"
    return None
