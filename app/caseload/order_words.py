"""What the adviser is told when a time would put a client's interviews out of order."""

from __future__ import annotations

from app.appointments.order import Window
from app.core.formatting import human_datetime
from app.core.i18n import gettext as _


def out_of_order_message(keeps_order: Window) -> str:
    """Why the time will not do, and what will: "Interview 2 of 6 must come after interview 1
    (Monday 1 June, 2pm) and before interview 3 (...)". Said as the booking form's error."""
    values = {"n": keeps_order.number}
    earlier, later = keeps_order.earlier, keeps_order.later
    if earlier is not None and later is not None:
        return _(
            "Interview %(n)s of 6 must come after interview %(a)s (%(a_when)s) and before interview %(b)s (%(b_when)s), so the interviews stay in order. Choose a time between them, or move interview %(b)s first."
        ) % {
            **values,
            "a": earlier.wfi_number,
            "a_when": human_datetime(earlier.starts_at),
            "b": later.wfi_number,
            "b_when": human_datetime(later.starts_at),
        }
    if earlier is not None:
        return _(
            "Interview %(n)s of 6 must come after interview %(a)s (%(a_when)s), so the interviews stay in order. Choose a later time."
        ) % {**values, "a": earlier.wfi_number, "a_when": human_datetime(earlier.starts_at)}
    assert later is not None
    return _(
        "Interview %(n)s of 6 must come before interview %(b)s (%(b_when)s), so the interviews stay in order. Choose an earlier time, or move interview %(b)s first."
    ) % {**values, "b": later.wfi_number, "b_when": human_datetime(later.starts_at)}
