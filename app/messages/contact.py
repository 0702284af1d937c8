"""What the contact page says: the adviser, their office's phone and opening times, and the
times a call could suit the client (from their own time preferences)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session

from app.core.config import get_settings
from app.core.formatting import hour_label, weekday_list
from app.core.i18n import current_language
from app.core.i18n import gettext as _
from app.core.welsh import DatePhrase
from app.messages.models import CallTime
from app.offices.models import Office
from app.offices.names import office_name
from app.people.models import Adviser, ClientProfile, User
from app.rescheduling.models import TimePreference
from app.rescheduling.repository import preferences

NOON = 12


@dataclass(frozen=True)
class ContactDetails:
    adviser_name: str | None
    office_name: str | None
    phone: str | None
    open_days: str  # "Monday to Friday", in the current language
    opens_hour: int
    closes_hour: int


def _day_names() -> list[str]:
    return [
        *(_("Monday"), _("Tuesday"), _("Wednesday"), _("Thursday"), _("Friday")),
        *(_("Saturday"), _("Sunday")),
    ]


def open_days_in_words(open_weekdays: str) -> str:
    """'Monday to Friday' for a run of days; otherwise the days listed ('Monday, Wednesday and
    Friday'). Weekdays are digits, Monday 0, as Office.open_weekdays stores them. In Welsh a
    `DatePhrase`, so a sentence may mutate it ("ar ddydd Llun…")."""
    words = _open_days(open_weekdays)
    return DatePhrase(words) if current_language() == "cy" else words


def _open_days(open_weekdays: str) -> str:
    days = sorted({int(d) for d in open_weekdays if d.isdigit() and int(d) < 7})
    names = _day_names()
    if not days:
        return ""
    if days == [0, 1, 2, 3, 4]:
        return _("Monday to Friday")  # its own words: Welsh mutates the second day
    if len(days) > 2 and days == list(range(days[0], days[-1] + 1)):
        return _("%(first)s to %(last)s") % {"first": names[days[0]], "last": names[days[-1]]}
    if len(days) == 1:
        return names[days[0]]
    listed = weekday_list(days[:-1])  # "dydd Llun, dydd Mercher" in Welsh
    return _("%(days)s and %(last)s") % {"days": listed, "last": names[days[-1]]}


def contact_details(*, session: Session, profile: ClientProfile) -> ContactDetails:
    """The client's adviser and office. With no adviser yet, only the opening times."""
    settings = get_settings()
    adviser = session.get(Adviser, profile.adviser_id) if profile.adviser_id else None
    adviser_user = session.get(User, adviser.user_id) if adviser else None
    office = session.get(Office, adviser.office_id) if adviser else None
    return ContactDetails(
        adviser_name=adviser_user.display_name if adviser_user else None,
        office_name=office_name(office) if office else None,
        phone=office.phone if office else None,
        open_days=open_days_in_words(office.open_weekdays if office else "01234"),
        opens_hour=settings.office_opens_hour,
        closes_hour=settings.office_closes_hour,
    )


def call_times(saved: TimePreference | None) -> list[CallTime]:
    """The parts of the day a call could come, leaving out any the client has said do not
    suit: "nothing before 1pm" takes mornings away, "nothing after 11am" afternoons. "Any
    time" only when both parts suit."""
    settings = get_settings()
    not_before = saved.not_before if saved else None
    not_after = saved.not_after if saved else None
    times = []
    if not_before is None or not_before.hour < NOON:
        times.append(CallTime.morning)
    afternoon_open = settings.office_closes_hour > NOON
    if afternoon_open and (not_after is None or (not_after.hour, not_after.minute) > (NOON, 0)):
        times.append(CallTime.afternoon)
    if len(times) == 2:
        times.insert(0, CallTime.any)
    return times


def call_times_for(*, session: Session, profile: ClientProfile) -> list[CallTime]:
    """call_times() for this client's saved preferences."""
    assert profile.id is not None
    return call_times(preferences(session=session, client_id=profile.id))


def hours_in_words(opens_hour: int, closes_hour: int) -> str:
    """'9am to 5pm' in the current language (whole hours, London time)."""
    return _("%(opens)s to %(closes)s") % {
        "opens": hour_label(opens_hour),
        "closes": hour_label(closes_hour),
    }
