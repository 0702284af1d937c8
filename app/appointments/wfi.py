"""The six Work Focused Interviews of a mandatory client (PSI 2009, ch. 4): the first about
8 weeks after the claim, then five more about every 4 weeks. Voluntary clients have none.
No ESA interview schedule is given in the study, so none is invented here."""

from __future__ import annotations

from datetime import date, timedelta

FIRST_AFTER_CLAIM = timedelta(weeks=8)
INTERVAL = timedelta(weeks=4)
COUNT = 6


def proposed_dates(claim_date: date) -> list[date]:
    """Target dates for interviews 1 to 6, to be booked against real slots near each."""
    return [claim_date + FIRST_AFTER_CLAIM + INTERVAL * n for n in range(COUNT)]
