"""The six Work Focused Interviews of a mandatory client (PSI 2009, ch. 4): the first about
8 weeks after the claim, then five more about every 4 weeks. Voluntary clients have none.
No ESA interview schedule is given in the study, so none is invented here."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date, datetime, timedelta

FIRST_AFTER_CLAIM = timedelta(weeks=8)
INTERVAL = timedelta(weeks=4)
COUNT = 6
# Two interviews closer than this are unlike the "about every 4 weeks" of the programme: the
# adviser is told (not stopped: a client may ask for it), in case the number was a slip.
CLOSE_TOGETHER = timedelta(weeks=3)


def proposed_dates(
    claim_date: date, next_open_day: Callable[[date], date] = lambda day: day
) -> list[date]:
    """Target dates for interviews 1 to 6, to be booked against real slots near each; each
    moved to the office's next open day (`next_open_day`), never a weekend or bank holiday."""
    return [next_open_day(claim_date + FIRST_AFTER_CLAIM + INTERVAL * n) for n in range(COUNT)]


def next_number(taken: Iterable[int]) -> int | None:
    """The lowest interview number (1 to 6) not yet booked or held (`taken`), so an
    interview that was cancelled or missed is booked again under its own number; None when
    all six are booked or held."""
    used = set(taken)
    return next((n for n in range(1, COUNT + 1) if n not in used), None)


def too_close(
    this: tuple[int, datetime], others: Iterable[tuple[int, datetime]]
) -> tuple[int, datetime] | None:
    """The interview next to `this` in number (its number and start, as `others` give them:
    the client's other interviews booked or held) that is less than CLOSE_TOGETHER from it,
    or None. Interviews are about 4 weeks apart (PSI 2009, ch. 4)."""
    number, starts_at = this
    for other_number, other_start in others:
        if abs(other_number - number) == 1 and abs(other_start - starts_at) < CLOSE_TOGETHER:
            return other_number, other_start
    return None
