"""Every message is discreet unless chosen otherwise, kind, in the client's language, links to
where it can be changed, and fits in two SMS segments (70 characters each once UCS-2)."""

from __future__ import annotations

import re
from datetime import date, datetime

import pytest

from app.core.clock import london_datetime
from app.core.config import get_settings
from app.delivery.message import MAX_SMS_SEGMENTS, Message, first_that_fits, sms_segments
from app.people.models import DetailLevel
from app.reminders import wording as m

LONGEST_DAY = london_datetime(date(2026, 9, 30), 12, 30)  # Wednesday 30 September, 12:30pm
SENT = london_datetime(date(2026, 9, 20), 17)
FACTS = m.AppointmentFacts(
    appointment_id=1234567,
    starts_at=LONGEST_DAY,
    mode="in-person",
    venue_name="Pontypridd Jobcentre Plus, Taff Street",
    adviser_name="Siân Prydderch-Llewellyn",
)


def reminder(
    language: str = "en",
    detail: DetailLevel = DetailLevel.discreet,
    facts: m.AppointmentFacts = FACTS,
    sent_at: datetime = SENT,
) -> Message:
    return m.appointment_message(
        m.REMINDER, m.REMINDER_DETAILED, facts, language=language, detail=detail, sent_at=sent_at
    )


# Words that must never be on a lock screen unless the client asked for detail.
GIVEAWAYS = re.compile(
    r"jobcentre|benefit|budd-dal|interview|cyfweliad|\bwfi\b|condition|mental|health|iechyd|sanction",
    re.IGNORECASE,
)


@pytest.fixture(autouse=True)
def production_length_links(monkeypatch: pytest.MonkeyPatch) -> None:
    """Links as long as a real service address, so the length checks mean something."""
    monkeypatch.setattr(get_settings(), "base_url", "https://my-pathways.service.gov.uk")


def test_gsm_text_counts_160_then_153() -> None:
    assert sms_segments("a" * 160) == 1
    assert sms_segments("a" * 161) == 2
    assert sms_segments("a" * 306) == 2
    assert sms_segments("a" * 307) == 3
    assert sms_segments("[" * 80) == 1  # extension characters take two places
    assert sms_segments("[" * 81) == 2


def test_one_welsh_circumflex_makes_the_text_ucs2() -> None:
    assert sms_segments("Dewch i'r swyddfa" + "a" * 100) == 1
    assert sms_segments("ŵ" + "a" * 69) == 1
    assert sms_segments("ŵ" + "a" * 70) == 2
    assert sms_segments("ŷ" + "a" * 133) == 2
    assert sms_segments("ŷ" + "a" * 134) == 3
    assert sms_segments("’" + "a" * 70) == 2  # a curly apostrophe does it too


def all_messages(language: str, detail: DetailLevel) -> list[Message]:
    out = [
        reminder(language, detail),
        m.appointment_message(
            m.BOOKED, m.BOOKED_DETAILED, FACTS, language=language, detail=detail, sent_at=SENT
        ),
        m.appointment_message(
            m.MOVED, m.MOVED_DETAILED, FACTS, language=language, detail=detail, sent_at=SENT
        ),
    ]
    longest_name = {
        "adviser": "Siân Prydderch-Llewellyn",
        "date": m.human_date_in(LONGEST_DAY.date(), language),
    }
    for template in (
        m.SUGGESTION,
        m.PAUSED,
        m.CHECK_IN_REVIEW,
        m.CHECK_IN_AFTER_SIXTH,
        m.CHECK_IN_REFERRAL_ENDED,
        m.CHECK_IN_WORK,
        m.TEST,
    ):
        out.append(m.simple_message(template, "/check-in", language=language, values=longest_name))
    return out


@pytest.mark.parametrize("language", ["en", "cy"])
@pytest.mark.parametrize("detail", [DetailLevel.discreet, DetailLevel.detailed])
def test_every_text_fits_in_two_segments(language: str, detail: DetailLevel) -> None:
    for message in all_messages(language, detail):
        assert sms_segments(message.sms_body) <= MAX_SMS_SEGMENTS, message.sms_body
        assert m.link(message.url) in message.sms_body


@pytest.mark.parametrize("language", ["en", "cy"])
def test_discreet_messages_say_nothing_a_lock_screen_should_not(language: str) -> None:
    for message in all_messages(language, DetailLevel.discreet):
        for text in (message.title, message.body, message.sms_body):
            assert not GIVEAWAYS.search(text.replace(m.link(message.url), "")), text


def test_reminders_say_when_and_offer_a_change() -> None:
    message = reminder()
    assert message.body == "Reminder: you have an appointment on Wednesday 30 September at 12:30pm."
    assert message.sms_body == (
        "Reminder: you have an appointment on Wednesday 30 September at 12:30pm. "
        f"See or change it: {m.link('/appointments/1234567')}"
    )
    tomorrow = london_datetime(date(2026, 9, 29), 17)
    assert "tomorrow at 12:30pm" in reminder(sent_at=tomorrow).body


def test_detailed_reminders_name_who_and_where_when_chosen() -> None:
    short = m.AppointmentFacts(1, LONGEST_DAY, "phone", None, "Sam Patel")
    message = reminder(detail=DetailLevel.detailed, facts=short)
    assert (
        message.body
        == "Reminder: you have an appointment with Sam Patel by phone on Wednesday 30 September at 12:30pm."
    )


def test_welsh_clients_get_welsh_words() -> None:
    english, welsh = reminder("en"), reminder("cy")
    assert welsh.body != english.body
    assert "Medi" in welsh.body  # September
    assert "Reminder" not in welsh.sms_body


@pytest.mark.parametrize("language", ["en", "cy"])
def test_sign_in_codes_and_invitations_fit_too(language: str) -> None:
    from app.accounts.invitations import INVITATION, INVITATION_SHORTER, INVITATION_SHORTEST
    from app.core.i18n import gettext, use_language

    link = m.link("/invitation/" + "x" * 43)
    for name, adviser in (("Cara", "Sam Patel"), ("Siân", "Rhodri ap Siôn Llewellyn-Prydderch")):
        values = {"name": name, "adviser": adviser, "link": link}
        with use_language(language):
            text = first_that_fits(
                gettext(INVITATION) % values,
                gettext(INVITATION_SHORTER) % values,
                gettext(INVITATION_SHORTEST) % values,
            )
            code = gettext(
                "Your My Pathways code is %(code)s. It works for 10 minutes. "
                "If you did not ask for it, you can ignore this message."
            ) % {"code": "123456"}
        assert sms_segments(text) <= MAX_SMS_SEGMENTS and link in text, text
        assert sms_segments(code) == 1
    # The plain case keeps the friendly full wording.
    with use_language(language):
        full = gettext(INVITATION) % {"name": "Cara", "adviser": "Sam Patel", "link": link}
    assert first_that_fits(full, "short") == full
