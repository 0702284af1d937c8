"""The pages every GOV.UK service has (issue #21): accessibility statement, privacy notice,
cookies and feedback; the beta banner and the footer links on every page."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from bs4 import Tag
from fastapi.testclient import TestClient
from sqlmodel import Session

from app.core.templating import TEMPLATES_DIR
from app.explainers.rendering import text_blocks
from app.explainers.tone import refused_phrases_in
from app.pages.content import (
    CONTENT_DIR,
    DATA_PROTECTION_EMAIL,
    FEEDBACK_EMAIL,
    SLUGS,
    service_page,
)
from app.pages.cookies import COOKIES
from tests.factories import make_adviser, make_client, sign_in_client, sign_in_staff
from tests.html import heading, parse, text
from tests.readability import prose, reads_easily

APP = Path(__file__).resolve().parents[2] / "app"

# (path, English heading, Welsh heading)
PAGES = [
    ("/accessibility-statement", "Accessibility statement", "Datganiad hygyrchedd"),
    ("/privacy", "Privacy notice", "Hysbysiad preifatrwydd"),
    ("/cookies", "Cookies", "Cwcis"),
    ("/feedback", "Tell us what you think", "Dywedwch wrthyn ni beth rydych chi'n ei feddwl"),
]
FOOTER_LINKS = ["/accessibility-statement", "/privacy", "/cookies", "/feedback"]


@pytest.mark.parametrize(("path", "english", "welsh"), PAGES)
def test_each_page_in_english_and_welsh(
    client: TestClient, path: str, english: str, welsh: str
) -> None:
    page = client.get(path)
    assert page.status_code == 200
    assert heading(page.text) == english
    client.cookies.set("lang", "cy")
    page = client.get(path)
    assert parse(page.text).html["lang"] == "cy"  # type: ignore[index]
    assert heading(page.text) == welsh


def _assert_banner_and_footer(html: str) -> None:
    page = parse(html)
    banner = page.find(id="phase-banner")
    assert isinstance(banner, Tag), "no phase banner"
    assert "govuk-phase-banner" in banner["class"]
    tag = banner.find(class_="govuk-tag")
    assert tag is not None and tag.get_text(strip=True) == "Beta"  # Welsh says "Beta" too
    assert banner.find("a", href="/feedback") is not None
    footer = page.find("footer")
    assert isinstance(footer, Tag)
    assert [a["href"] for a in footer.find_all("a") if a["href"] in FOOTER_LINKS] == FOOTER_LINKS


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/about",
        "/urgent-help",
        "/explainers",
        "/services",
        "/sign-in",
        "/offline",
        "/no-such-page",
        *FOOTER_LINKS,
    ],
)
def test_every_public_page_has_the_beta_banner_and_the_footer_links(
    client: TestClient, path: str
) -> None:
    _assert_banner_and_footer(client.get(path).text)


def test_signed_in_pages_have_them_too(client: TestClient, db: Session) -> None:
    adviser, adviser_user = make_adviser(db)
    _, user = make_client(db, adviser)
    sign_in_client(client, db, user)
    for path in ("/home", "/plan", "/account", "/account/your-data"):
        _assert_banner_and_footer(client.get(path).text)
    client.cookies.clear()
    sign_in_staff(client, adviser_user)
    _assert_banner_and_footer(client.get("/adviser").text)


def _english_words(html: str) -> str:
    """What a reader meets in the page's main column, as sentences (hidden notes left out)."""
    column = parse(html).find("main")
    assert isinstance(column, Tag)
    for hidden in column.select("[hidden], code"):
        hidden.decompose()
    blocks = [
        " ".join(tag.get_text(" ").split())
        for tag in column.find_all(["h1", "h2", "h3", "p", "li", "dd"])
    ]
    return prose([block for block in blocks if block])


@pytest.mark.parametrize("path", [path for path, _, _ in PAGES])
def test_english_passes_the_readability_gate(client: TestClient, path: str) -> None:
    words = _english_words(client.get(path).text)
    assert len(words.split()) > 60
    assert reads_easily(words), words


def test_the_readability_gate_would_catch_legal_prose() -> None:
    legalese = prose(
        [
            "Processing of special category personal data is undertaken pursuant to the "
            "substantial public interest condition, notwithstanding any contractual "
            "arrangements, in accordance with the applicable statutory provisions."
        ]
    )
    assert not reads_easily(legalese)


def _content(language: str, slug: str) -> str:
    return (CONTENT_DIR / language / f"{slug}.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("slug", SLUGS)
@pytest.mark.parametrize("language", ["en", "cy"])
def test_no_threat_or_pressure_words(slug: str, language: str) -> None:
    assert refused_phrases_in(_content(language, slug)) == []


def _shape(markdown: str) -> tuple[list[str], list[str]]:
    """(heading levels, link targets) of a content file, in order."""
    levels = re.findall(r"^(#+) ", markdown, re.MULTILINE)
    links = re.findall(r"\]\(([^)]+)\)", markdown)
    return levels, links


@pytest.mark.parametrize("slug", SLUGS)
def test_welsh_has_the_same_sections_and_links_as_english(slug: str) -> None:
    english, welsh = service_page(slug=slug, language="en"), service_page(slug=slug, language="cy")
    assert welsh.title != english.title
    assert welsh.last_updated == english.last_updated
    assert _shape(welsh.body) == _shape(english.body)
    assert len(text_blocks(welsh.body)) == len(text_blocks(english.body))


def test_email_addresses_in_the_pages_are_the_ones_the_code_names() -> None:
    found = set()
    for slug in SLUGS:
        for language in ("en", "cy"):
            found |= set(re.findall(r"mailto:([^)\s]+)", _content(language, slug)))
    assert found == {FEEDBACK_EMAIL, DATA_PROTECTION_EMAIL}


def _missing(client: TestClient, path: str, needed: list[str]) -> list[str]:
    """The phrases the page at `path` does not say."""
    words = text(client.get(path).text)
    return [phrase for phrase in needed if phrase not in words]


PRIVACY_SAYS = [
    "Department for Work and Pensions",
    "data controller",
    "special category data",
    "public task",
    "Article 6(1)(e)",
    "Article 9(2)(b)",
    "Article 9(2)(g)",
    "substantial public interest",
    # what the purge job keeps to
    "we remove them the day after they expire",
    "we remove them the day after they end",
    "30 days after we send them",
    "we keep it for 2 years",
    "When they confirm it is closed, we erase your information",
    # rights, and where to use them
    "correct it",
    "delete it",
    "object to how we use it",
    "Information Commissioner's Office",
    "0303 123 1113",
    DATA_PROTECTION_EMAIL,
]


def test_privacy_notice_gives_the_lawful_basis_periods_and_rights(client: TestClient) -> None:
    assert _missing(client, "/privacy", PRIVACY_SAYS) == []


def test_privacy_notice_names_the_real_your_data_link() -> None:
    """The notice tells people which link to choose: it must be the one on their account page."""
    link = "See, print or download everything we hold about you"
    assert link in _content("en", "privacy")
    assert link in (TEMPLATES_DIR / "account" / "index.html").read_text(encoding="utf-8")


def test_accessibility_statement_says_how_it_was_tested_and_how_to_complain(
    client: TestClient,
) -> None:
    assert _missing(client, "/accessibility-statement", STATEMENT_SAYS) == []


STATEMENT_SAYS = [
    "WCAG) version 2.2 at level AA",
    "axe",
    "keyboard",
    "Lighthouse",
    "Known problems",
    FEEDBACK_EMAIL,
    "Equality and Human Rights Commission (EHRC)",
    "Equality Advisory and Support Service (EASS)",
    "Equality Commission for Northern Ireland (ECNI)",
    "(No. 2) Accessibility Regulations 2018",
]


def test_feedback_page_gives_the_address_and_another_way(client: TestClient) -> None:
    page = client.get("/feedback").text
    link = parse(page).find(id="feedback-email")
    assert isinstance(link, Tag) and link["href"] == f"mailto:{FEEDBACK_EMAIL}"
    assert "tell your adviser" in text(page)


# --- Cookies: the page lists exactly the cookies the code sets ----------------------------

_SETS = re.compile(r"set_cookie\(\s*([\w.]+)|f\"\{(\w+)\}=\{value\}")
_CONSTANT = re.compile(r"^(\w+) = \"([^\"]+)\"$", re.MULTILINE)


def _cookie_names_in_code() -> set[str]:
    """Every cookie name passed to set_cookie (or written as a raw Set-Cookie), found by
    reading the code, the constants resolved to their values."""
    sources = {path: path.read_text(encoding="utf-8") for path in APP.rglob("*.py")}
    constants = {
        name: value for source in sources.values() for name, value in _CONSTANT.findall(source)
    }
    names = set()
    for source in sources.values():
        for call, raw in _SETS.findall(source):
            symbol = (call or raw).split(".")[-1]
            names.add(constants.get(symbol, symbol.strip('"')))
    return names


def test_every_cookie_the_code_sets_is_on_the_cookies_page(client: TestClient) -> None:
    in_code = _cookie_names_in_code()
    assert {"mp_session", "mp_csrf", "lang"} <= in_code  # the search finds them at all
    assert in_code == {cookie.name for cookie in COOKIES}
    listed = parse(client.get("/cookies").text).find(id="cookies-list")
    assert isinstance(listed, Tag)
    shown = [code.get_text() for code in listed.select("h3 code")]
    assert sorted(shown) == sorted(in_code)


def _set_cookies(client: TestClient) -> Iterator[list[str]]:
    seen: list[str] = []

    def record(response: httpx.Response) -> None:
        seen.extend(response.headers.get_list("set-cookie"))

    client.event_hooks = {"response": [record]}
    yield seen


# Seconds in the unit each cookie's lifetime is given in on the page.
UNITS = {
    "mp_session": 86400,
    "mp_challenge": 60,
    "mp_return": 60,
    "mp_staff_device": 86400,
    "lang": 31536000,
}


def test_the_lifetimes_on_the_page_are_the_ones_browsers_are_told(
    client: TestClient, db: Session
) -> None:
    recorder = _set_cookies(client)
    seen = next(recorder)
    adviser, adviser_user = make_adviser(db)
    _, user = make_client(db, adviser)
    client.get("/language/en")
    client.get("/plan", follow_redirects=False)  # signed out: the page to come back to
    sign_in_client(client, db, user, keep=True)
    client.cookies.clear()
    sign_in_staff(client, adviser_user)
    max_ages: dict[str, int | None] = {}
    for header in seen:
        name = header.split("=", 1)[0]
        found = re.search(r"max-age=(\d+)", header, re.IGNORECASE)
        age = int(found.group(1)) if found else None
        if age != 0:  # a cookie being deleted says nothing about its lifetime
            max_ages.setdefault(name, age)
    assert set(max_ages) == {cookie.name for cookie in COOKIES}
    for cookie in COOKIES:
        if cookie.num is None:
            assert max_ages[cookie.name] is None, cookie.name
            assert "close your browser" in cookie.expires
        else:
            assert max_ages[cookie.name] == cookie.num * UNITS[cookie.name], cookie.name
            assert str(cookie.num) in cookie.expires % {"num": cookie.num}, cookie.name


def test_no_cookie_banner_and_no_third_party_scripts(client: TestClient) -> None:
    page = parse(client.get("/cookies").text)
    assert page.find(class_="govuk-cookie-banner") is None
    for script in page.find_all("script"):
        assert str(script.get("src", "")).startswith("/"), script
