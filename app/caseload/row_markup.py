"""The caseload table's rows as HTML, each drawn once for what it shows.

An adviser loads the caseload page many times a morning, up to 150 rows at a time, and between
loads nearly every row reads the same. Drawing 150 rows through the template was most of the
page's time, so a row is drawn from plain values only — the language, today's date and its
own cells — and kept (functools.lru_cache) under exactly those values: any change to what a
row shows is a new key, so a kept row is never stale. Rows not shown for a while fall out.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from functools import lru_cache

from markupsafe import Markup

from app.caseload.rows import CaseloadRow
from app.core.clock import london_today
from app.core.i18n import current_language
from app.core.templating import get_templates

# Enough for a few dozen advisers' caseloads in both languages (a row is about 600 bytes).
KEPT_ROWS = 8192


def rows_markup(rows: Iterable[CaseloadRow]) -> Markup:
    """The rows' <tr>…</tr>, one after another, in the page's language as of today."""
    language, today = current_language(), london_today()
    return Markup("\n").join(row_markup(row, language, today) for row in rows)


def row_markup(row: CaseloadRow, language: str, today: date) -> Markup:
    """The row's <tr>…</tr> in `language` ("en" or "cy"), as of `today` (Europe/London): the
    request's language and today's date, or a row kept from another is shown."""
    stage, value = row.stage
    next_at = row.next_appointment.starts_at if row.next_appointment else None
    return _drawn(
        language,
        today,
        row.profile.id,
        row.user.full_name,
        next_at,
        stage,
        value,
        row.last_contact,
        tuple(row.flags),
    )


@lru_cache(maxsize=KEPT_ROWS)
def _drawn(
    language: str,
    today: date,
    client_id: int,
    name: str,
    next_at: datetime | None,
    stage: str,
    value: object,
    last_contact: datetime | None,
    flags: tuple[str, ...],
) -> Markup:
    # `language` is part of the key only: the template's words follow the request's language.
    template = get_templates().get_template("adviser/_caseload_row.html")
    html = template.render(
        client_id=client_id,
        name=name,
        next_at=next_at,
        stage=stage,
        value=value,
        today=today,
        last_contact=last_contact,
        flags=flags,
    )
    return Markup(html)  # noqa: S704 - the template escaped every value
