"""Every text message the app can send fits in MAX_SMS_SEGMENTS parts (issue #19), in English
and Welsh, with long names that carry Welsh accents (one ŵ or â makes a text UCS-2: 70
characters a part, 67 when split). Detailed wording that would not fit gives way to the
discreet wording; Welsh phone appointments get their own detailed wording that fits."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from itertools import product

import pytest

from app.accounts.codes import CODE_MESSAGE
from app.accounts.invitations import INVITATION, INVITATION_SHORTER, INVITATION_SHORTEST
from app.accounts.support import SUPPORT_ADDED
from app.core.i18n import gettext, use_language
from app.delivery.message import MAX_SMS_SEGMENTS, first_that_fits, sms_segments
from app.people.models import DetailLevel
from app.reminders import wording as m
from app.rescheduling.decisions import ANSWERED

NAMES = ("Siân Angharad Llewelyn-Ŵyn", "Gareth Jones", "Bethan Angharad Llewelyn-Jones")
LANGUAGES = ("en", "cy")
WELSH_VENUE = "Canolfan Gymunedol Glan-yr-afon"
SENT = datetime(2026, 12, 7, 8, 0, tzinfo=UTC)
STARTS = (
    SENT + timedelta(hours=2),  # today, in about 2 hours
    SENT + timedelta(days=1, hours=6, minutes=30),  # tomorrow
    SENT + timedelta(days=2, hours=6, minutes=30),  # Wednesday 9 December at 14:30
)
APPOINTMENT_TEMPLATES = (
    (m.REMINDER, m.REMINDER_DETAILED),
    (m.BOOKED, m.BOOKED_DETAILED),
    (m.MOVED, m.MOVED_DETAILED),
)
ACTIVITY_TEMPLATES = (
    (m.ACTIVITY_BOOKED, m.ACTIVITY_BOOKED_DETAILED),
    (m.ACTIVITY_REMINDER, m.ACTIVITY_REMINDER_DETAILED),
)
SIMPLE_TEMPLATES = (
    m.SUGGESTION,
    m.PAUSED,
    m.CHECK_IN_REVIEW,
    m.CHECK_IN_AFTER_SIXTH,
    m.CHECK_IN_AFTER_SIXTH_DETAILED,
    m.CHECK_IN_REFERRAL_ENDED,
    m.CHECK_IN_WORK,
    m.TEST,
    m.NEW_ADVISER,
    m.NEW_ADVISER_DETAILED,
    m.TIMES_OFFERED,
    m.NEW_MESSAGE,
    m.PLACE_ARRANGED,
    ANSWERED,
)
# Pieces of a sentence, not messages.
FRAGMENTS = {"TITLE", "SEE_OR_CHANGE", "SEE_IT", "PLACE_PHONE", "PLACE_HOME", "PLACE_VENUE"}


def test_the_list_covers_every_message_in_wording() -> None:
    """A new message template in app/reminders/wording.py must be added to this test."""
    covered = {t for pair in APPOINTMENT_TEMPLATES + ACTIVITY_TEMPLATES for t in pair}
    covered |= set(SIMPLE_TEMPLATES) | set(m.WELSH_PHONE_WORDING.values()) | {m.CANCELLED}
    covered |= set(m.CHANGE_NOTICES.values())
    templates = {
        name: value
        for name, value in vars(m).items()
        if name.isupper()
        and isinstance(value, str)
        and name not in FRAGMENTS
        and not name.startswith("WHEN_")
    }
    assert {name for name, value in templates.items() if value not in covered} == set()


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_cancelled_message_fits_on_every_day(language: str) -> None:
    """The adviser cancelled: the long "when" (a date, never "tomorrow") on any day."""
    for starts in STARTS + tuple(SENT + timedelta(days=d, hours=6) for d in range(7)):
        values = m.cancelled_message_values(starts, language)
        message = m.simple_message(m.CANCELLED, "/appointments", language=language, values=values)
        assert _fits(message.sms_body), message.sms_body
        assert ("cancelled" if language == "en" else "wedi'i ganslo") in message.sms_body


def _fits(text: str) -> bool:
    return sms_segments(text) <= MAX_SMS_SEGMENTS


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("name", NAMES)
def test_every_appointment_message_fits(language: str, name: str) -> None:
    for discreet, detailed in APPOINTMENT_TEMPLATES:
        for mode, venue, venue_cy in (
            ("phone", None, None),
            ("home-visit", None, None),
            ("in-person", "Riverside Community Centre", WELSH_VENUE),
        ):
            for starts in STARTS:
                facts = m.AppointmentFacts(1234, starts, mode, venue, name, venue_cy)
                # With each sentence saying where-to-go changed, too (reminders.changes).
                for detail, change in product(DetailLevel, (None, *m.CHANGE_NOTICES)):
                    message = m.appointment_message(
                        discreet,
                        detailed,
                        facts,
                        language=language,
                        detail=detail,
                        sent_at=SENT,
                        change=change,
                    )
                    assert _fits(message.sms_body), message.sms_body


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_activity_message_fits(language: str) -> None:
    title = "Cwrs Hyder a Llesiant yng Nghanolfan Gymunedol Glan-yr-afon, â phaned"
    for discreet, detailed in ACTIVITY_TEMPLATES:
        for starts in STARTS:
            for detail in DetailLevel:
                message = m.activity_message(
                    discreet,
                    detailed,
                    activity_id=1234,
                    title=title,
                    starts_at=starts,
                    language=language,
                    detail=detail,
                    sent_at=SENT,
                )
                assert _fits(message.sms_body), message.sms_body


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("name", NAMES)
def test_every_simple_message_fits(language: str, name: str) -> None:
    values = {"name": name, "adviser": name, "date": "Dydd Mercher 30 Rhagfyr 2026"}
    for template in SIMPLE_TEMPLATES:
        message = m.simple_message(template, "/check-in", language=language, values=values)
        assert _fits(message.sms_body), message.sms_body


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("name", NAMES)
def test_sign_in_invitation_and_support_texts_fit(language: str, name: str) -> None:
    token = "x" * 43  # secrets.token_urlsafe(32)
    link = f"http://127.0.0.1:8000/invitation/{token}"
    values = {"name": name, "adviser": name, "link": link}
    with use_language(language):
        invitation = first_that_fits(
            gettext(INVITATION) % values,
            gettext(INVITATION_SHORTER) % values,
            gettext(INVITATION_SHORTEST) % values,
        )
        code = gettext(CODE_MESSAGE) % {"code": "123456"}
        support = gettext(SUPPORT_ADDED) % {"link": "http://127.0.0.1:8000/sign-in"}
    for text in (invitation, code, support):
        assert _fits(text), text


def test_welsh_detailed_reminders_for_phone_appointments_are_sent_in_full() -> None:
    """The reason for this test: "dros y ffôn" made every Welsh detailed phone reminder too
    long, so Welsh clients who chose detail never got it."""
    facts = m.AppointmentFacts(1234, STARTS[1], "phone", None, "Gareth Jones")
    for discreet, detailed in APPOINTMENT_TEMPLATES:
        message = m.appointment_message(
            discreet, detailed, facts, language="cy", detail=DetailLevel.detailed, sent_at=SENT
        )
        assert "Gareth Jones yn eich ffonio yfory am 14:30" in message.body, message.body
        assert "ô" not in message.sms_body and sms_segments(message.sms_body) == 1
    english = m.appointment_message(
        m.REMINDER,
        m.REMINDER_DETAILED,
        facts,
        language="en",
        detail=DetailLevel.detailed,
        sent_at=SENT,
    )
    assert english.body == (
        "Reminder: you have an appointment with Gareth Jones by phone tomorrow at 2:30pm."
    )


def test_the_new_adviser_message_with_sian_fits_in_detail() -> None:
    message = m.simple_message(
        m.NEW_ADVISER_DETAILED, "/home", language="cy", values={"name": "Siân Llewelyn"}
    )
    assert "Siân Llewelyn" in message.body
    assert sms_segments(message.sms_body) <= MAX_SMS_SEGMENTS
    # A name that cannot fit gives way to the discreet wording, never a third part.
    long = m.simple_message(
        m.NEW_ADVISER_DETAILED, "/home", language="cy", values={"name": "Ŵ" * 60}
    )
    assert "Ŵ" not in long.body and sms_segments(long.sms_body) <= MAX_SMS_SEGMENTS


def test_welsh_text_wording_keeps_to_gsm_7() -> None:
    """Welsh texts use "gyda" (not "â") and straight quotes: one â, ô or ’ makes a text UCS-2
    and halves what fits. Only a person's or place's own name may bring one in."""
    from app.delivery.message import GSM_BASIC, GSM_EXTENSION

    templates = [t for pair in APPOINTMENT_TEMPLATES + ACTIVITY_TEMPLATES for t in pair]
    templates += [*SIMPLE_TEMPLATES, *m.WELSH_PHONE_WORDING.values(), CODE_MESSAGE]
    templates += [INVITATION, INVITATION_SHORTER, INVITATION_SHORTEST, SUPPORT_ADDED]
    templates += [m.PLACE_HOME, m.PLACE_VENUE, m.SEE_IT, m.SEE_OR_CHANGE]
    templates += [value for name, value in vars(m).items() if name.startswith("WHEN_")]
    # m.PLACE_PHONE ("dros y ffôn") is left out: Welsh phone appointments use WELSH_PHONE_WORDING.
    with use_language("cy"):
        outside = {
            t: gettext(t)
            for t in templates
            if any(ch not in GSM_BASIC and ch not in GSM_EXTENSION for ch in gettext(t))
        }
    assert outside == {}
