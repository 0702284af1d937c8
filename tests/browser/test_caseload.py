"""The adviser's caseload in Chromium at a desk (1280×800) and on a phone (390×844): full width
and sortable by links on a desk, one block per client on a phone with no sideways scrolling,
the "Needs attention" filter matching the attention list, every action reachable by Tab with a
visible focus, and axe clean throughout. Writes docs/screenshots/caseload-{1280,390}.png."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from app.core.db import build_engine, write_session
from app.rescheduling.models import RequestKind, RescheduleRequest
from tests.browser.conftest import PHONE, LiveServer, assert_accessible
from tests.browser.scenario_data import new_client_with_first_wfi
from tests.browser.test_scenarios_appointments import _adviser_page

pytestmark = pytest.mark.browser

SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
DESK = {"width": 1280, "height": 800}
FOCUS_YELLOW = "rgb(255, 221, 0)"


def _no_sideways_scroll(page: Page) -> bool:
    return bool(page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth"))


def _names(page: Page) -> list[str]:
    return page.locator("#caseload tbody tr td:first-child a").all_inner_texts()


def _check_filter_matches_attention_list(page: Page) -> None:
    on_list = set(page.locator("#attention a").all_inner_texts())
    page.get_by_label("Show").select_option("attention")
    page.get_by_role("button", name="Apply").click()
    expect(page.get_by_label("Show")).to_have_value("attention")
    assert on_list, "the demo caseload has things needing attention"
    assert set(_names(page)) == on_list


def _someone_needs_attention(server: LiveServer) -> None:
    """A client of adviser1 who says they are not well enough right now (so the attention list
    has something on it whichever tests ran before)."""
    data = new_client_with_first_wfi(server.database_url, "Nerys")
    engine = build_engine(server.database_url)
    with write_session(engine) as session:
        session.add(
            RescheduleRequest(
                client_id=data.client_id,
                appointment_id=data.appointment_id,
                kind=RequestKind.not_well,
            )
        )
    engine.dispose()


def _caseload_at(browser: Browser, server: LiveServer, size: dict[str, int]) -> Page:
    page = _adviser_page(browser, server)
    page.set_viewport_size(size)  # type: ignore[arg-type]
    page.goto(server.url + "/adviser")
    return page


def test_the_caseload_at_a_desk(browser: Browser, live_server: LiveServer) -> None:
    _someone_needs_attention(live_server)
    page = _caseload_at(browser, live_server, DESK)
    expect(page.locator("#caseload")).to_be_visible()
    # The whole width of the page, not two-thirds of it.
    table = page.locator("#caseload").bounding_box()
    assert table is not None and table["width"] > 900
    assert _no_sideways_scroll(page)
    assert_accessible(page)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "caseload-1280.png"), full_page=True)

    # Sorting by a column is a link: Last contact, then the other way round.
    page.locator("#caseload thead").get_by_role("link", name="Last contact").click()
    expect(page.locator("#caseload th[aria-sort=ascending]")).to_contain_text("Last contact")
    page.locator("#caseload thead").get_by_role("link", name="Last contact").click()
    expect(page.locator("#caseload th[aria-sort=descending]")).to_contain_text("Last contact")
    assert "sort=last-contact" in page.url and "order=desc" in page.url
    assert_accessible(page)

    # The filter keeps the order chosen, and lists exactly who is on the attention list.
    page.goto(live_server.url + "/adviser?sort=name&order=desc")
    _check_filter_matches_attention_list(page)
    expect(page.locator("#caseload th[aria-sort=descending]")).to_contain_text("Name")
    names = _names(page)
    assert names == sorted(names, key=str.casefold, reverse=True)
    assert_accessible(page)


def test_every_caseload_action_is_reachable_by_tab_with_a_visible_focus(
    browser: Browser, live_server: LiveServer
) -> None:
    page = _caseload_at(browser, live_server, DESK)
    actions = page.locator(
        "main a[href], main button, main input:not([type=hidden]), main select"
    ).evaluate_all(
        "els => els.filter(e => e.offsetParent !== null)"
        ".map(e => e.id || e.getAttribute('href') || e.textContent.trim())"
    )
    page.locator("main h1").click()  # start from the top of the page's own content
    reached: list[str] = []
    for _ in range(len(actions) + 5):
        page.keyboard.press("Tab")
        focused = page.evaluate(
            """yellow => {
              const e = document.activeElement;
              if (!e.closest('main')) return null;
              const s = getComputedStyle(e);
              const visible = s.backgroundColor === yellow
                || (s.outlineColor === yellow && s.outlineStyle !== 'none');
              return [e.id || e.getAttribute('href') || e.textContent.trim(), visible];
            }""",
            FOCUS_YELLOW,
        )
        if focused is None:
            break
        name, visible = focused
        assert visible, f"no visible focus on {name}"
        reached.append(name)
    # Every action, each once, in the order of the page (top to bottom, left to right).
    assert reached == actions
    # Going back up with Shift+Tab, no client's link hides under the header that stays in view.
    page.locator("#caseload tbody a").last.focus()
    for _ in range(8):
        page.keyboard.press("Shift+Tab")
        covered = page.evaluate(
            """() => {
              const link = document.activeElement.getBoundingClientRect();
              const head = document.querySelector('#caseload th').getBoundingClientRect();
              return link.top < head.bottom - 1 && link.bottom > head.top;
            }"""
        )
        assert not covered
    header = page.locator("#caseload th").first.bounding_box()
    assert header is not None and abs(header["y"]) < 2, "the header stays at the top"
    # The sort links come between the filter's Apply and the first client, in column order.
    sort_links = [a for a in reached if "sort=" in a and a.startswith("/adviser?")]
    assert [link.split("sort=")[1].split("&")[0] for link in sort_links] == [
        "name",
        "next",
        "stage",
        "last-contact",
        "flags",
    ]


def test_the_caseload_on_a_phone(browser: Browser, live_server: LiveServer) -> None:
    _someone_needs_attention(live_server)
    page = _caseload_at(browser, live_server, PHONE)
    first = page.locator("#caseload tbody tr").first
    expect(first).to_be_visible()
    assert _no_sideways_scroll(page)
    # Each client is a block: its values one under another, each under its column's name.
    cell = first.locator("td").nth(1)
    label = cell.evaluate("e => getComputedStyle(e, '::before').content")
    assert "Next appointment" in label
    assert cell.evaluate("e => getComputedStyle(e).display") == "block"
    last_contact = first.locator("td").nth(3).bounding_box()
    assert last_contact is not None and last_contact["x"] + last_contact["width"] <= 390
    assert_accessible(page)
    page.screenshot(path=str(SCREENSHOTS / "caseload-390.png"), full_page=True)

    page.locator("#caseload thead").get_by_role("link", name="Next appointment").click()
    expect(page.locator("#caseload th[aria-sort=ascending]")).to_contain_text("Next appointment")
    assert _no_sideways_scroll(page)
    assert_accessible(page)

    _check_filter_matches_attention_list(page)
    assert _no_sideways_scroll(page)
    assert_accessible(page)
