"""A caseload row is drawn once for what it shows, and drawn again whenever that changes."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

from markupsafe import Markup

from app.appointments.models import Appointment, AppointmentKind
from app.caseload.repository import CaseloadClient, CaseloadPerson
from app.caseload.row_markup import row_markup, rows_markup
from app.caseload.rows import CaseloadRow
from app.core.clock import frozen_now
from app.core.i18n import use_language
from app.people.models import ClaimantType, ClientStatus


def drawn(row: CaseloadRow) -> Markup:
    return rows_markup([row])


def _row(**changes: object) -> CaseloadRow:
    profile = CaseloadClient(
        id=7,
        user_id=70,
        adviser_id=1,
        claimant_type=ClaimantType.mandatory,
        status=ClientStatus.active,
        paused_until=None,
        in_work_since=None,
    )
    row = CaseloadRow(
        profile=profile, user=CaseloadPerson(id=70, full_name="Sam <Example>", preferred_name=None)
    )
    for name, value in changes.items():
        setattr(row, name, value)
    return row


def test_the_same_cells_reuse_the_row_already_drawn() -> None:
    first = row_markup(_row(), "en", date(2027, 1, 4))
    again = row_markup(_row(), "en", date(2027, 1, 4))
    assert first is again
    assert "Sam &lt;Example&gt;" in first  # still escaped


def test_every_cell_that_changes_draws_the_row_again() -> None:
    soon = datetime.now(UTC) + timedelta(days=3)
    with use_language("en"):
        plain = drawn(_row())
        with_flag = drawn(_row(flags=["attention"]))
        with_contact = drawn(_row(last_contact=soon - timedelta(days=10)))
        with_next = drawn(
            _row(
                next_appointment=Appointment(
                    client_id=7,
                    adviser_id=1,
                    kind=AppointmentKind.wfi,
                    starts_at=soon,
                    wfi_number=2,
                )
            )
        )
        renamed = drawn(
            _row(user=CaseloadPerson(id=70, full_name="Sam Other", preferred_name=None))
        )
    with use_language("cy"):
        welsh = drawn(_row())
    every = [plain, with_flag, with_contact, with_next, renamed, welsh]
    assert len(set(every)) == len(every)
    assert "needs attention" in with_flag and "needs attention" not in plain
    assert "WFI 2 of 6" in with_next
    assert "Sam Other" in renamed
    assert plain != welsh


def test_a_start_date_reads_as_ahead_until_the_day_comes() -> None:
    """The same row, kept from yesterday, must not still say "Starts work on" today."""
    start = date(2027, 3, 10)
    starting = _row(profile=replace(_row().profile, in_work_since=start))
    with use_language("en"):
        with frozen_now(datetime(2027, 3, 9, 12, tzinfo=UTC)):
            before = drawn(starting)
        with frozen_now(datetime(2027, 3, 10, 12, tzinfo=UTC)):
            on_the_day = drawn(starting)
    assert "Starts work on Wednesday 10 March" in before
    assert "In work since Wednesday 10 March" in on_the_day
