"""The caseload's "Needs attention" filter is the attention list (one source, so they never
disagree), and the table sorts by any column through links alone, keeping search and filter."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

from bs4 import BeautifulSoup
from fastapi.testclient import TestClient
from sqlmodel import Session

from app.action_plans.models import PlanStep
from app.action_plans.service import plan_for
from app.appointments.models import AppointmentStatus, HelpKind, HelpRequest
from app.core.clock import london_today, utcnow
from app.people.models import AdviserTask, ClaimantType, ClientStatus
from app.rescheduling.models import RequestKind, RescheduleRequest
from tests.factories import make_adviser, make_appointment, make_client, make_slot, sign_in_staff
from tests.html import parse


def _names(page: BeautifulSoup) -> list[str]:
    """The client names down the caseload table, in order."""
    return [row.select_one("a").get_text() for row in page.select("#caseload tbody tr")]  # type: ignore[union-attr]


def _on_attention_list(page: BeautifulSoup) -> set[str]:
    """Every client named on the attention list."""
    block = page.find(id="attention")
    return {link.get_text() for link in block.select("a")} if block else set()


def _booked(db: Session, adviser, profile, days: int):  # type: ignore[no-untyped-def]
    slot = make_slot(db, adviser, utcnow().replace(microsecond=0) + timedelta(days=days))
    return make_appointment(db, profile, slot)


def test_the_needs_attention_filter_lists_exactly_the_clients_on_the_attention_list(
    client: TestClient, db: Session
) -> None:
    adviser, user = make_adviser(db)
    request, _ = make_client(db, adviser, name="Rhian Request")
    assert request.id is not None
    db.add(RescheduleRequest(client_id=request.id, kind=RequestKind.not_well))
    helped, _ = make_client(db, adviser, name="Hana Help")
    appointment = _booked(db, adviser, helped, 5)
    db.add(HelpRequest(appointment_id=appointment.id, kind=HelpKind.interpreter, detail="Polish"))
    review, _ = make_client(db, adviser, name="Rhod Review")
    review.status, review.paused_until = ClientStatus.paused, london_today()
    tasked, _ = make_client(db, adviser, name="Tomos Task")
    assert tasked.id is not None
    db.add(AdviserTask(adviser_id=adviser.id, client_id=tasked.id, kind="call-me"))
    booker, _ = make_client(db, adviser, name="Beca Book")
    assert booker.id is not None
    plan = plan_for(session=db, client_id=booker.id)
    assert plan.id is not None
    db.add(PlanStep(plan_id=plan.id, title="A cooking course", book_for_me=True))
    missed, _ = make_client(db, adviser, name="Mo Missed")
    gone = _booked(db, adviser, missed, -3)
    gone.status = AppointmentStatus.missed
    calm, _ = make_client(db, adviser, name="Nia Nothing")
    _booked(db, adviser, calm, 9)
    make_client(db, adviser, name="Wyn Without")  # no next contact, but nothing asked for
    db.add_all([review, gone])
    db.flush()
    sign_in_staff(client, user)

    listed = _on_attention_list(parse(client.get("/adviser").text))
    filtered = parse(client.get("/adviser?show=attention").text)
    expected = {"Rhian Request", "Hana Help", "Rhod Review", "Tomos Task", "Beca Book", "Mo Missed"}
    assert listed == expected
    assert set(_names(filtered)) == listed
    assert len(_names(filtered)) == len(listed)  # each client once, however many items
    # The flag says the same thing on the full table.
    everyone = parse(client.get("/adviser").text).select("#caseload tbody tr")
    flagged = set(
        _names(
            parse(
                "<table id=caseload><tbody>"
                + "".join(str(row) for row in everyone if "needs attention" in row.get_text())
                + "</tbody></table>"
            )
        )
    )
    assert flagged == listed


def _sorting_caseload(db: Session):  # type: ignore[no-untyped-def]
    adviser, user = make_adviser(db)
    for name, days in (("Cai Carter", 9), ("Alys Adams", 20), ("Bryn Bowen", 3)):
        profile, _ = make_client(db, adviser, name=name)
        _booked(db, adviser, profile, days)
    make_client(db, adviser, name="Dilys Davies", claimant_type=ClaimantType.voluntary)
    return user


def test_columns_sort_both_ways_with_empty_values_last(client: TestClient, db: Session) -> None:
    sign_in_staff(client, _sorting_caseload(db))
    page = parse(client.get("/adviser").text)
    assert _names(page) == ["Alys Adams", "Bryn Bowen", "Cai Carter", "Dilys Davies"]
    name_header = page.select_one("#caseload th[aria-sort=ascending]")
    assert name_header is not None and "Name" in name_header.get_text()
    assert len(page.select("#caseload th[aria-sort=none]")) == 4

    page = parse(client.get("/adviser?sort=name&order=desc").text)
    assert _names(page) == ["Dilys Davies", "Cai Carter", "Bryn Bowen", "Alys Adams"]
    assert "Name" in page.select_one("#caseload th[aria-sort=descending]").get_text()  # type: ignore[union-attr]

    page = parse(client.get("/adviser?sort=next&order=asc").text)
    assert _names(page) == ["Bryn Bowen", "Cai Carter", "Alys Adams", "Dilys Davies"]
    header = page.select_one("#caseload th[aria-sort=ascending]")
    assert header is not None and "Next appointment" in header.get_text()
    page = parse(client.get("/adviser?sort=next&order=desc").text)
    assert _names(page) == ["Alys Adams", "Cai Carter", "Bryn Bowen", "Dilys Davies"]


def test_header_links_sort_and_keep_the_search_and_filter(client: TestClient, db: Session) -> None:
    sign_in_staff(client, _sorting_caseload(db))
    page = parse(client.get("/adviser?show=mandatory&q=a&sort=next&order=asc").text)
    links = {
        a.get_text(): parse_qs(urlsplit(str(a["href"])).query)
        for a in page.select("#caseload thead a")
    }
    # The sorted column's link turns the order round; the others start from the top.
    assert links["Next appointment▲"] == {
        "q": ["a"],
        "show": ["mandatory"],
        "sort": ["next"],
        "order": ["desc"],
    }
    assert links["Name"]["order"] == ["asc"] and links["Name"]["show"] == ["mandatory"]
    assert links["Flags"]["order"] == ["desc"]  # most flags first is the useful way round
    # The search form carries the order, so applying a filter keeps it.
    form = page.select_one("form[method=get]")
    assert form is not None
    assert form.select_one("input[name=sort]")["value"] == "next"  # type: ignore[index]
    assert form.select_one("input[name=order]")["value"] == "asc"  # type: ignore[index]
    # Filter and sort together: mandatory clients only, by name, Z to A.
    page = parse(client.get("/adviser?show=mandatory&sort=name&order=desc").text)
    assert _names(page) == ["Cai Carter", "Bryn Bowen", "Alys Adams"]


def test_unknown_sort_or_order_falls_back_to_by_name(client: TestClient, db: Session) -> None:
    sign_in_staff(client, _sorting_caseload(db))
    for query in ("sort=shoe-size", "sort=name&order=sideways", "sort=&order=", "sort=%00"):
        response = client.get(f"/adviser?{query}")
        assert response.status_code == 200, query
        page = parse(response.text)
        assert _names(page) == ["Alys Adams", "Bryn Bowen", "Cai Carter", "Dilys Davies"]
        assert "Name" in page.select_one("#caseload th[aria-sort=ascending]").get_text()  # type: ignore[union-attr]
