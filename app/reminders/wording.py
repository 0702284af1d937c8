"""The words of every message to a client, in their language, discreet unless they chose detail.

Discreet means safe on a lock screen or a shared phone: no "Jobcentre", "benefit", "interview"
or health words, no adviser or place. Every message says how to see or change things. A text
message must fit in two SMS segments; `sms_segments` counts them the way phone networks do.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from app.core.clock import to_london
from app.core.config import get_settings
from app.core.formatting import adverbial_date, human_date, human_time
from app.core.i18n import gettext as _
from app.core.i18n import lazy_gettext, use_language
from app.delivery.message import MAX_SMS_SEGMENTS, Message, sms_segments
from app.offices.names import place_name
from app.people.models import DetailLevel

TITLE = lazy_gettext("My Pathways")
SEE_OR_CHANGE = lazy_gettext("See or change it: %(link)s")
SEE_IT = lazy_gettext("See it here: %(link)s")

WHEN_TODAY = lazy_gettext("today at %(time)s")
WHEN_TOMORROW = lazy_gettext("tomorrow at %(time)s")
WHEN_ON = lazy_gettext("on %(date)s at %(time)s")
# Within a few hours of the start, a reminder also says how long is left, so "2 hours before"
# and "1 hour before" say different things (and a repeat of either can be recognised).
WHEN_WITHIN_THE_HOUR = lazy_gettext("today at %(time)s, in less than an hour")
WHEN_IN_ABOUT_AN_HOUR = lazy_gettext("today at %(time)s, in about an hour")
WHEN_IN_ABOUT_2_HOURS = lazy_gettext("today at %(time)s, in about 2 hours")
WHEN_IN_ABOUT_3_HOURS = lazy_gettext("today at %(time)s, in about 3 hours")
_SOON = (WHEN_WITHIN_THE_HOUR, WHEN_IN_ABOUT_AN_HOUR, WHEN_IN_ABOUT_2_HOURS, WHEN_IN_ABOUT_3_HOURS)

REMINDER = lazy_gettext("Reminder: you have an appointment %(when)s.")
REMINDER_DETAILED = lazy_gettext(
    "Reminder: you have an appointment with %(adviser)s %(place)s %(when)s."
)
# %(when)s reads "tomorrow at 2pm" or "on Tuesday 3 March at 2pm", so it follows "It is".
BOOKED = lazy_gettext("Your appointment is booked. It is %(when)s.")
MOVED = lazy_gettext("Your appointment has moved. It is now %(when)s.")
BOOKED_DETAILED = lazy_gettext(
    "Your appointment with %(adviser)s %(place)s is booked. It is %(when)s."
)
MOVED_DETAILED = lazy_gettext(
    "Your appointment with %(adviser)s %(place)s has moved. It is now %(when)s."
)

# Said after any message about an appointment whose place or kind changed since the client
# was last told (reminders.changes): discreet, so no place is named; the link shows where.
# Welsh without ô, so a text stays in the GSM alphabet (160 characters a part).
CHANGED_PLACE = lazy_gettext("The place has changed.")
CHANGED_TO_PHONE = lazy_gettext("Your adviser will phone you instead.")
CHANGED_TO_IN_PERSON = lazy_gettext("It is now in person, not a phone call.")
CHANGE_NOTICES = {
    "place": CHANGED_PLACE,
    "to-phone": CHANGED_TO_PHONE,
    "to-in-person": CHANGED_TO_IN_PERSON,
}

# Courses and groups booked with a provider: discreet by default (a course's name can say
# more than a client wants on a lock screen), named in full if they chose detailed messages.
ACTIVITY_BOOKED = lazy_gettext("Something has been booked for you. It is %(when)s.")
ACTIVITY_BOOKED_DETAILED = lazy_gettext("%(title)s has been booked for you. It is %(when)s.")
ACTIVITY_REMINDER = lazy_gettext("Reminder: you have something booked %(when)s.")
ACTIVITY_REMINDER_DETAILED = lazy_gettext("Reminder: %(title)s, %(when)s.")

# Welsh only: "dros y ffôn" has ô, which makes a text UCS-2 (70 characters a part) and the
# detailed wording too long to send, so Welsh says "bydd X yn eich ffonio" instead (no accent).
# English keeps "with X by phone", which fits.
REMINDER_DETAILED_PHONE = lazy_gettext("Reminder: %(adviser)s will phone you %(when)s.")
BOOKED_DETAILED_PHONE = lazy_gettext(
    "Your appointment is booked: %(adviser)s will phone you %(when)s."
)
MOVED_DETAILED_PHONE = lazy_gettext(
    "Your appointment has moved: %(adviser)s will now phone you %(when)s."
)
WELSH_PHONE_WORDING = {
    REMINDER_DETAILED: REMINDER_DETAILED_PHONE,
    BOOKED_DETAILED: BOOKED_DETAILED_PHONE,
    MOVED_DETAILED: MOVED_DETAILED_PHONE,
}

PLACE_PHONE = lazy_gettext("by phone")
PLACE_HOME = lazy_gettext("at your home")
PLACE_VENUE = lazy_gettext("at %(venue)s")

SUGGESTION = lazy_gettext(
    "Your adviser has suggested a step for your plan. Look when it suits you."
)
PAUSED = lazy_gettext(
    "Your appointments are paused until %(date)s. The door is open: get in touch any time."
)
CHECK_IN_REVIEW = lazy_gettext("How are things? No need to reply. Tell us when you are ready.")
# Discreet: no adviser's name on a lock screen unless the client chose detailed messages.
CHECK_IN_AFTER_SIXTH = lazy_gettext("Would you like to keep in touch with your adviser?")
CHECK_IN_AFTER_SIXTH_DETAILED = lazy_gettext("Would you like to keep in touch with %(adviser)s?")
CHECK_IN_REFERRAL_ENDED = lazy_gettext(
    "How are things? We are here if you want to talk about what is next."
)
CHECK_IN_WORK = lazy_gettext(
    "How is the new job going? No need to reply. Help is here if you want it."
)
TEST = lazy_gettext("This is a test from My Pathways. Your reminders will look like this.")


def human_date_in(day: date, language: str) -> str:
    with use_language(language):
        return human_date(day)


def link(path: str) -> str:
    return get_settings().base_url.rstrip("/") + path


@dataclass(frozen=True)
class When:
    """How a message names an appointment's time, seen from the moment it is sent.

    `meaning` is what the client takes from it ("tomorrow", "today", "in-2-hours", or the
    date): two reminders with the same meaning say the same thing, so the second is not sent."""

    phrase: str
    meaning: str


def hours_left(moment: datetime, sent_at: datetime) -> int | None:
    """0–3: roughly how many hours are left (0 is under 45 minutes); None if more than 3½."""
    minutes = (moment - sent_at).total_seconds() / 60
    if minutes > 210:
        return None
    if minutes < 45:
        return 0
    return min(3, max(1, round(minutes / 60)))


def when(moment: datetime, sent_at: datetime) -> When:
    """'today at 2pm', 'today at 2pm, in about an hour', 'tomorrow at 2:30pm' or 'on Tuesday
    3 March at 2:30pm', seen from the day (in London) the message goes. In the caller's
    language."""
    day, sent_day = to_london(moment).date(), to_london(sent_at).date()
    # "ddydd Mercher 9 Rhagfyr" in Welsh: a time phrase takes the soft mutation.
    values = {"time": human_time(moment), "date": adverbial_date(moment)}
    if day == sent_day:
        hours = hours_left(moment, sent_at)
        if hours is None:
            return When(_(WHEN_TODAY) % values, "today")
        return When(_(_SOON[hours]) % values, f"in-{hours}-hours")
    if day == sent_day + timedelta(days=1):
        return When(_(WHEN_TOMORROW) % values, "tomorrow")
    return When(_(WHEN_ON) % values, day.isoformat())


def when_phrase(moment: datetime, sent_at: datetime) -> str:
    """The words of `when` alone."""
    return when(moment, sent_at).phrase


def place_phrase(mode: str, venue_name: str | None, venue_name_cy: str | None = None) -> str:
    """'by phone', 'at your home' or 'at <venue>' ("yng Nghanolfan…" in Welsh)."""
    if mode == "phone":
        return _(PLACE_PHONE)
    if mode == "home-visit":
        return _(PLACE_HOME)
    return _(PLACE_VENUE) % {"venue": place_name(venue_name or "", venue_name_cy)}


def compose(body: str, path: str, link_text: str = SEE_OR_CHANGE) -> Message:
    """A message from its sentence: the push and email body, and the text with its link."""
    sms = f"{body} {_(link_text) % {'link': link(path)}}"
    return Message(title=_(TITLE), body=body, sms_body=sms, url=path)


@dataclass(frozen=True)
class AppointmentFacts:
    appointment_id: int
    starts_at: datetime
    mode: str
    venue_name: str | None
    adviser_name: str
    venue_name_cy: str | None = None
    own_place: bool = False  # met at a home or community place arranged for the client


def appointment_message(
    template: str,
    detailed_template: str,
    facts: AppointmentFacts,
    *,
    language: str,
    detail: DetailLevel,
    sent_at: datetime,
    change: str | None = None,
) -> Message:
    """A reminder or confirmation. Detailed wording is used only if the client chose it and it
    still fits in a text message; otherwise the discreet wording goes. `change` (a key of
    CHANGE_NOTICES) adds the sentence saying where-to-go changed, to either wording."""
    path = f"/appointments/{facts.appointment_id}"
    with use_language(language):
        values = {
            "when": when_phrase(facts.starts_at, sent_at),
            "adviser": facts.adviser_name,
            "place": place_phrase(facts.mode, facts.venue_name, facts.venue_name_cy),
        }
        notice = f" {_(CHANGE_NOTICES[change])}" if change else ""
        discreet = compose(_(template) % values + notice, path)
        # No place to name yet (one is still being arranged): the discreet words say nothing wrong.
        no_place = facts.mode == "in-person" and not facts.venue_name
        if detail != DetailLevel.detailed or no_place:
            return discreet
        if facts.mode == "phone" and language == "cy":
            detailed_template = WELSH_PHONE_WORDING.get(detailed_template, detailed_template)
        detailed = compose(_(detailed_template) % values + notice, path)
        if sms_segments(detailed.sms_body) > MAX_SMS_SEGMENTS:
            return discreet
        return detailed


def activity_message(
    template: str,
    detailed_template: str,
    *,
    activity_id: int,
    title: str,
    starts_at: datetime,
    language: str,
    detail: DetailLevel,
    sent_at: datetime,
) -> Message:
    """A confirmation or reminder of an activity, written for the moment it is sent; the
    discreet wording unless the client chose detail and the detail fits in a text."""
    path = f"/activities/{activity_id}"
    with use_language(language):
        values = {"when": when_phrase(starts_at, sent_at), "title": title}
        # Nothing to change on an activity's page (the adviser does that): "See it here".
        discreet = compose(_(template) % values, path, SEE_IT)
        if detail != DetailLevel.detailed:
            return discreet
        detailed = compose(_(detailed_template) % values, path, SEE_IT)
        if sms_segments(detailed.sms_body) > MAX_SMS_SEGMENTS:
            return discreet
        return detailed


def simple_message(
    template: str,
    path: str,
    *,
    language: str,
    values: dict[str, str] | None = None,
    link_text: str = SEE_IT,
) -> Message:
    """A message from one sentence. A detailed sentence whose text would not fit in
    MAX_SMS_SEGMENTS (a long name with ŵ or â makes a text UCS-2) gives way to its discreet
    wording (`SHORTER`), as `appointment_message` does."""
    with use_language(language):
        body = _(template) % values if values else _(template)
        message = compose(body, path, link_text)
        shorter = SHORTER.get(template)
        if shorter is not None and sms_segments(message.sms_body) > MAX_SMS_SEGMENTS:
            return simple_message(
                shorter, path, language=language, values=values, link_text=link_text
            )
        return message


# Marked for translation here, translated in the client's language when sent.
NEW_ADVISER = lazy_gettext(
    "You have a new adviser in My Pathways. Your plan and appointments stay the same."
)
NEW_ADVISER_DETAILED = lazy_gettext(
    "Your adviser in My Pathways is now %(name)s. Your plan and appointments stay the same."
)


TIMES_OFFERED = lazy_gettext("Your adviser has offered you some new times.")
# A home or community place is now arranged: where to go changed, so the client is told (the
# place itself is on the page, not on a lock screen).
PLACE_ARRANGED = lazy_gettext("Your adviser has arranged where you will meet.")

# An adviser wrote in the client's message thread: nothing about who or what on a lock screen.
NEW_MESSAGE = lazy_gettext("You have a new message.")

# A detailed sentence and the discreet one that goes instead if the detail does not fit.
SHORTER = {
    NEW_ADVISER_DETAILED: NEW_ADVISER,
    CHECK_IN_AFTER_SIXTH_DETAILED: CHECK_IN_AFTER_SIXTH,
}

# The adviser cancelled an appointment: the client is told, with no blame and nothing to do.
# The date always (never "tomorrow"): quiet hours can hold it until the next day.
CANCELLED = lazy_gettext(
    "Your appointment %(when)s is cancelled. You do not need to do anything. "
    "Your adviser will be in touch."
)


def cancelled_message_values(starts_at: datetime, language: str) -> dict[str, str]:
    """The `when` of CANCELLED ("on Tuesday 3 March at 2pm"), in the client's language."""
    with use_language(language):
        return {
            "when": _(WHEN_ON) % {"time": human_time(starts_at), "date": adverbial_date(starts_at)}
        }
