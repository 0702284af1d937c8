"""Acceptance scenarios 4, 6 and 7 of the brief end to end in Chromium (client on a phone,
adviser on a desktop), with the messages the client gets, and the reminder settings page.
The live server runs its outbox worker in-process, as `serve` does on the embedded default."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
from playwright.sync_api import Browser, Page, expect

from app.core.clock import london_today, to_london
from app.delivery.models import NotificationKind, NotificationStatus
from tests.browser.conftest import LiveServer, assert_accessible
from tests.browser.scenario_data import international, messages_to, new_client_with_first_wfi
from tests.browser.test_accounts import client_signs_in
from tests.browser.test_scenarios_appointments import _adviser_page

pytestmark = pytest.mark.browser


def outbox_text(page: Page, server: LiveServer, phone: str) -> str:
    page.goto(server.url + "/dev/outbox")
    return " ".join(page.locator("tr", has_text=phone).all_inner_texts())


def test_scenario_4_paused_with_a_review_date_and_not_yet_is_an_answer(
    page: Page, browser: Browser, live_server: LiveServer
) -> None:
    data = new_client_with_first_wfi(live_server.database_url, "Gethin")
    client_signs_in(page, live_server, data.phone)
    page.get_by_role("button", name="I'm not well enough right now").click()
    expect(page.locator("h1")).to_have_text("Thank you for telling us")

    adviser = _adviser_page(browser, live_server)
    adviser.goto(live_server.url + f"/adviser/clients/{data.client_id}")
    review_on = london_today() + timedelta(days=28)
    while review_on.weekday() >= 5:  # a review is set for a day the office is open
        review_on += timedelta(days=1)
    adviser.get_by_label("Review date").fill(review_on.isoformat())
    adviser.get_by_label("Reason").select_option("nhs-treatment")
    adviser.get_by_role("button", name="Pause interviews").click()
    # Said back to the adviser in a success banner (#18).
    expect(adviser.locator("#done")).to_contain_text("Interviews paused until")
    assert_accessible(adviser)

    page.goto(live_server.url + "/home")
    expect(page.get_by_text("Your appointments are paused until")).to_be_visible()
    expect(page.get_by_text("The door is open.")).to_be_visible()
    assert_accessible(page)

    rows = messages_to(live_server.database_url, data.client_id)
    # Reminders paused: every reminder for the cancelled interview is called off.
    reminders = [r for r in rows if r.kind == NotificationKind.reminder]
    assert reminders and all(r.status == NotificationStatus.cancelled for r in reminders)
    # The client is told gently, and a check-in waits for the review date.
    paused = next(r for r in rows if r.kind == NotificationKind.paused)
    assert "The door is open" in paused.sms_body
    check_in = next(r for r in rows if r.kind == NotificationKind.check_in)
    assert to_london(check_in.due_at).date() == review_on
    assert check_in.status == NotificationStatus.pending
    assert "No need to reply" in check_in.body
    assert "paused until" in outbox_text(page, live_server, international(data.phone))

    # The check-in's link: "not yet" is a full answer.
    page.goto(live_server.url + check_in.url)
    expect(page.locator("h1")).to_have_text("How are things?")
    expect(page.get_by_text("You do not need to answer")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Not yet. I am not ready to talk about next steps").check()
    page.get_by_role("button", name="Send").click()
    expect(page.get_by_text("That is fine. There is no rush.")).to_be_visible()
    assert_accessible(page)


def test_scenario_6_a_finished_programme_brings_a_check_in_and_an_adviser_task(
    page: Page, browser: Browser, live_server: LiveServer
) -> None:
    data = new_client_with_first_wfi(live_server.database_url, "Emrys")
    client_signs_in(page, live_server, data.phone)

    adviser = _adviser_page(browser, live_server)
    adviser.goto(live_server.url + f"/adviser/clients/{data.client_id}")
    adviser.get_by_label("Service", exact=True).select_option("cmp")
    adviser.get_by_role("button", name="Add service").click()
    adviser.locator("#services ~ ul").get_by_role("button", name="Ended").click()
    adviser.goto(live_server.url + "/adviser")
    expect(adviser.locator("#attention")).to_contain_text(data.full_name)
    assert_accessible(adviser)

    check_in = next(
        r
        for r in messages_to(live_server.database_url, data.client_id)
        if r.kind == NotificationKind.check_in
    )
    assert check_in.body == "How are things? We are here if you want to talk about what is next."
    assert check_in.url == "/check-in"

    adviser.goto(live_server.url + f"/adviser/clients/{data.client_id}/plan/steps/new")
    adviser.get_by_label("What is the step?").fill("Volunteering at the community garden")
    adviser.get_by_label("Suggest it: the client decides whether to add it").uncheck()
    adviser.get_by_role("button", name="Save").click()
    page.goto(live_server.url + "/plan")
    expect(page.locator("#steps")).to_contain_text("Volunteering at the community garden")
    assert_accessible(page)

    # The follow-up is done: the item leaves the list, and only then.
    adviser.goto(live_server.url + f"/adviser/clients/{data.client_id}")
    adviser.get_by_role("button", name="Followed up").click()
    adviser.goto(live_server.url + "/adviser")
    expect(adviser.locator("#attention li", has_text=data.full_name)).to_have_count(0)


def test_scenario_7_a_job_start_shows_in_work_help_and_plans_check_ins(
    page: Page, browser: Browser, live_server: LiveServer
) -> None:
    data = new_client_with_first_wfi(live_server.database_url, "Carys")
    client_signs_in(page, live_server, data.phone)
    page.goto(live_server.url + "/explainers/return-to-work-credit")
    expect(page.locator("main")).to_contain_text("16 hours")
    assert_accessible(page)

    page.goto(live_server.url + "/home")
    page.get_by_text("Started work? Tell us here").click()
    start = london_today() + timedelta(days=3)
    page.get_by_label("Start date").fill(start.isoformat())
    page.get_by_label("Hours a week").fill("20")
    page.get_by_role("button", name="Tell my adviser").click()
    expect(page.locator("main")).to_contain_text("Return to Work Credit")
    assert_accessible(page)

    # "Am I with Pathways, or not?": one plain page from home says where she is.
    page.goto(live_server.url + "/home")
    page.get_by_role("link", name="Where you are with Pathways to Work").click()
    expect(page.locator("#where-now")).to_contain_text("Yes, you are with Pathways to Work.")
    expect(page.locator("#where-now")).to_contain_text("Your next meeting is interview 1 of 6")
    expect(page.locator("#where-now")).to_contain_text("You start work on")
    assert_accessible(page)

    check_ins = [
        to_london(r.due_at).date()
        for r in messages_to(live_server.database_url, data.client_id)
        if r.kind == NotificationKind.check_in
    ]
    assert check_ins == [start + timedelta(weeks=w) for w in (1, 2, 4)]

    adviser = _adviser_page(browser, live_server)
    adviser.goto(live_server.url + f"/adviser/clients/{data.client_id}")
    expect(adviser.locator("#rtwc-hint")).to_be_visible()
    expect(adviser.get_by_text("Check-ins in weeks 1, 2 and 4")).to_be_visible()
    assert_accessible(adviser)


@pytest.mark.parametrize("language", ["en", "cy"])
def test_reminder_settings_are_clear_and_a_test_message_arrives(
    page: Page, live_server: LiveServer, language: str
) -> None:
    data = new_client_with_first_wfi(live_server.database_url, "Bethan", language=language)
    client_signs_in(page, live_server, data.phone)
    page.goto(live_server.url + "/settings/reminders")
    assert_accessible(page)
    # Nothing asks for notification permission on page load.
    assert page.evaluate("Notification.permission") == "default"
    page.locator("#lead-morning-of").check()
    page.locator("#quiet_end").select_option("13")
    page.locator("#detail-detailed").check()
    page.locator("form[action='/settings/reminders'] button[type=submit]").click()
    expect(page.locator(".govuk-notification-banner--success")).to_be_visible()
    expect(page.locator("#quiet_end")).to_have_value("13")
    expect(page.locator("#lead-morning-of")).to_be_checked()
    assert_accessible(page)

    page.locator("form[action='/settings/reminders/test'] button").click()
    expect(page.locator(".govuk-notification-banner--success")).to_be_visible()
    test = next(
        r
        for r in messages_to(live_server.database_url, data.client_id)
        if r.kind == NotificationKind.test
    )
    assert test.language == language
    phone = international(data.phone)
    # The in-process worker polls once a second: wait for it to send (on a busy machine a
    # fixed second and a half was sometimes not enough), then read the outbox as sent.
    deadline = time.monotonic() + 15
    expect_text = outbox_text(page, live_server, phone)
    while "test by sms: sent" not in expect_text and time.monotonic() < deadline:
        page.wait_for_timeout(200)
        expect_text = outbox_text(page, live_server, phone)
    assert test.sms_body.split(" http")[0] in expect_text
    assert "test by sms: sent" in expect_text


def test_the_caseload_works_on_a_tablet(browser: Browser, live_server: LiveServer) -> None:
    from tests.browser.test_scenarios_appointments import _adviser_page

    adviser = _adviser_page(browser, live_server)
    adviser.set_viewport_size({"width": 768, "height": 1024})
    adviser.goto(live_server.url + "/adviser")
    expect(adviser.locator("table")).to_be_visible()
    assert_accessible(adviser)
    # Nothing wider than the screen: no sideways scrolling on a tablet.
    assert adviser.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth + 1")
    adviser.locator("#caseload tbody a").first.click()
    expect(adviser.locator("#needs")).to_be_visible()
    assert_accessible(adviser)
    assert adviser.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth + 1")
