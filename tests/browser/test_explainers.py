"""Explainers, the RTWC checker, services and search in a phone-sized browser, axe-clean, in
English and Welsh."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import LiveServer, assert_accessible

pytestmark = pytest.mark.browser

WORDS = {
    "en": {
        "contents": "Explainers",
        "rtwc": "Return to Work Credit",
        "reviewed": "Last reviewed 23 November 2026",
        "check": "Check if Return to Work Credit might apply to you",
        "start": "Start",
        "continue": "Continue",
        "problem": "There is a problem",
        "yes": "Yes",
        "hours": "16 hours or more a week",
        "under": "Under 16 hours a week",
        "check_answers": "Check your answers",
        "change_hours": "Change hours of paid work a week",
        "see_result": "See what this means",
        "likely": "Return to Work Credit is likely to apply to you",
        "services": "Find support services",
        "peer": "Peer support",
        "show": "Show services",
        "mentoring": "Northfield Steps Peer Mentoring (example)",
        "samaritans": "Samaritans",
        "search_label": "Search the explainers",
        "search": "Search",
        "query": "permitted work",
        "first_result": "Permitted Work",
    },
    "cy": {
        "contents": "Esboniadau",
        "rtwc": "Credyd Dychwelyd i'r Gwaith",
        "reviewed": "Adolygwyd ddiwethaf 23 Tachwedd 2026",
        "check": "Gwirio a allai Credyd Dychwelyd i'r Gwaith fod yn berthnasol i chi",
        "start": "Dechrau",
        "continue": "Parhau",
        "problem": "Mae problem",
        "yes": "Ydw",
        "hours": "16 awr neu fwy yr wythnos",
        "under": "Llai na 16 awr yr wythnos",
        "check_answers": "Gwirio eich atebion",
        "change_hours": "Newid oriau o waith am dâl yr wythnos",
        "see_result": "Gweld beth mae hyn yn ei olygu",
        "likely": "Mae Credyd Dychwelyd i'r Gwaith yn debygol o fod yn berthnasol i chi",
        "services": "Dod o hyd i wasanaethau cymorth",
        "peer": "Cymorth gan gymheiriaid",
        "show": "Dangos gwasanaethau",
        "mentoring": "Mentora Cymheiriaid Camau Northfield (enghraifft)",
        "samaritans": "Y Samariaid",
        "search_label": "Chwilio'r esboniadau",
        "search": "Chwilio",
        "query": "Gwaith a Ganiateir",
        "first_result": "Gwaith a Ganiateir",
    },
}
LANGUAGES = ["en", "cy"]


def _open(page: Page, live_server: LiveServer, language: str, path: str) -> None:
    page.goto(f"{live_server.url}/language/{language}?next={path}")
    expect(page.locator("html")).to_have_attribute("lang", language)


@pytest.mark.parametrize("language", LANGUAGES)
def test_contents_page_and_one_explainer(
    page: Page, live_server: LiveServer, language: str
) -> None:
    words = WORDS[language]
    _open(page, live_server, language, "/explainers")
    expect(page.locator("h1")).to_have_text(words["contents"])
    assert_accessible(page)

    page.get_by_role("link", name=words["rtwc"], exact=True).click()
    expect(page.locator("h1")).to_have_text(words["rtwc"])
    expect(page.get_by_text(words["reviewed"])).to_be_visible()
    assert_accessible(page)


@pytest.mark.parametrize("language", LANGUAGES)
def test_checker_walked_to_a_result(page: Page, live_server: LiveServer, language: str) -> None:
    words = WORDS[language]
    _open(page, live_server, language, "/explainers/return-to-work-credit/check")
    expect(page.locator("h1")).to_have_text(words["check"])
    assert_accessible(page)
    page.get_by_role("button", name=words["start"]).click()

    # Continuing without a choice shows the error summary, which links to the first choice.
    page.get_by_role("button", name=words["continue"]).click()
    expect(page.locator(".govuk-error-summary")).to_contain_text(words["problem"])
    assert_accessible(page)
    page.locator(".govuk-error-summary a").click()
    expect(page.get_by_label(words["yes"], exact=True)).to_be_focused()

    # By keyboard: Space chooses the focused radio, Tab reaches the button, Enter submits.
    page.keyboard.press("Space")
    expect(page.get_by_label(words["yes"], exact=True)).to_be_checked()
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")

    page.get_by_label(words["under"]).check()
    assert_accessible(page)
    page.get_by_role("button", name=words["continue"]).click()

    expect(page.locator("h1")).to_have_text(words["check_answers"])
    assert_accessible(page)
    page.get_by_role("link", name=words["change_hours"]).click()
    expect(page.get_by_label(words["under"])).to_be_checked()
    page.get_by_label(words["hours"]).check()
    page.get_by_role("button", name=words["continue"]).click()

    expect(page.locator("h1")).to_have_text(words["check_answers"])
    page.get_by_role("button", name=words["see_result"]).click()
    expect(page.locator("h1")).to_have_text(words["likely"])
    assert_accessible(page)


@pytest.mark.parametrize("language", LANGUAGES)
def test_services_filtered_by_category_and_area(
    page: Page, live_server: LiveServer, language: str
) -> None:
    words = WORDS[language]
    _open(page, live_server, language, "/services")
    expect(page.locator("h1")).to_have_text(words["services"])
    assert_accessible(page)

    page.get_by_label(words["peer"]).check()
    page.get_by_label("Northfield").check()
    page.get_by_role("button", name=words["show"]).click()
    expect(page).to_have_url(f"{live_server.url}/services?category=peer-support&area=Northfield")
    expect(page.locator("h3")).to_have_text([words["mentoring"], words["samaritans"]])
    expect(page.get_by_role("link", name="116 123")).to_have_attribute("href", "tel:116123")
    assert_accessible(page)


@pytest.mark.parametrize("language", LANGUAGES)
def test_search_finds_an_explainer(page: Page, live_server: LiveServer, language: str) -> None:
    words = WORDS[language]
    _open(page, live_server, language, "/explainers")
    page.get_by_label(words["search_label"]).fill(words["query"])
    page.get_by_label(words["search_label"]).press("Enter")
    expect(page.locator("main ul.govuk-list li a").first).to_have_text(words["first_result"])
    assert_accessible(page)

    page.get_by_label(words["search_label"]).fill("xylophone")
    page.get_by_role("button", name=words["search"], exact=True).click()
    expect(page.locator("main ul.govuk-list li a")).to_have_count(0)
    assert_accessible(page)


def test_the_printed_explainer_keeps_the_urgent_help_numbers(
    page: Page, live_server: LiveServer
) -> None:
    page.goto(f"{live_server.url}/explainers/permitted-work")
    numbers = page.locator("#help-now-numbers-print")
    expect(numbers).to_be_hidden()  # on screen, the footer's link is enough
    page.emulate_media(media="print")
    expect(numbers).to_be_visible()
    expect(numbers).to_contain_text("116 123")
    expect(numbers).to_contain_text("NHS 111")
    expect(page.locator(".govuk-service-navigation")).to_be_hidden()
    expect(page.locator(".govuk-footer__meta")).to_be_hidden()
    # The link is no use on paper; the numbers are.
    expect(page.locator(".app-urgent-help a[href='/urgent-help']")).to_be_hidden()
