"""The Return to Work Credit rule and the checker's page order, without a browser or server."""

from __future__ import annotations

import pytest

from app.explainers import rtwc
from app.explainers.rtwc import Answers, Benefit, Hours, Outcome

BASE = rtwc.BASE_PATH

EVERY_COMBINATION = [
    (Benefit.yes, Hours.sixteen_or_more, Outcome.likely),
    (Benefit.yes, Hours.under_sixteen, Outcome.permitted_work),
    (Benefit.yes, Hours.not_sure, Outcome.ask_adviser),
    (Benefit.not_sure, Hours.sixteen_or_more, Outcome.ask_adviser),
    (Benefit.not_sure, Hours.under_sixteen, Outcome.permitted_work),
    (Benefit.not_sure, Hours.not_sure, Outcome.ask_adviser),
    (Benefit.no, Hours.sixteen_or_more, Outcome.unlikely),
    (Benefit.no, Hours.under_sixteen, Outcome.unlikely),
    (Benefit.no, Hours.not_sure, Outcome.unlikely),
]


@pytest.mark.parametrize(("benefit", "hours", "expected"), EVERY_COMBINATION)
def test_outcome_for_every_combination_of_answers(
    benefit: Benefit, hours: Hours, expected: Outcome
) -> None:
    assert rtwc.outcome(benefit=benefit, hours=hours) == expected


def test_every_combination_is_listed() -> None:
    assert len(EVERY_COMBINATION) == len(Benefit) * len(Hours)


def test_unknown_answers_count_as_unanswered() -> None:
    answers = Answers.from_query(benefit="perhaps", hours="40")
    assert answers == Answers()
    assert answers.first_unanswered() == "benefit"
    assert Answers(benefit=Benefit.yes).first_unanswered() == "hours"
    assert Answers(benefit=Benefit.no, hours=Hours.not_sure).first_unanswered() is None


def test_answers_travel_in_the_query_string() -> None:
    answers = Answers.from_query(benefit="not-sure", hours="under-16")
    assert answers.query() == "?benefit=not-sure&hours=under-16"
    assert answers.query(change="yes") == "?benefit=not-sure&hours=under-16&change=yes"
    assert Answers().query() == ""
    assert rtwc.url("hours", Answers(benefit=Benefit.yes)) == f"{BASE}/hours?benefit=yes"


def test_pages_follow_each_other_and_changing_returns_to_check_answers() -> None:
    both = Answers(benefit=Benefit.yes, hours=Hours.under_sixteen)
    first = Answers(benefit=Benefit.yes)
    assert rtwc.next_page("benefit", first, changing=False) == f"{BASE}/hours?benefit=yes"
    assert rtwc.next_page("hours", both, changing=False) == (
        f"{BASE}/check-your-answers?benefit=yes&hours=under-16"
    )
    assert rtwc.next_page("benefit", both, changing=True) == (
        f"{BASE}/check-your-answers?benefit=yes&hours=under-16"
    )
    # Changing an answer before the later one exists still asks the later one.
    assert rtwc.next_page("benefit", first, changing=True) == f"{BASE}/hours?benefit=yes"


def test_back_links() -> None:
    both = Answers(benefit=Benefit.no, hours=Hours.not_sure)
    assert rtwc.previous_page("benefit", Answers(), changing=False) == BASE
    assert rtwc.previous_page("hours", both, changing=False) == (
        f"{BASE}/benefit?benefit=no&hours=not-sure"
    )
    assert rtwc.previous_page("hours", both, changing=True) == (
        f"{BASE}/check-your-answers?benefit=no&hours=not-sure"
    )
