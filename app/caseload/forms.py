"""The adviser's forms: a new client, free times, booking, and actions on a client's record."""

from __future__ import annotations

from typing import Annotated, ClassVar, Literal

from pydantic import Field

from app.accounts.forms import UkMobile
from app.appointments.models import HelpRequest
from app.caseload.models import ServiceKind
from app.core.clock import WallClock, wall_clock_problem
from app.core.forms import (
    ClockTime,
    FormErrors,
    FormId,
    FormModel,
    IsoDate,
    PlainLine,
    PlainText,
    limit,
    within,
)
from app.core.i18n import gettext as _
from app.core.i18n import lazy_gettext
from app.people.models import ClaimantType, User
from app.rescheduling.decisions import Answer

NOTE_MAX_CHARS = 5000  # the notes column is unbounded text; a note is a paragraph or two
MAX_WAIT_WEEKS = 104  # a wait longer than two years is a typing slip
# A pause is looked at again within a year: contact must not quietly stop for longer.
MAX_DEFERRAL_DAYS = 365


class NewClientForm(FormModel):
    """A client the adviser adds to their caseload (an invitation goes to the phone)."""

    too_long: ClassVar[dict[str, str]] = {
        "full_name": lazy_gettext("The client's name must be %(limit)s characters or fewer"),
        "phone": lazy_gettext("The phone number must be %(limit)s characters or fewer"),
    }

    problems: ClassVar[dict[str, str]] = {
        "full_name": lazy_gettext("Enter the client's name"),
        "phone": lazy_gettext("Enter a UK mobile number, like 07700 900 123"),
        "claimant_type": lazy_gettext("Choose whether the client's interviews are mandatory"),
        "claim_date": lazy_gettext(
            "Enter the claim date, like 2026-11-02, within the last 5 years"
        ),
        "language": lazy_gettext("Choose English or Welsh"),
    }

    full_name: Annotated[str, limit(User, "full_name"), Field(min_length=1), PlainLine]
    phone: UkMobile
    claimant_type: ClaimantType
    claim_date: Annotated[IsoDate, within(-5 * 365, 0)]
    language: Literal["en", "cy"] = "en"


class AvailabilityForm(FormModel):
    """Free times the adviser publishes: a day, a start, a length, a place, repeated weekly."""

    problems: ClassVar[dict[str, str]] = {
        "day": lazy_gettext("Enter a date from today to a year ahead, like %(example)s"),
        "starts": lazy_gettext("Enter the start time, like 14:30"),
        "duration": lazy_gettext("Enter a length between 15 and 120 minutes"),
        "venue_id": lazy_gettext("Choose where the appointment happens"),
        "repeat": lazy_gettext("Choose how many weeks, from 1 to 12"),
        "clock": lazy_gettext("Choose which one: the first is summer time, the second is not"),
    }

    day: Annotated[IsoDate, within(0, 365)]
    starts: ClockTime
    duration: Annotated[int, Field(ge=15, le=120)] = 60
    venue_id: FormId
    repeat: Annotated[int, Field(ge=1, le=12)] = 1
    # Only asked when the start happens twice (the clocks go back): the first or the second.
    clock: Literal["first", "second"] | None = None

    def check(self, errors: FormErrors) -> None:
        problem = wall_clock_problem(self.day, self.starts)
        at = self.starts.strftime("%H:%M")
        if problem == WallClock.missing:
            message = _(
                "There is no %(time)s that day: the clocks go forward an hour. Choose another time"
            )
            errors.add("starts", message % {"time": at})
        elif problem == WallClock.twice and self.clock is None:
            message = _(
                "%(time)s happens twice that day, when the clocks go back. Choose which one"
            )
            errors.add("clock", message % {"time": at})

    @property
    def fold(self) -> int:
        """0 for the first of a time that happens twice (summer time), 1 for the second."""
        return 1 if self.clock == "second" else 0


class BookForm(FormModel):
    """A free time booked for the client, as one of their six interviews or as a review."""

    problems: ClassVar[dict[str, str]] = {
        "slot": lazy_gettext("Choose a time"),
        "wfi_number": lazy_gettext("Choose which interview"),
    }

    slot: FormId
    wfi_number: Annotated[int, Field(ge=1, le=6)] | None = None


# How far ahead an adviser looks for a time to offer or book (the rescheduling service's
# ADVISER_HORIZON, 26 weeks).
FIND_TIMES_DAYS = 182


class FindTimesForm(FormModel):
    """Which week of free times to show (from `day`) and where (`where`: "any", "phone", or
    a venue's id). Sent by GET, so a page of times has a link of its own ("next week")."""

    problems: ClassVar[dict[str, str]] = {
        "day": lazy_gettext("Enter a date from today to 6 months ahead, like %(example)s"),
        "where": lazy_gettext("Choose where"),
    }

    day: Annotated[IsoDate, within(0, FIND_TIMES_DAYS)]
    where: Annotated[str, Field(pattern=r"^(any|phone|[1-9][0-9]{0,8})$")] = "any"


# Times held for one client at once. Offered times are theirs alone until they choose: a
# forged form offering the whole diary would leave no times for anyone else. A week's page
# shows fewer; more is not a form a person sent (the kind 400 page).
MAX_OFFERED = 20
OfferedSlots = Annotated[tuple[FormId, ...], Field(max_length=MAX_OFFERED)]


class OfferForm(FormModel):
    """Free times kept for this client to choose from."""

    problems: ClassVar[dict[str, str]] = {"slots": lazy_gettext("Choose the times to offer")}

    slots: OfferedSlots = ()


class AnswerRequestForm(FormModel):
    """The adviser's answer to a client's request for another time."""

    problems: ClassVar[dict[str, str]] = {
        "answer": lazy_gettext("Choose an answer"),
        "slots": lazy_gettext("Choose the times to offer"),
    }

    answer: Answer
    slots: OfferedSlots = ()


class OutcomeForm(FormModel):
    """Whether the client came to an appointment that has passed."""

    outcome: Literal["attended", "missed"]


class DeferForm(FormModel):
    """A pause in the client's interviews until a review date (a deferral)."""

    problems: ClassVar[dict[str, str]] = {
        "review_on": lazy_gettext("Enter a review date after today and within a year"),
        "reason": lazy_gettext("Choose why the interviews are paused"),
    }

    review_on: Annotated[IsoDate, within(1, MAX_DEFERRAL_DAYS)]
    reason: Literal["nhs-treatment", "health", "caring", "other"]


class NoteForm(FormModel):
    """The adviser's private note."""

    too_long: ClassVar[dict[str, str]] = {
        "body": lazy_gettext("The note must be %(limit)s characters or fewer"),
    }

    problems: ClassVar[dict[str, str]] = {"body": lazy_gettext("Enter the note")}

    body: Annotated[str, Field(min_length=1, max_length=NOTE_MAX_CHARS), PlainText]


class JobStartForm(FormModel):
    """The client has started work: the date and whole hours a week."""

    problems: ClassVar[dict[str, str]] = {
        "started_on": lazy_gettext(
            "Enter the start date, like %(example)s, within the last 2 years or the next 3 months"
        ),
        "hours": lazy_gettext("Enter the hours a week as a whole number from 1 to 80, like 16"),
    }

    started_on: Annotated[IsoDate, within(-2 * 365, 90)]
    hours: Annotated[int, Field(ge=1, le=80)]


class HelpAnswerForm(FormModel):
    """The adviser's answer to help asked for before an appointment, with what was arranged
    (the client reads it on the appointment: a room, a call, a new place)."""

    too_long: ClassVar[dict[str, str]] = {
        "arranged_note": lazy_gettext("What you arranged must be %(limit)s characters or fewer"),
    }

    answer: Literal["arranged", "not-possible"]
    arranged_note: Annotated[str, limit(HelpRequest, "arranged_note"), PlainLine] = ""


class ServiceForm(FormModel):
    """A service the client uses or waits for, who started it, and the expected wait."""

    problems: ClassVar[dict[str, str]] = {
        "kind": lazy_gettext("Choose the service"),
        "started_by": lazy_gettext("Choose who started it"),
        "expected_wait_weeks": lazy_gettext("Enter the wait in whole weeks, from 0 to 104"),
    }

    kind: ServiceKind
    started_by: Literal["adviser", "client", "gp", "other"] = "adviser"
    expected_wait_weeks: Annotated[int, Field(ge=0, le=MAX_WAIT_WEEKS)] | None = None


class ServiceUpdateForm(FormModel):
    """A service started, ended, or followed up after it ended."""

    action: Literal["active", "ended", "followed-up"]


# The appointment's version (its `sequence`) when the adviser's page was drawn, in a hidden
# field. Anything but the version it has now (moved since, by the client say; or missing,
# blank or garbled) shows the appointment as it is now before anything is moved or
# cancelled. Read as text: a garbled hidden field is not an error the adviser could fix.
Seen = Annotated[str | None, Field(max_length=20)]


def seen_is_current(seen: str | None, sequence: int) -> bool:
    """Whether the page the form came from showed the appointment as it is now."""
    return seen == str(sequence)


class MoveForm(FormModel):
    """The adviser's new time for a booked appointment, with the week and place it was
    chosen from (kept, so the same times are shown again if it cannot be booked)."""

    problems: ClassVar[dict[str, str]] = {"slot": lazy_gettext("Choose a new time")}

    slot: FormId
    day: IsoDate | None = None
    where: Annotated[str, Field(pattern=r"^(any|phone|[1-9][0-9]{0,8})$")] = "any"
    # The appointment's version when the page was drawn (see Seen).
    seen: Seen = None


class CancelForm(FormModel):
    """Cancelling a booked appointment; the reason is optional and from a fixed list (free
    text could hold health details)."""

    reason: Literal["client-asked", "adviser-unavailable", "booked-by-mistake", "other"] | None = (
        None
    )
    # The appointment's version when the page was drawn (see Seen).
    seen: Seen = None
