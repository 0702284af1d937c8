"""Return to Work Credit checker: the answers it asks for and the rule it applies. No words here:
every sentence a client reads is in the templates.

The rule (PSI 2009, §6.5.2): RTWC is for Pathways clients claiming an incapacity benefit who start
paid work of 16 hours or more a week. Under 16 hours, Permitted Work may suit instead (§5.4.2).
Anything the client is unsure of goes to their adviser, who can check what applies now.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import TypeVar
from urllib.parse import urlencode

BASE_PATH = "/explainers/return-to-work-credit/check"


class Benefit(StrEnum):
    yes = "yes"
    no = "no"
    not_sure = "not-sure"


class Hours(StrEnum):
    sixteen_or_more = "16-or-more"
    under_sixteen = "under-16"
    not_sure = "not-sure"


class Outcome(StrEnum):
    likely = "likely"
    permitted_work = "permitted-work"
    unlikely = "unlikely"
    ask_adviser = "ask-adviser"


# The questions in the order they are asked; each is one page at BASE_PATH/<question>.
QUESTIONS = ("benefit", "hours")


E = TypeVar("E", bound=StrEnum)


def _parse(kind: type[E], value: str | None) -> E | None:
    try:
        return kind(value) if value is not None else None
    except ValueError:
        return None


@dataclass(frozen=True)
class Answers:
    """What the client has answered so far, carried from page to page in the query string."""

    benefit: Benefit | None = None
    hours: Hours | None = None

    @classmethod
    def from_query(cls, *, benefit: str | None, hours: str | None) -> Answers:
        """Read answers from the query string; anything unrecognised counts as unanswered."""
        return cls(benefit=_parse(Benefit, benefit), hours=_parse(Hours, hours))

    def query(self, **extra: str) -> str:
        """The answers as a query string ('?benefit=yes&hours=under-16'), or '' when empty."""
        params = {name: str(getattr(self, name)) for name in QUESTIONS if getattr(self, name)}
        params.update(extra)
        return "?" + urlencode(params) if params else ""

    def first_unanswered(self) -> str | None:
        """The first question without an answer, if any."""
        return next((name for name in QUESTIONS if getattr(self, name) is None), None)


def url(page: str, answers: Answers, **extra: str) -> str:
    """The address of a checker page carrying the answers so far."""
    return f"{BASE_PATH}/{page}{answers.query(**extra)}"


def next_page(question: str, answers: Answers, *, changing: bool) -> str:
    """Where to go after answering a question: the next unanswered one, else check answers."""
    following = QUESTIONS[QUESTIONS.index(question) + 1 :]
    if following and not changing:
        return url(following[0], answers)
    missing = answers.first_unanswered()
    return url(missing, answers) if missing else url("check-your-answers", answers)


def previous_page(question: str, answers: Answers, *, changing: bool) -> str:
    """The back link of a question page."""
    if changing:
        return url("check-your-answers", answers)
    position = QUESTIONS.index(question)
    return url(QUESTIONS[position - 1], answers) if position else BASE_PATH + answers.query()


def outcome(*, benefit: Benefit, hours: Hours) -> Outcome:
    """Whether RTWC is likely to apply, from the two answers."""
    if benefit == Benefit.no:
        return Outcome.unlikely
    if hours == Hours.under_sixteen:
        return Outcome.permitted_work
    if benefit == Benefit.not_sure or hours == Hours.not_sure:
        return Outcome.ask_adviser
    return Outcome.likely
