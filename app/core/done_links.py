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
from starlette.requests import Request
from starlette.responses import RedirectResponse

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


def _viewer_id(request: Request) -> int | None:
    """The id of the person signed in on this request (set by the app-wide guard), if any."""
    user = getattr(getattr(request.state, "viewer", None), "user", None)
    user_id = getattr(user, "id", None)
    return user_id if isinstance(user_id, int) else None


def redirect_saying(
    request: Request, path: str, values: Mapping[str, str | int], *, anchor: str = ""
) -> RedirectResponse:
    """A 303 to `path` whose banner says `values`, signed for whoever is signed in on
    `request` (0 for nobody: a page anyone may see says only that the form was sent)."""
    url = done_url(path, values, user_id=_viewer_id(request) or 0, anchor=anchor)
    return RedirectResponse(url, status_code=303)


def said(request: Request) -> dict[str, str]:
    """What the redirect to this page says was just done (redirect_saying), for whoever is
    signed in now: {} for a typed, forwarded, old or someone else's address."""
    return done_values(
        request.query_params, path=request.url.path, user_id=_viewer_id(request) or 0
    )
