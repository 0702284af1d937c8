"""Every line of the plan's history is plain words in the reader's language: never a stored
code ("book-requested", "state", "went-to-a-group", an ISO date), for every kind of change the
plan can record (models.ChangeAction), every field an edit can change, and every reader."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from typing import get_args

import pytest

from app.action_plans.forms import Progress
from app.action_plans.models import ChangeAction, Owner, PlanChange, StepState, StepStatus
from app.action_plans.service import EDITABLE
from app.core.i18n import use_language
from app.core.templating import get_templates

READERS = ("client", "supporter", "adviser")
# Values a change can hold for each edited field (what the service stores).
EDIT_VALUES: dict[str, list[tuple[str | None, str | None]]] = {
    "title": [("Old step", "New step")],
    "details": [("", "Some detail")],
    "owner": [
        (a.value, b.value) for a, b in zip(list(Owner), [*list(Owner)[1:], Owner.me], strict=False)
    ],
    "owner_name": [("", "Mam")],
    "status": [
        (a.value, b.value) for a, b in zip(list(StepStatus), list(StepStatus)[1:], strict=False)
    ],
    "when": [("no-rush", "2027-03-04"), ("2027-03-04", "no-rush")],
}
CODES = {
    *(a.value for a in ChangeAction),
    *(o.value for o in Owner if "-" in o.value),
    *(s.value for s in StepStatus if "-" in s.value),
    *get_args(Progress),
    *EDITABLE,
    "next_review_on",
    "no-rush",
}
# Codes that are not also plain English words ("added", "details" are): hyphens, underscores.
RAW = sorted(code for code in CODES if "-" in code or "_" in code)
ISO = re.compile(r"\d{4}-\d{2}-\d{2}")


def _change(
    *,
    action: ChangeAction,
    field: str | None = None,
    old_value: str | None = None,
    new_value: str | None = None,
) -> PlanChange:
    return PlanChange(
        plan_id=1,
        actor_role="client",
        action=action,
        field=field,
        old_value=old_value,
        new_value=new_value,
        changed_at=datetime(2027, 1, 5, 10, tzinfo=UTC),
    )


def every_change() -> list[PlanChange]:
    """One change of every kind the plan can record, with every value it can hold."""
    changes = []
    for action in ChangeAction:
        if action == ChangeAction.edited:
            for field in EDITABLE:
                for old, new in EDIT_VALUES[field]:
                    changes.append(
                        _change(action=action, field=field, old_value=old, new_value=new)
                    )
        elif action == ChangeAction.progress:
            changes += [_change(action=action, new_value=win) for win in get_args(Progress)]
        elif action == ChangeAction.review_date:
            changes.append(_change(action=action, field="next_review_on", new_value="2027-03-04"))
            changes.append(_change(action=action, field="next_review_on", old_value="2027-03-04"))
        elif action in (ChangeAction.accepted, ChangeAction.declined):
            changes.append(
                _change(
                    action=action,
                    field="state",
                    old_value=StepState.suggested,
                    new_value=StepState.active,
                )
            )
        else:
            changes.append(_change(action=action, field="title", new_value="Confidence course"))
    return changes


def words(change: PlanChange, reader: str, language: str) -> str:
    module = get_templates().env.get_template("plan/_change.html").make_module({})
    with use_language(language):
        return str(module.change_words(change, "Confidence course", reader, "Angharad")).strip()  # type: ignore[attr-defined]


def test_every_change_kind_is_walked() -> None:
    kinds = {change.action for change in every_change()}
    assert kinds == set(ChangeAction)
    assert len(every_change()) > len(ChangeAction) + len(EDITABLE)


@pytest.mark.parametrize("reader", READERS)
def test_every_history_line_is_plain_words_in_both_languages(reader: str) -> None:
    wrong = []
    for change in every_change():
        english, welsh = words(change, reader, "en"), words(change, reader, "cy")
        shown = f"{change.action}/{change.field}/{change.new_value}"
        for line in (english, welsh):
            raw = any(code in line for code in RAW) or ISO.search(line)
            if not line or raw or "state" in line or "→" in line:
                wrong.append(f"{shown}: {line!r}")
        if english == welsh:
            wrong.append(f"{shown}: no Welsh ({english!r})")
    assert wrong == [], "\n".join(wrong)


def test_history_line_example_words() -> None:
    requested = _change(action=ChangeAction.book_requested)
    assert words(requested, "client", "en") == "asked for “Confidence course” to be booked"
    win = _change(action=ChangeAction.progress, new_value="went-to-a-group")
    assert words(win, "client", "en") == "noted a small win: I went to a group"
    when = _change(action=ChangeAction.edited, field="when", new_value=date(2027, 3, 4).isoformat())
    assert "4 March 2027" in words(when, "client", "en")
