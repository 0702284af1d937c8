"""Scenario 10 of the brief: a client on a bus with no signal still sees her next appointment
and her plan, marked with when they were last updated; a change she makes offline is never
silently lost: it waits, then is sent, and a clash on the way comes back to her to look at."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from playwright.sync_api import BrowserContext, Page, expect
from sqlmodel import Session

from app.action_plans import service
from app.action_plans.models import PlanStep
from app.appointments.activities import book_activity
from app.appointments.models import AvailabilitySlot
from app.core.clock import utcnow
from app.core.db import build_engine, write_session
from tests.browser.conftest import (
    LiveServer,
    assert_accessible,
    service_worker_in_control,
    wait_until,
)
from tests.browser.scenario_data import new_client_with_first_wfi
from tests.browser.test_accounts import client_signs_in
from tests.browser.words import LANGUAGES, words

pytestmark = pytest.mark.browser


def _add_step(server: LiveServer, client_id: int, title: str) -> int:
    engine = build_engine(server.database_url)
    with write_session(engine) as session:
        plan = service.plan_for(session=session, client_id=client_id)
        step = service.add_step(
            session=session, plan=plan, title=title, actor_user_id=None, actor_role="adviser"
        )
        step_id = step.id
    engine.dispose()
    assert step_id is not None
    return step_id


def _book_course(server: LiveServer, client_id: int) -> int:
    engine = build_engine(server.database_url)
    with write_session(engine) as session:
        activity = book_activity(
            session=session,
            client_id=client_id,
            title="Confidence course",
            provider="Leeds City College",
            place="Park Lane Campus, Room 4",
            starts_at=utcnow() + timedelta(days=9),
            duration_minutes=120,
            bring="A pen",
            contact="0113 000 0000",
            actor_user_id=None,
        )
        activity_id = activity.id
    engine.dispose()
    assert activity_id is not None
    return activity_id


def _step(server: LiveServer, step_id: int) -> PlanStep:
    engine = build_engine(server.database_url)
    with Session(engine) as session:
        step = session.get(PlanStep, step_id)
        assert step is not None
    engine.dispose()
    return step


@pytest.mark.parametrize("language", LANGUAGES)
def test_scenario_10_reading_and_changing_with_no_signal(
    context: BrowserContext, page: Page, live_server: LiveServer, language: str
) -> None:
    t = words(language)
    offline_words = t(
        "You are offline. This is the copy kept on this phone, last updated at %(time)s on "
        "%(date)s."
    ).split("%(")[0]
    data = new_client_with_first_wfi(live_server.database_url, "Morfudd", language=language)
    step_id = _add_step(live_server, data.client_id, "Phone the volunteering centre")
    course_id = _book_course(live_server, data.client_id)
    client_signs_in(page, live_server, data.phone, language)
    service_worker_in_control(page)
    for path in (
        "/home",
        f"/appointments/{data.appointment_id}",
        f"/activities/{course_id}",
        "/plan",
        f"/plan/steps/{step_id}",
        "/explainers/return-to-work-credit",
    ):
        page.goto(live_server.url + path)

    context.set_offline(True)
    try:
        response = page.goto(live_server.url + "/home")
        assert response is not None and response.from_service_worker
        expect(page.locator("#offline-note")).to_be_visible()
        expect(page.locator("#offline-note")).to_contain_text(offline_words)
        if language == "en":
            expect(page.locator("#offline-note")).to_contain_text(
                re.compile(r"last updated at \S+ on \w+day")
            )
        expect(page.locator("#next-appointment")).to_be_visible()
        assert_accessible(page)
        page.goto(live_server.url + "/plan")
        expect(page.locator("#steps")).to_contain_text("Phone the volunteering centre")
        expect(page.locator("#offline-note")).to_be_visible()
        page.goto(live_server.url + "/explainers/return-to-work-credit")
        expect(page.locator("main")).to_contain_text({"en": "16 hours", "cy": "16 awr"}[language])
        # The course booked for her: where, what to bring, who to ring, on the bus there.
        page.goto(live_server.url + f"/activities/{course_id}")
        expect(page.locator("#activity-details")).to_contain_text("Park Lane Campus, Room 4")
        expect(page.locator("#offline-note")).to_be_visible()

        # A step ticked on the bus.
        page.goto(live_server.url + f"/plan/steps/{step_id}")
        page.get_by_label(t("Done"), exact=True).check()
        page.get_by_role("button", name=t("Save"), exact=True).click()
        expect(page.locator("h1")).to_have_text(t("Waiting to send"))
        assert_accessible(page)
        page.goto(live_server.url + "/plan")
        expect(page.locator("#change-status")).to_have_attribute("data-state", "waiting")
        expect(page.locator("#change-status")).to_contain_text(
            t("Waiting to send your change. It will go when you have signal.")
        )
        assert _step(live_server, step_id).status != "done"
    finally:
        context.set_offline(False)

    # Signal again: the change goes, and she is told.
    page.goto(live_server.url + "/plan")
    expect(page.locator("#change-status")).to_contain_text(t("Sent"), timeout=10_000)
    assert _step(live_server, step_id).status == "done"


def _choose_a_new_time_with_no_signal(
    context: BrowserContext, page: Page, live_server: LiveServer, appointment: str
) -> tuple[str, str]:
    """With the appointment's pages kept, the signal goes and a new time is chosen; the
    appointment page is then read from the phone's copy. Gives the old and the new time."""
    for path in ("/home", appointment + "/change", appointment):
        page.goto(live_server.url + path)
    old_time = page.locator("h1").inner_text()
    context.set_offline(True)
    page.goto(live_server.url + appointment + "/change")
    # A time at the same place as now (no "a different place" note): one elsewhere is asked
    # about first (tests/browser/test_no_silent_changes.py).
    same_place = '.govuk-radios__item:not(:has(.govuk-radios__hint)) input[name="slot"]'
    choice = page.locator(same_place).nth(1)
    new_time = page.locator(f'label[for="{choice.get_attribute("id")}"]').inner_text()
    new_time = new_time.split(" – ")[0]
    assert new_time != old_time
    choice.check()
    page.get_by_role("button", name="Choose this time").click()
    expect(page.locator("h1")).to_have_text("Waiting to send")
    page.goto(live_server.url + appointment)
    expect(page.locator("#offline-note")).to_be_visible()
    expect(page.locator("h1")).to_have_text(old_time)
    expect(page.locator("#change-status")).to_have_attribute("data-state", "waiting")
    return old_time, new_time


def test_once_sent_the_page_and_its_kept_copy_show_the_new_time(
    context: BrowserContext, page: Page, live_server: LiveServer
) -> None:
    data = new_client_with_first_wfi(live_server.database_url, "Eirlys")
    client_signs_in(page, live_server, data.phone)
    service_worker_in_control(page)
    appointment = f"/appointments/{data.appointment_id}"
    try:
        old_time, new_time = _choose_a_new_time_with_no_signal(
            context, page, live_server, appointment
        )
    finally:
        context.set_offline(False)

    # Signal again: the change goes, and the page she is looking at (drawn before it went)
    # now shows the new time, with "Sent" above it.
    status = page.locator("#change-status")
    expect(page.locator("h1")).to_have_text(new_time, timeout=15_000)
    expect(status).to_contain_text("Sent", timeout=10_000)
    expect(page.locator("#offline-note")).to_be_hidden()
    # Once: it does not keep loading itself again.
    first_drawn = page.evaluate("() => performance.timeOrigin")
    page.wait_for_timeout(1500)
    assert page.evaluate("() => performance.timeOrigin") == first_drawn
    expect(status).to_contain_text("Sent")

    # The copies kept for reading with no signal are the new ones too: this page's, and the
    # home page's, which she has not opened since.
    wait_until(
        page,
        "() => caches.open('pages-v1').then((c) => c.match('/home')).then((r) => r.text())"
        f".then((html) => html.includes({new_time!r}))",
    )
    context.set_offline(True)
    try:
        response = page.goto(live_server.url + appointment)
        assert response is not None and response.from_service_worker
        expect(page.locator("#offline-note")).to_be_visible()
        expect(page.locator("h1")).to_have_text(new_time)
        page.goto(live_server.url + "/home")
        expect(page.locator("#offline-note")).to_be_visible()
        expect(page.locator("#next-appointment")).to_contain_text(new_time)
        expect(page.locator("#next-appointment")).not_to_contain_text(old_time)
    finally:
        context.set_offline(False)


def test_a_page_being_filled_in_is_not_loaded_again_under_her(
    context: BrowserContext, page: Page, live_server: LiveServer
) -> None:
    data = new_client_with_first_wfi(live_server.database_url, "Gwenllian")
    client_signs_in(page, live_server, data.phone)
    service_worker_in_control(page)
    appointment = f"/appointments/{data.appointment_id}"
    try:
        old_time, new_time = _choose_a_new_time_with_no_signal(
            context, page, live_server, appointment
        )
        page.get_by_label("A phone call before the appointment").check()
    finally:
        context.set_offline(False)

    status = page.locator("#change-status")
    expect(status).to_contain_text("Sent", timeout=15_000)
    expect(page.get_by_label("A phone call before the appointment")).to_be_checked()
    expect(page.locator("h1")).to_have_text(old_time)
    status.get_by_role("link", name="See the latest").click()
    expect(page.locator("h1")).to_have_text(new_time)
    expect(page.locator("#offline-note")).to_be_hidden()


def test_a_time_chosen_offline_that_has_gone_comes_back_to_look_at(
    context: BrowserContext, page: Page, live_server: LiveServer
) -> None:
    data = new_client_with_first_wfi(live_server.database_url, "Heulwen")
    client_signs_in(page, live_server, data.phone)
    service_worker_in_control(page)
    page.goto(live_server.url + f"/appointments/{data.appointment_id}/change")
    page.goto(live_server.url + "/home")
    context.set_offline(True)
    try:
        page.goto(live_server.url + f"/appointments/{data.appointment_id}/change")
        choice = page.locator('input[name="slot"]').first
        slot_id = int(choice.get_attribute("value") or 0)
        choice.check()
        page.get_by_role("button", name=re.compile("Continue|Choose|Change")).first.click()
        expect(page.locator("h1")).to_have_text("Waiting to send")
        # Meanwhile, that time goes to someone else.
        other = new_client_with_first_wfi(live_server.database_url, "Arall")
        engine = build_engine(live_server.database_url)
        from app.appointments.booking import book_slot
        from app.appointments.models import AppointmentKind

        with write_session(engine) as session:
            reloaded = session.get(AvailabilitySlot, slot_id)
            assert reloaded is not None
            reloaded.offered_to_client_id = None
            book_slot(
                session=session,
                slot=reloaded,
                client_id=other.client_id,
                kind=AppointmentKind.review,
                wfi_number=None,
                actor_user_id=None,
                actor_role="adviser",
            )
        engine.dispose()
    finally:
        context.set_offline(False)

    page.goto(live_server.url + "/home")
    status = page.locator("#change-status")
    expect(status).to_have_attribute("data-state", "needs-look", timeout=10_000)
    status.get_by_role("link", name="See what happened").click()
    expect(page.locator("main")).to_contain_text("someone else")


def test_signing_out_clears_the_kept_pages(
    context: BrowserContext, page: Page, live_server: LiveServer
) -> None:
    data = new_client_with_first_wfi(live_server.database_url, "Tegwen")
    client_signs_in(page, live_server, data.phone)
    service_worker_in_control(page)
    page.goto(live_server.url + "/home")
    page.goto(live_server.url + "/plan")
    page.goto(live_server.url + "/sign-out")
    page.locator("form[action='/sign-out'] button").first.click()
    expect(page).to_have_url(re.compile(r"/signed-out"))
    # The service worker forgets the kept pages as the signed-out page arrives.
    wait_until(page, "() => caches.has('pages-v1').then((kept) => !kept)")
    context.set_offline(True)
    try:
        page.goto(live_server.url + "/home")
        expect(page.locator("h1")).to_have_text("You are offline")
        expect(page.locator("body")).not_to_contain_text("Tegwen")
    finally:
        context.set_offline(False)
