"""The adviser at a desk (1280×800) and on a phone (390×844): offering a time weeks ahead by
date and place, and the plan page in the adviser's voice. Axe on every page; the plan page's
screenshots go to docs/screenshots (#18)."""

from __future__ import annotations

import itertools
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, ViewportSize, expect
from sqlmodel import select

from app.action_plans import service as plans
from app.action_plans.models import Owner
from app.appointments.models import AppointmentMode, AvailabilitySlot
from app.core.clock import london_datetime, london_today
from app.core.db import build_engine, write_session
from app.offices.models import Venue, VenueKind
from app.people.models import Adviser, User
from tests.browser.conftest import LiveServer, assert_accessible, new_context
from tests.browser.scenario_data import new_client_with_first_wfi
from tests.browser.test_scenarios_appointments import _adviser_page, _adviser_session

pytestmark = pytest.mark.browser

SIZES: dict[str, ViewportSize] = {
    "1280": {"width": 1280, "height": 800},
    "390": {"width": 390, "height": 844},
}
SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
_minutes = itertools.count(5, 7)  # each test's time is its own: 11:05, 11:12, ...


def _adviser_at(browser: Browser, server: LiveServer, size: str) -> Page:
    """adviser1, signed in once per run, in a context of this size."""
    _adviser_page(browser, server).context.close()
    options: dict[str, Any] = {"viewport": SIZES[size]}
    if size == "390":
        options.update(is_mobile=True, has_touch=True)
    context = new_context(browser, storage_state=_adviser_session[server.url], **options)
    return context.new_page()


def _fits(page: Page, size: str) -> None:
    """Nothing wider than the window: no sideways scrolling (long time labels included)."""
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= SIZES[size]["width"], width


def _three_weeks_on() -> date:
    day = london_today() + timedelta(days=21)
    while day.weekday() >= 5 or (day.month, day.day) in ((12, 25), (12, 26), (12, 28), (1, 1)):
        day += timedelta(days=1)
    return day


def _community_time(database_url: str, day: date) -> tuple[int, str]:
    """A 45-minute free time of adviser1's at the community centre on `day`: its id and name."""
    engine = build_engine(database_url)
    with write_session(engine) as session:
        user = session.exec(select(User).where(User.email == "adviser1@example.org")).one()
        adviser = session.exec(select(Adviser).where(Adviser.user_id == user.id)).one()
        venue = session.exec(select(Venue).where(Venue.kind == VenueKind.community)).one()
        slot = AvailabilitySlot(
            adviser_id=adviser.id,  # type: ignore[arg-type]
            venue_id=venue.id,
            mode=AppointmentMode.in_person,
            starts_at=london_datetime(day, 11, next(_minutes) % 60),
            duration_minutes=45,
        )
        session.add(slot)
        session.flush()
        found = (slot.id, venue.name)
    engine.dispose()
    assert found[0] is not None
    return found[0], found[1]


@pytest.mark.parametrize("size", list(SIZES))
def test_the_adviser_offers_a_community_time_three_weeks_ahead(
    browser: Browser, live_server: LiveServer, size: str
) -> None:
    scenario = new_client_with_first_wfi(live_server.database_url, f"Offer{size}")
    day = _three_weeks_on()
    slot_id, venue_name = _community_time(live_server.database_url, day)
    page = _adviser_at(browser, live_server, size)
    page.goto(f"{live_server.url}/adviser/clients/{scenario.client_id}")
    page.locator("#find-a-time").click()
    expect(page.locator("h1")).to_contain_text("Find a time for")
    page.get_by_label("Show the week from").fill(day.isoformat())
    page.get_by_label("Where").select_option(label=venue_name)
    page.get_by_role("button", name="Show times").click()
    assert_accessible(page)
    _fits(page, size)
    choice = page.locator(f"#keep-{slot_id}")
    label = page.locator(f'label[for="keep-{slot_id}"]').inner_text()
    assert label.endswith(f"– {venue_name}, 45 minutes"), label
    assert "by phone" not in page.locator("form[action$='/offer']").inner_text()
    # Next week and back again are plain links.
    page.get_by_role("link", name="Next week").click()
    expect(page.locator("#week")).to_be_visible()
    page.get_by_role("link", name="Previous week").click()
    choice.check()
    page.get_by_role("button", name="Offer these times").click()
    # Said at the top of the record, where the adviser is taken (not by the form below).
    expect(page.locator("#done")).to_contain_text("1 time offered")
    assert page.locator("#done").bounding_box()["y"] < 400  # type: ignore[index]
    assert_accessible(page)
    # A date that will not do: the page again with the GOV.UK error summary, the date kept.
    response = page.goto(
        f"{live_server.url}/adviser/clients/{scenario.client_id}/times?day=2020-01-01&where=any"
    )
    assert response is not None and response.status == 400
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    expect(page.get_by_label("Show the week from")).to_have_value("2020-01-01")
    assert_accessible(page)


@pytest.mark.parametrize("size", list(SIZES))
def test_the_adviser_plan_page_speaks_to_the_adviser(
    browser: Browser, live_server: LiveServer, size: str
) -> None:
    scenario = new_client_with_first_wfi(live_server.database_url, f"Plan{size}")
    engine = build_engine(live_server.database_url)
    with write_session(engine) as session:
        plan = plans.plan_for(session=session, client_id=scenario.client_id)
        plans.add_step(
            session=session,
            plan=plan,
            title="Try a volunteering taster day",
            actor_user_id=None,
            actor_role="adviser",
        )
        asked = plans.add_step(
            session=session,
            plan=plan,
            title="Confidence course at the library",
            actor_user_id=None,
            actor_role="adviser",
        )
        asked.book_for_me = True
        asked.owner = Owner.adviser
        session.add(asked)
        plans.note_progress(
            session=session, plan=plan, progress="went-to-a-group", actor_user_id=None
        )
    engine.dispose()
    page = _adviser_at(browser, live_server, size)
    page.goto(f"{live_server.url}/adviser/clients/{scenario.client_id}/plan")
    expect(page.locator("h1")).to_contain_text("Plan for")
    body = page.locator("main").inner_text()
    for phrase in ("Go at your own pace", "your adviser will book this", "I went to a group"):
        assert phrase not in body, phrase
    assert "is going at their own pace" in body
    assert "the client asked you to book this" in body
    option = page.locator("select[name=slot] option").first.inner_text()
    assert "minutes" in option, option
    assert_accessible(page)
    _fits(page, size)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"plan-adviser-{size}.png"), full_page=True)
