"""The caseload page: one row per client with next appointment, stage, last contact and flags,
filter and search, and a fixed number of queries however many clients there are."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta

from bs4 import Tag
from fastapi.testclient import TestClient
from sqlalchemy import event
from sqlmodel import Session

from app.appointments.availability import publish
from app.appointments.booking import book_slot
from app.appointments.models import AppointmentKind, AppointmentMode
from app.core.clock import london_today
from app.people.models import ClaimantType, ClientStatus
from tests.factories import make_adviser, make_client, sign_in_staff
from tests.html import parse


def _names(rows: Iterable[Tag]) -> list[str]:
    """The linked name in each caseload row."""
    names = []
    for row in rows:
        link = row.find("a")
        assert link is not None
        names.append(link.get_text())
    return names


def _fill(db: Session, adviser, count: int) -> None:  # type: ignore[no-untyped-def]
    day = london_today() + timedelta(days=10)
    for n in range(count):
        profile, _ = make_client(db, adviser, name=f"Client {n:03d}")
        assert profile.id is not None
        slot = publish(
            session=db,
            adviser_id=adviser.id,
            day=day + timedelta(days=n % 20),
            hour=10 + n % 6,
            minute=0,
            duration_minutes=60,
            mode=AppointmentMode.in_person,
            venue_id=None,
        )[0]
        book_slot(
            session=db,
            slot=slot,
            client_id=profile.id,
            kind=AppointmentKind.wfi,
            wfi_number=1 + n % 6,
            actor_user_id=None,
            actor_role="adviser",
        )


def _queries_for_caseload_page(client: TestClient, db: Session) -> int:
    statements: list[str] = []

    def count(_conn, _cursor, statement, *_args):  # type: ignore[no-untyped-def]
        statements.append(statement)

    engine = db.get_bind()
    event.listen(engine, "before_cursor_execute", count)
    try:
        assert client.get("/adviser").status_code == 200
    finally:
        event.remove(engine, "before_cursor_execute", count)
    return len([s for s in statements if not s.startswith(("SAVEPOINT", "RELEASE", "ROLLBACK"))])


def test_the_number_of_queries_does_not_grow_with_the_caseload(
    client: TestClient, db: Session
) -> None:
    adviser, user = make_adviser(db)
    _fill(db, adviser, 10)
    sign_in_staff(client, user)
    client.get("/adviser")  # warm: the session's last-seen time is written on the first page
    small = _queries_for_caseload_page(client, db)
    _fill(db, adviser, 140)
    large = _queries_for_caseload_page(client, db)
    assert large == small
    assert len(parse(client.get("/adviser").text).select("#caseload tbody tr")) == 150


def test_rows_show_stage_and_filters_and_search_narrow_them(
    client: TestClient, db: Session
) -> None:
    adviser, user = make_adviser(db)
    _fill(db, adviser, 3)
    paused, _ = make_client(db, adviser, name="Paula Paused")
    paused.status = ClientStatus.paused
    paused.paused_until = london_today() + timedelta(weeks=3)
    worker, _ = make_client(db, adviser, name="Wyn Worker", claimant_type=ClaimantType.voluntary)
    worker.in_work_since = london_today() - timedelta(days=4)
    db.add_all([paused, worker])
    db.flush()
    sign_in_staff(client, user)
    table = parse(client.get("/adviser").text).find(id="caseload")
    text = table.get_text(" ") if table else ""
    assert "WFI 1 of 6" in text and "Deferred until" in text and "In work since" in text
    paused_only = parse(client.get("/adviser?show=paused").text).select("#caseload tbody tr")
    assert _names(paused_only) == ["Paula Paused"]
    found = parse(client.get("/adviser?q=wyn").text).select("#caseload tbody tr")
    assert _names(found) == ["Wyn Worker"]
    # "No next contact" is a flag on the row of someone with nothing booked who is not in
    # work, but nothing about them is on the attention list, so the "Needs attention" filter
    # (which is that list) does not show them. Wyn is in work: nothing booked is expected.
    make_client(db, adviser, name="Nia Nothing")
    rows = [
        row.get_text(" ") for row in parse(client.get("/adviser").text).select("#caseload tbody tr")
    ]
    nia = next(text for text in rows if "Nia Nothing" in text)
    wyn = next(text for text in rows if "Wyn Worker" in text)
    assert "no next contact" in nia and "no next contact" not in wyn
    attention = parse(client.get("/adviser?show=attention").text).select("#caseload tbody tr")
    assert "Nia Nothing" not in _names(attention)
