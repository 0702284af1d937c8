"""The address a form's redirect goes to when it says what was just done ("2 times offered,
Cara has been told"). Its values are signed for the person who did it and expire: a banner
says only what happened, never what a typed or forwarded link claims (`?offered=999` once
showed "999 times offered"; a huge or non-ASCII number was a 500).

A reload within LIFETIME shows the banner again; after that, or for anyone else, the page
shows none."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import timedelta
from urllib.parse import urlencode

from starlette.datastructures import QueryParams

from app.core.clock import utcnow
from app.core.tokens import keyed_hash, same

SIGNATURE = "done"
SIGNED_AT = "at"
LIFETIME = timedelta(minutes=10)
_MAX_DIGITS = 9  # a count or a record id we wrote ourselves: never longer


def _signature(user_id: int, path: str, values: Mapping[str, str]) -> str:
    return keyed_hash("done-link", str(user_id), path, urlencode(sorted(values.items())))[:32]


def done_url(
    path: str, values: Mapping[str, str | int], *, user_id: int | None, anchor: str = ""
) -> str:
    """`path` with `values` as its query (plus when, and a signature for `user_id`, the person
    redirected), then `#anchor` if given: "/adviser/clients/4?offered=2&at=...&done=..."."""
    assert user_id is not None
    signed = {key: str(value) for key, value in values.items()}
    signed[SIGNED_AT] = str(int(utcnow().timestamp()))
    query = urlencode({**signed, SIGNATURE: _signature(user_id, path, signed)})
    return f"{path}?{query}" + (f"#{anchor}" if anchor else "")


def done_values(query: QueryParams, *, path: str, user_id: int | None) -> dict[str, str]:
    """The values of a done_url made for `user_id` at `path` in the last LIFETIME, without
    its time and signature; {} for anything else (no signature, a wrong or old one, a name
    given twice)."""
    items = query.multi_items()
    values = dict(items)
    if user_id is None or len(values) != len(items) or SIGNATURE not in values:
        return {}
    signature = values.pop(SIGNATURE)
    if not same(signature, _signature(user_id, path, values)):
        return {}
    at = whole_number(values.pop(SIGNED_AT, ""))
    age = utcnow().timestamp() - (at if at is not None else 0)
    return values if 0 <= age <= LIFETIME.total_seconds() else {}


def whole_number(raw: str) -> int | None:
    """`raw` as a whole number if it is plain ASCII digits (not "²" or "٣", which isdigit()
    accepts) and no longer than a count or a record id can be; else None."""
    if raw.isascii() and raw.isdigit() and len(raw) <= _MAX_DIGITS + 1:
        return int(raw)
    return None
