"""Scenarios 6 and 8 (plan parts): client on a phone and adviser on a desktop edit the same plan
at the same time and each sees the other's change live, within 5 seconds, without a reload."""

from __future__ import annotations

from datetime import timedelta

import pytest
from playwright.sync_api import Browser, Page, expect

from app.core.clock import london_today
from app.delivery.models import NotificationKind
from tests.browser.conftest import LiveServer, assert_accessible
from tests.browser.scenario_data import messages_to, new_client_with_first_wfi
from tests.browser.test_accounts import client_signs_in
from tests.browser.test_scenarios_appointments import _adviser_page
from tests.browser.words import LANGUAGES, words

pytestmark = pytest.mark.browser
LIVE = 5_000  # milliseconds


def _adviser_adds_a_step(
    browser: Browser, live_server: LiveServer, client_id: int, step: str
) -> Page:
    """The adviser, on a desktop, adds a step to the client's plan (not as a suggestion)."""
    adviser = _adviser_page(browser, live_server)
    adviser.goto(live_server.url + f"/adviser/clients/{client_id}/plan/steps/new")
    adviser.get_by_label("What is the step?").fill(step)
    adviser.get_by_label("Suggest it: the client decides whether to add it").uncheck()
    adviser.get_by_role("button", name="Save").click()
    expect(adviser.locator("#steps")).to_contain_text(step)
    return adviser


def test_scenario_6_adviser_adds_a_step_and_the_client_sees_it_at_once(
    page: Page, browser: Browser, live_server: LiveServer
) -> None:
    data = new_client_with_first_wfi(live_server.database_url, "Macsen")
    client_signs_in(page, live_server, data.phone)
    page.goto(live_server.url + "/plan")
    expect(page.locator("h1")).to_have_text("Your plan")
    assert_accessible(page)

    adviser = _adviser_adds_a_step(
        browser, live_server, data.client_id, "Try volunteering at the food bank"
    )
    assert_accessible(adviser)

    # The client's page was never reloaded.
    expect(page.locator("#steps")).to_contain_text(
        "Try volunteering at the food bank", timeout=LIVE
    )
    expect(page.locator("#whats-next")).to_contain_text("Try volunteering at the food bank")

    # And the other way round: the client adds a step, the adviser's open page shows it.
    # GOV.UK's button macro gives a link that looks like a button role="button".
    page.get_by_role("button", name="Add a step").click()
    page.get_by_label("What is the step?").fill("Tell my GP how things are going")
    page.get_by_role("button", name="Save").click()
    expect(adviser.locator("#steps")).to_contain_text(
        "Tell my GP how things are going", timeout=LIVE
    )


@pytest.mark.parametrize("language", LANGUAGES)
def test_scenario_8_suggested_course_booked_for_the_client(
    page: Page, browser: Browser, live_server: LiveServer, language: str
) -> None:
    t = words(language)
    booked = t("booked: %(what)s, %(when)s").split("%(")[0]  # "booked: " / its Welsh
    data = new_client_with_first_wfi(live_server.database_url, "Nia", language=language)
    adviser = _adviser_page(browser, live_server)
    adviser.goto(live_server.url + f"/adviser/clients/{data.client_id}/plan/steps/new")
    adviser.get_by_label("What is the step?").fill("Confidence course at the college")
    adviser.get_by_role("button", name="Save").click()
    expect(adviser.locator("body")).to_contain_text("Waiting for the client to decide")

    client_signs_in(page, live_server, data.phone, language)
    page.goto(live_server.url + "/plan")
    expect(page.get_by_text(t("Suggested by your adviser"))).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name=t("Add to my plan")).click()
    page.get_by_role("link", name="Confidence course at the college").click()
    page.get_by_role("button", name=t("Please book this for me")).click()
    expect(page.locator("#steps")).to_contain_text(t("your adviser will book this"))

    adviser.goto(live_server.url + "/adviser")
    expect(adviser.locator("#attention")).to_contain_text(
        "asked you to book: Confidence course at the college"
    )
    adviser.goto(live_server.url + f"/adviser/clients/{data.client_id}/plan")
    assert_accessible(adviser)
    # A course is booked with the college, not in the adviser's diary: it is recorded as what
    # it is, and the client sees and is reminded of the course, not "a chat with your adviser".
    adviser.locator("#steps").get_by_role("link", name="Record a course or group").click()
    expect(adviser.get_by_label("What it is")).to_have_value("Confidence course at the college")
    adviser.get_by_label("Who runs it (optional)").fill("Leeds City College")
    adviser.get_by_label("Where (optional)").fill("Park Lane Campus, Room 4")
    adviser.get_by_label("Date").fill((london_today() + timedelta(days=9)).isoformat())
    adviser.get_by_label("Start time").fill("10:00")
    adviser.get_by_label("How long, in minutes").fill("120")
    adviser.get_by_label("What to bring (optional)").fill("A pen")
    assert_accessible(adviser)
    adviser.get_by_role("button", name="Save and tell").click()
    expect(adviser.locator("#steps")).to_contain_text("booked: Confidence course at the college")

    # The client's page shows it without a reload, in her language.
    expect(page.locator("#steps")).to_contain_text(booked + "Confidence course", timeout=LIVE)
    about = {
        (r.kind, r.subject.split(":")[0])
        for r in messages_to(live_server.database_url, data.client_id)
    }
    assert (NotificationKind.confirmation, "activity") in about
    assert (NotificationKind.reminder, "activity") in about
    page.locator("#steps").get_by_role("link", name=booked + "Confidence course").click()
    expect(page.locator("#activity-title")).to_have_text("Confidence course at the college")
    expect(page.locator("#activity-details")).to_contain_text("Leeds City College")
    expect(page.locator("main")).not_to_contain_text(t("Your adviser will call you before."))
    assert_accessible(page)
    page.goto(live_server.url + "/home")
    course = page.locator('main a[href^="/activities/"]')
    expect(course).to_have_text("Confidence course at the college")
    expect(page.locator("main")).to_contain_text(t("Booked for you"))


def test_plan_pages_are_accessible_in_welsh(page: Page, live_server: LiveServer) -> None:
    data = new_client_with_first_wfi(live_server.database_url, "Sioned", language="cy")
    client_signs_in(page, live_server, data.phone)
    expect(page.locator("html")).to_have_attribute("lang", "cy")
    page.goto(live_server.url + "/plan")
    expect(page.locator("h1")).to_have_text("Eich cynllun")
    assert_accessible(page)
    page.goto(live_server.url + "/plan/steps/new")
    assert_accessible(page)
    page.locator("#title").fill("Mynd am dro bob bore")
    page.locator("button[type=submit]").first.click()
    expect(page.locator("#steps")).to_contain_text("Mynd am dro bob bore")
    page.locator("#steps a").first.click()
    assert_accessible(page)
    page.goto(live_server.url + "/plan/history")
    assert_accessible(page)


# Counts the streams the page has open. Browsers allow six connections to one site: an
# adviser with six plans open in background tabs could not load another page (#18 outside-in).
COUNT_STREAMS = """
(() => {
  const Real = window.EventSource;
  window.__streams = [];
  window.EventSource = class extends Real {
    constructor(...args) { super(...args); window.__streams.push(this); }
  };
})();
"""
OPEN_STREAMS = "window.__streams.filter(s => s.readyState !== EventSource.CLOSED).length"
SET_VISIBILITY = """(state) => {
  Object.defineProperty(document, 'visibilityState', {value: state, configurable: true});
  document.dispatchEvent(new Event('visibilitychange'));
}"""


def test_a_hidden_tab_lets_go_of_its_stream_and_catches_up_when_shown(
    page: Page, browser: Browser, live_server: LiveServer
) -> None:
    data = new_client_with_first_wfi(live_server.database_url, "Heulwen")
    client_signs_in(page, live_server, data.phone)
    page.add_init_script(COUNT_STREAMS)
    page.goto(live_server.url + "/plan")
    page.wait_for_function(f"{OPEN_STREAMS} === 1")
    page.evaluate(SET_VISIBILITY, "hidden")
    assert page.evaluate(OPEN_STREAMS) == 0

    # Changed while the tab was hidden: shown as soon as the tab is.
    _adviser_adds_a_step(browser, live_server, data.client_id, "Walk to the library")
    page.evaluate(SET_VISIBILITY, "visible")
    expect(page.locator("#steps")).to_contain_text("Walk to the library", timeout=LIVE)
    assert page.evaluate(OPEN_STREAMS) == 1
