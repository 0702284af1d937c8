"""Welsh to publication standard (issue #19): words mutate after the word before them, times
are 24-hour, and one Welsh term stands for one idea."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta

import pytest
from babel.messages.pofile import read_po
from fastapi.testclient import TestClient

from app.core import welsh
from app.core.formatting import adverbial_date, hour_label, human_date, human_time
from app.core.i18n import TRANSLATIONS_DIR, gettext, use_language
from app.core.welsh import PlaceName, fill
from app.demo.seed import seed_demo
from app.offices.models import Venue, VenueKind

# Monday 7 December 2026 to Sunday 13 December 2026, with their Welsh weekday names.
WEEK = [
    (date(2026, 12, 7), "Llun"),
    (date(2026, 12, 8), "Mawrth"),
    (date(2026, 12, 9), "Mercher"),
    (date(2026, 12, 10), "Iau"),
    (date(2026, 12, 11), "Gwener"),
    (date(2026, 12, 12), "Sadwrn"),
    (date(2026, 12, 13), "Sul"),
]
ENGLISH_DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


def _cy(msgid: str, **values: str) -> str:
    with use_language("cy"):
        return gettext(msgid) % values


@pytest.mark.parametrize(("day", "name"), WEEK)
def test_every_weekday_as_a_date_mutates_after_tan_and_ar_and_in_a_time_phrase(
    day: date, name: str
) -> None:
    with use_language("cy"):
        full = human_date(day, with_year=False)
        assert full == f"Dydd {name} {day.day} Rhagfyr"  # starts a sentence: capital
        assert adverbial_date(day) == f"ddydd {name} {day.day} Rhagfyr"
    assert (
        _cy("Deferred until %(date)s", date=full)
        == f"Wedi'i ohirio tan ddydd {name} {day.day} Rhagfyr"
    )
    assert (
        _cy("Paused until %(date)s.", date=full) == f"Ar saib tan ddydd {name} {day.day} Rhagfyr."
    )
    assert _cy("Starts work on %(date)s", date=full) == (
        f"Yn dechrau gweithio ar ddydd {name} {day.day} Rhagfyr"
    )
    # "ers" does not mutate, but "dydd" is lower case inside a sentence.
    assert (
        _cy("In work since %(date)s", date=full) == f"Mewn gwaith ers dydd {name} {day.day} Rhagfyr"
    )


@pytest.mark.parametrize(("english", "name"), zip(ENGLISH_DAYS, [n for _d, n in WEEK], strict=True))
def test_every_weekday_name_alone_reads_right_at_the_start_and_after_bob(
    english: str, name: str
) -> None:
    with use_language("cy"):
        alone = gettext(english)
    assert alone == f"Dydd {name}"
    assert _cy("Every %(day)s", day=alone) == f"Bob dydd {name}"
    assert _cy("We will not offer times on %(days)s.", days=alone) == (
        f"Fyddwn ni ddim yn cynnig amseroedd ar ddydd {name}."
    )


def test_a_reminder_says_ddydd_and_24_hour_time() -> None:
    from app.reminders.wording import when_phrase

    moment = datetime(2026, 12, 9, 14, 30, tzinfo=UTC)
    sent = moment - timedelta(days=3)
    with use_language("cy"):
        phrase = when_phrase(moment, sent)
        reminder = gettext("Reminder: you have an appointment %(when)s.") % {"when": phrase}
    assert reminder == "Nodyn atgoffa: mae gennych chi apwyntiad ddydd Mercher 9 Rhagfyr am 14:30."


def _demo_venues() -> list[Venue]:
    from sqlmodel import Session, SQLModel, create_engine, select

    engine = create_engine("sqlite://")
    SQLModel.metadata.create_all(engine)
    with Session(engine) as session:
        seed_demo(session)
        venues = list(session.exec(select(Venue)).all())
        session.expunge_all()
    return venues


def test_every_demo_venue_has_a_welsh_name_that_mutates_after_yn_and_i() -> None:
    venues = _demo_venues()
    assert venues and all(v.name_cy for v in venues)
    expected = {
        "Canolfan Byd Gwaith Glan-yr-afon": (
            "yng Nghanolfan Byd Gwaith Glan-yr-afon",
            "i Ganolfan",
        ),
        "Canolfan Gymunedol Glan-yr-afon": ("yng Nghanolfan Gymunedol Glan-yr-afon", "i Ganolfan"),
    }
    places = [v for v in venues if v.kind in (VenueKind.office, VenueKind.community)]
    assert {v.name_cy for v in places} == set(expected)
    for venue in places:
        assert venue.name_cy is not None
        at, to = expected[venue.name_cy]
        sentence, values = fill("yn %(venue)s", {"venue": PlaceName(venue.name_cy)})
        assert sentence % values == at
        sentence, values = fill("i %(venue)s", {"venue": PlaceName(venue.name_cy)})
        assert (sentence % values).startswith(to)
    # Through the catalogue, as a text message says it.
    with use_language("cy"):
        assert gettext("at %(venue)s") % {"venue": PlaceName("Canolfan Byd Gwaith")} == (
            "yng Nghanolfan Byd Gwaith"
        )


@pytest.mark.parametrize(
    ("place", "after_yn"),
    [
        ("Caerdydd", "yng Nghaerdydd"),
        ("Pontypridd", "ym Mhontypridd"),
        ("Treforys", "yn Nhreforys"),
        ("Bangor", "ym Mangor"),
        ("Dinbych", "yn Ninbych"),
        ("Gwaun-Cae-Gurwen", "yng Ngwaun-Cae-Gurwen"),
        ("Aberaeron", "yn Aberaeron"),
        ("Llanelli", "yn Llanelli"),
    ],
)
def test_nasal_mutation_after_yn(place: str, after_yn: str) -> None:
    assert welsh.after_yn(place) == after_yn


def test_an_english_name_is_never_mutated() -> None:
    sentence, values = fill("yn %(venue)s", {"venue": "Riverside Jobcentre Plus"})
    assert sentence % values == "yn Riverside Jobcentre Plus"


@pytest.mark.parametrize(
    ("hour", "minute", "expected"),
    [(9, 0, "09:00"), (12, 0, "12:00"), (13, 0, "13:00"), (14, 30, "14:30"), (18, 5, "18:05")],
)
def test_welsh_times_are_24_hour_and_never_yh(hour: int, minute: int, expected: str) -> None:
    # December: London is on GMT, so UTC is London time.
    moment = datetime(2026, 12, 9, hour, minute, tzinfo=UTC)
    with use_language("cy"):
        assert human_time(moment) == expected
        assert hour_label(hour) == f"{hour:02d}:00"
    with use_language("en"):
        assert human_time(datetime(2026, 12, 9, 14, 30, tzinfo=UTC)) == "2:30pm"


def _welsh_catalogue() -> dict[str, str]:
    path = TRANSLATIONS_DIR / "cy" / "LC_MESSAGES" / "messages.po"
    with path.open("rb") as handle:
        catalogue = read_po(handle)
    found = {}
    for message in catalogue:
        if message.id and isinstance(message.id, str) and isinstance(message.string, str):
            found[message.id] = message.string
    return found


def test_no_welsh_string_uses_yh_or_an_english_time() -> None:
    wrong = {
        msgid: text
        for msgid, text in _welsh_catalogue().items()
        if re.search(r"\d\s*(yh|yb|pm|am)\b", text) or re.search(r"\byh\b", text)
    }
    assert wrong == {}


def test_one_welsh_term_per_idea() -> None:
    cy = _welsh_catalogue()
    assert cy["Step"] == "Cam" and cy["Stage"] == "Cyfnod"
    assert cy["Flags"] == "Materion i'w dilyn" and "Nodiadau" not in cy["Flags"]
    check_ins = {k: v for k, v in cy.items() if re.search(r"check.?in", k, re.I)}
    assert check_ins and all("holi sut mae pethau" in v.lower() for v in check_ins.values()), (
        check_ins
    )
    interpreters = {k: v for k, v in cy.items() if "interpreter" in k.lower()}
    assert interpreters and all("fieithydd ar y pryd" in v for v in interpreters.values())
    refers = {k: v for k, v in cy.items() if re.search(r"\brefer", k, re.I)}
    assert all("atgyfeiri" in v for v in refers.values()), refers
    # The adviser is "cynghorydd" throughout: never "Cynghorydd Personol" nor "ymgynghorydd".
    advisers = {k: v for k, v in cy.items() if re.search(r"\badviser", k, re.I)}
    assert all(
        "Cynghorydd Personol" not in v and "ymgynghorydd" not in v for v in advisers.values()
    )
    assert not [v for v in cy.values() if re.search(r"dilyn i fyny|gweithio allan|ar wahân", v)]


def test_the_service_has_its_welsh_name_in_the_header_and_push_title() -> None:
    from app.reminders.wording import TEST, simple_message

    assert _welsh_catalogue()["My Pathways"] == "Fy Llwybrau"
    assert simple_message(TEST, "/settings", language="cy").title == "Fy Llwybrau"
    assert simple_message(TEST, "/settings", language="en").title == "My Pathways"


def test_the_welsh_manifest_names_the_service_in_welsh(client: TestClient) -> None:
    welsh = client.get("/manifest-cy.webmanifest").json()
    english = client.get("/manifest.webmanifest").json()
    assert (welsh["name"], welsh["short_name"]) == ("Fy Llwybrau", "Llwybrau")
    assert english["name"] == "My Pathways"


# --- The Welsh review of December 2026 -------------------------------------------------------


@pytest.mark.parametrize("name", ["Alun", "Eleri", "Owain", "Ifan", "Ynyr", "Siân"])
def test_a_and_a_become_ac_and_ag_before_a_name_with_a_vowel(name: str) -> None:
    vowel = name[0] in "AEIOUY"
    sentence, values = fill("Cysylltu â %(name)s, chi a %(name)s.", {"name": name})
    text = sentence % values
    if vowel:
        assert text == f"Cysylltu ag {name}, chi ac {name}."
    else:
        assert text == f"Cysylltu â {name}, chi a {name}."


def test_only_the_words_a_a_and_gyda_change_before_a_vowel() -> None:
    # "gyda" becomes "gydag" before a vowel (review, 1 December); "drefna" and other words
    # ending in "a" are left as they are, and "gyda" stays before a consonant.
    sentence, values = fill("gyda %(name)s; drefna %(name)s", {"name": "Owain"})
    assert sentence % values == "gydag Owain; drefna Owain"
    sentence, values = fill("Gyda %(name)s", {"name": "Gareth"})
    assert sentence % values == "Gyda Gareth"


def test_an_appointment_with_a_name_with_a_vowel_says_gydag() -> None:
    assert _cy("Appointment with %(name)s", name="Eleri") == "Apwyntiad gydag Eleri"


# The soft mutation after "neu" on an imperative ("neu ddewiswch", never "neu dewiswch"), the
# aspirate after "tua" ("tua thair"), and "wedi'u"/"wedi'ch" written joined: patterns that came
# back with every new batch of strings (review, 1 December 2026).
_UNMUTATED = (
    re.compile(r"[Nn]eu (?:c|p|t|g|b|d|m|ll|rh)\w*wch"),
    re.compile(r"tua (?:t|c|p)(?!h)\w+"),
    re.compile(r"wedi (?:eu|eich) "),
)


def test_no_welsh_string_skips_a_mutation_the_reviews_found_again_and_again() -> None:
    wrong = {
        msgid: text
        for msgid, text in _welsh_catalogue().items()
        if any(pattern.search(text) for pattern in _UNMUTATED)
    }
    assert wrong == {}


def test_a_list_of_dates_in_a_sentence_has_one_capital_at_most() -> None:
    from app.core.formatting import human_datetimes

    first = datetime(2026, 12, 7, 10, 0, tzinfo=UTC)
    with use_language("cy"):
        times = human_datetimes([first, first + timedelta(days=2)])
        said = _cy("times offered to the client by you: %(times)s", times=times)
    assert "Dydd" not in said and said.count("dydd ") == 2, said


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("cysylltwch â %(adviser)s.", "cysylltwch â'ch cynghorydd."),
        ("Rydych chi a %(adviser)s wedi siarad.", "Rydych chi a'ch cynghorydd wedi siarad."),
        ("Bydd %(adviser)s yn cysylltu.", "Bydd eich cynghorydd yn cysylltu."),
    ],
)
def test_eich_joins_the_word_before_it(sentence: str, expected: str) -> None:
    ready, values = fill(sentence, {"adviser": "eich cynghorydd"})
    assert ready % values == expected


WELSH_DAYS = ["Llun", "Mawrth", "Mercher", "Iau", "Gwener", "Sadwrn", "Sul"]


def _shapes(count: int) -> list[list[int]]:
    return [[d for d in range(count) if mask >> d & 1] for mask in range(1, 1 << count)]


@pytest.mark.parametrize("days", _shapes(5))
def test_every_list_of_days_ruled_out_reads_as_welsh(days: list[int]) -> None:
    from app.core.formatting import weekday_list

    with use_language("cy"):
        text = gettext("We will not offer times on %(days)s.") % {
            "days": weekday_list(days, neither=True)
        }
        adviser = gettext("Not on %(days)s.") % {"days": weekday_list(days, neither=True)}
    phrases = [f"dydd {WELSH_DAYS[d]}" for d in days]
    listed = phrases[0] if len(days) == 1 else f"{', '.join(phrases[:-1])} na {phrases[-1]}"
    expected = "d" + listed[1:]  # "ar ddydd Llun, dydd Mawrth na dydd Iau"
    assert text == f"Fyddwn ni ddim yn cynnig amseroedd ar d{expected}."
    assert adviser == f"Dim ar d{expected}."
    with use_language("en"):
        english = gettext("We will not offer times on %(days)s.") % {"days": weekday_list(days)}
    assert english == f"We will not offer times on {', '.join(ENGLISH_DAYS[d] for d in days)}."


@pytest.mark.parametrize("days", _shapes(7))
def test_every_shape_of_opening_days_keeps_one_capital(days: list[int]) -> None:
    from app.messages.contact import open_days_in_words

    digits = "".join(str(d) for d in days)
    with use_language("cy"):
        alone = open_days_in_words(digits)
        sentence = gettext("Open %(days)s, %(hours)s.") % {"days": alone, "hours": "9:00"}
    assert "Dydd" not in alone[1:]
    assert "Dydd" not in sentence
    if len(days) == 2 or (len(days) > 2 and days != list(range(days[0], days[-1] + 1))):
        assert f" a dydd {WELSH_DAYS[days[-1]]}" in alone


def test_support_person_yes_and_no_are_not_ydw() -> None:
    from app.core.i18n import pgettext

    with use_language("cy"):
        assert pgettext("support person can", "Yes") == "Gallan"
        assert pgettext("support person can", "No") == "Na allan"
        assert gettext("Yes") == "Ydw"  # the generic reply (the RTWC checker) is unchanged
    with use_language("en"):
        assert pgettext("support person can", "Yes") == "Yes"


def test_where_you_are_has_no_capital_adviser_mid_sentence_in_welsh() -> None:
    from app.core.templating import get_templates

    env = get_templates().env
    source = (
        '{% set adviser = adviser_name or _("your adviser") %}'
        '{% set Adviser = adviser if lang == "cy" else (adviser[:1] | upper) ~ adviser[1:] %}'
        '{{ _("%(adviser)s will tell you when it starts.", adviser=Adviser) }}'
    )
    with use_language("cy"):
        welsh_text = env.from_string(source).render(lang="cy", adviser_name=None)
    with use_language("en"):
        english_text = env.from_string(source).render(lang="en", adviser_name=None)
    assert welsh_text == "Bydd eich cynghorydd yn dweud wrthych chi pan fydd yn dechrau."
    assert english_text == "Your adviser will tell you when it starts."
    template = (TRANSLATIONS_DIR.parent / "templates" / "home" / "where.html").read_text()
    assert '{% set Adviser = adviser if lang == "cy"' in template


@pytest.mark.parametrize("typed", ["Dydd Llun", "dydd agored", "Canolfan y dref"])
def test_text_a_person_typed_is_never_mutated(typed: str) -> None:
    # A plan step's title, say: only a day or date the app wrote (DatePhrase) or a Welsh place
    # name (PlaceName) mutates.
    for sentence in ("Cam: %(title)s", "i %(title)s", "ar %(title)s", "yn %(title)s"):
        ready, values = fill(sentence, {"title": typed})
        assert ready % values == sentence % {"title": typed}


def test_a_day_the_app_wrote_still_mutates() -> None:
    from app.core.welsh import DatePhrase

    with use_language("cy"):
        monday = gettext("Monday")
        assert isinstance(monday, DatePhrase)
        assert isinstance(human_date(date(2026, 12, 7)), DatePhrase)
    ready, values = fill("tan %(day)s", {"day": monday})
    assert ready % values == "tan ddydd Llun"


@pytest.mark.parametrize(("english", "name"), zip(ENGLISH_DAYS, [n for _d, n in WEEK], strict=True))
def test_a_weekday_named_in_a_template_still_mutates_in_a_welsh_sentence(
    english: str, name: str
) -> None:
    """A template's `_("Tuesday")` is escaped markup; it must still read as a day to Welsh
    ("Bob dydd Mawrth", not "Bob Dydd Mawrth"), and a date after a comma is "dydd"."""
    from app.core.templating import get_templates

    env = get_templates().env
    page = env.from_string(
        '{{ _("Every %(day)s", day=_(english)) }}|{{ _("Appointment, %(when)s", when=when) }}'
    )
    with use_language("cy"):
        moment = datetime.combine(WEEK[ENGLISH_DAYS.index(english)][0], datetime.min.time())
        every, appointment = page.render(
            english=english, when=human_date(moment.replace(hour=10, tzinfo=UTC))
        ).split("|")
    assert every == f"Bob dydd {name}"
    assert appointment.startswith(f"Apwyntiad, dydd {name} ")
