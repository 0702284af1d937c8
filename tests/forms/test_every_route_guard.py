"""The guard over every route: hostile and clumsy values in every address and every form field,
as anonymous, client and adviser. Never a 500, never JSON to a browser, nothing changed on a
refusal, and what the person typed is on the page again when a form comes back with errors.

The routes and their fields are read from the app itself (each form is a `FormModel`, found
through `posted()` on the route), so a new route or field is covered without editing this file.
Each request runs in a savepoint that is rolled back, so requests do not change what the next
one sees.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from fastapi.routing import APIRoute, iter_route_contexts
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from markupsafe import escape
from sqlmodel import Session

from app.core.forms import FormModel, form_model_of
from app.main import create_app
from tests.accounts.test_permission_table import may
from tests.accounts.world import (
    JSON_ROUTES,
    World,
    build_world,
    csrf_token,
    fill,
    form_for,
    sign_in_as,
    snapshot,
)

HOSTILE = [
    "",
    " ",
    "abc",
    "1.5",
    "-1",
    "99999999999999999999",
    "2026-02-30",
    "25:61",
    "²",  # a digit to str.isdigit(), not to int()
    "١٠:٠٠",  # Arabic-Indic digits
    "line\r\nbreak\x07\x1b[31m",
    "🙂👍🏽 مرحبا",
    "\u202eevil",
    "<script>alert(1)</script>",
    "x" * 5001,  # past every field's limit (100,000 characters: tests/forms/test_unreadable_input)
]
HOSTILE_IDS = [
    "0",
    "-1",
    "abc",
    "1.5",
    "²",
    "2147483648",
    "9223372036854775808",
    "%F0%9F%99%82",
]
VOICES = ("anonymous", "client", "adviser")
# Tables a refusal may write to by design: who has looked at a record (an adviser seeing a
# form's errors is seeing the record), sign-in attempts counted against guessing.
WRITTEN_ON_REFUSAL = {"audit_events", "sign_in_failures", "form_submissions"}


def _routes() -> list[tuple[str, APIRoute]]:
    found = []
    for context in iter_route_contexts(create_app().routes):
        if isinstance(context.route, APIRoute):
            assert context.path is not None
            for method in sorted(context.route.methods or ()):
                if method != "HEAD":
                    found.append((method, context.path, context.route))
    return [(f"{method} {path}", route) for method, path, route in found]


ROUTES = _routes()


def form_model(route: APIRoute) -> type[FormModel] | None:
    """The form class a route reads (through `posted()`), if it reads one."""
    return form_model_of(route)


def _voice_for(method: str, path: str) -> str:
    """Someone the route is for, so the handler itself meets the hostile values."""
    return next(
        (role for role in ("client", "adviser", "admin") if may(role, method, path)), "anonymous"
    )


def _send(
    client: TestClient,
    db: Session,
    method: str,
    url: str,
    data: Any,
    before: dict[str, list[tuple[Any, ...]]],
) -> tuple[Any, bool]:
    """One request in a savepoint that is rolled back: (the response, whether the database
    changed). `before` is the database as every request starts it (a snapshot taken once the
    person is signed in: each request's savepoint puts it back so). Were a request's changes
    ever to outlive its savepoint, the next request's `after` would differ from it and fail."""
    savepoint = db.begin_nested()
    cookies = list(client.cookies.jar)
    try:
        if method == "GET":
            response = client.get(url, follow_redirects=False)
        else:
            response = client.post(url, data=data, follow_redirects=False)
        after = snapshot(db)
    finally:
        savepoint.rollback()
        client.cookies.clear()
        for cookie in cookies:
            client.cookies.jar.set_cookie(cookie)
    changed = any(after[t] != before[t] for t in before if t not in WRITTEN_ON_REFUSAL)
    return response, changed


def _problems(
    response: Any, changed: bool, path: str, sent: dict[str, Any], model: type[FormModel] | None
) -> list[str]:
    problems = []
    status = response.status_code
    if status >= 500:
        problems.append(f"{status}")
    if "json" in response.headers.get("content-type", "") and path not in JSON_ROUTES:
        problems.append("JSON to a browser")
    if 400 <= status < 500 and changed:
        problems.append(f"{status} but the database changed")
    if status == 400 and model is not None and "govuk-error-summary" in response.text:
        problems.extend(_input_lost(response.text, sent, model))
    return problems


def _input_lost(page: str, sent: dict[str, Any], model: type[FormModel]) -> list[str]:
    """Text fields the person typed that are not on the page again."""
    lost = []
    for name, value in sent.items():
        info = model.model_fields.get(name)
        typed = info is not None and info.annotation is str and _bounded(info.metadata)
        if not typed or not isinstance(value, str):
            continue
        if "password" in name or name.startswith("original_") or not value.strip():
            continue
        if not value.isprintable():
            continue  # control characters: refused whole, not shown
        # Browsers send a textarea's line breaks as CRLF; shown again as typed or as LF.
        if str(escape(value)) not in page and str(escape(value.replace("\r\n", "\n"))) not in page:
            lost.append(f"{name!r} not kept")
    return lost


def _bounded(metadata: list[Any]) -> bool:
    """A text field someone types in: bounded by a length (a choice's value is not)."""
    return any(getattr(item, "max_length", None) for item in metadata)


def _base_form(path: str, world: World, model: type[FormModel]) -> dict[str, Any]:
    base = dict(form_for(path, world))
    for name in model.model_fields:
        base.setdefault(name, "")
    return base


@pytest.fixture
def world(db: Session) -> World:
    return build_world(db)


def _signed_in(client: TestClient, db: Session, world: World, voice: str) -> None:
    sign_in_as(client, db, world, voice)
    client.get("/")  # a CSRF cookie, as any first page gives


def test_every_form_route_reads_one_typed_form() -> None:
    """No handler reads raw form fields: a route that takes a form takes one `FormModel`."""
    raw = [key for key, route in ROUTES if route.dependant.body_params]
    assert raw == []  # (tests/forms/test_outside_pass_findings: no body read before the checks)
    with_forms = [key for key, route in ROUTES if form_model(route)]
    assert len(with_forms) >= 40


# Parsing a form does not depend on the database, and this sweep is the suite's longest test:
# it runs on SQLite only (the random walk and the id sweep run on both, and lengths and NUL
# characters are judged on both in tests/forms/test_unreadable_input.py).
@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
@pytest.mark.parametrize("key", [key for key, route in ROUTES if form_model(route)])
def test_every_field_of_every_form_refuses_hostile_values_kindly(
    key: str, client: TestClient, db: Session, world: World
) -> None:
    method, path = key.split(" ", 1)
    route = dict(ROUTES)[key]
    model = form_model(route)
    assert model is not None
    _signed_in(client, db, world, _voice_for(method, path))
    before = snapshot(db)
    url = fill(path, world)
    base = _base_form(path, world, model)
    wrong: list[str] = []
    for name in model.model_fields:
        tries: list[dict[str, Any]] = [{k: v for k, v in base.items() if k != name}]
        tries.append({**base, name: ["1", "<b>two</b>"]})  # the field twice
        tries.extend({**base, name: value} for value in HOSTILE)
        for data in tries:
            sent = {**data, "csrf_token": csrf_token(client)}
            response, changed = _send(client, db, method, url, sent, before)
            for problem in _problems(response, changed, path, data, model):
                wrong.append(f"{name}={str(data.get(name))[:30]!r}: {problem}")
    assert wrong == [], "\n".join(wrong[:40])


ID_PARAM = re.compile(r"\{(\w+_id)\}")


def _real_id(path: str, param: str, world: World) -> str:
    if param == "appointment_id" and path.endswith("/outcome"):
        return str(world.ids["past_appointment_id"])
    return str(world.ids[param])


def _other_spellings(real: str) -> list[str]:
    """A real record's id written another way ("17.0", "017", "+17", full-width digits): one
    record has one address, so none of these may answer with the page."""
    wide = "".join(chr(ord(c) - ord("0") + ord("\uff10")) for c in real)
    return [f"{real}.0", f"0{real}", f"+{real}", wide, f"{real}%20"]


@pytest.mark.parametrize("key", [key for key, _ in ROUTES if ID_PARAM.search(key)])
def test_every_address_with_an_id_refuses_impossible_ids_kindly(
    key: str, client: TestClient, db: Session, world: World
) -> None:
    method, path = key.split(" ", 1)
    wrong: list[str] = []
    for voice in VOICES:
        _signed_in(client, db, world, voice)
        before = snapshot(db)
        for param in ID_PARAM.findall(path):
            for value in [*HOSTILE_IDS, *_other_spellings(_real_id(path, param, world))]:
                url = fill(path.replace("{" + param + "}", value), world)
                data = {**form_for(path, world), "csrf_token": csrf_token(client)}
                response, changed = _send(client, db, method, url, data, before)
                for problem in _problems(response, changed, path, {}, None):
                    wrong.append(f"{voice} {param}={value}: {problem}")
                if response.status_code == 200:
                    wrong.append(f"{voice} {param}={value}: 200")
    assert wrong == [], "\n".join(wrong[:40])


field_values = st.one_of(
    st.sampled_from(HOSTILE),
    st.text(max_size=300),
    st.integers().map(str),
    st.lists(st.text(max_size=20), max_size=3),
)


@pytest.mark.parametrize("voice", VOICES)
@settings(
    max_examples=2,
    deadline=None,
    database=None,
    phases=[Phase.generate],  # no shrinking: a whole walk per example is too slow to shrink
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(values=st.data())
def test_random_values_in_every_form_as_anyone(
    voice: str, values: st.DataObject, client: TestClient, db: Session
) -> None:
    """Every form route at once, each field a value hypothesis chooses, as each kind of person."""
    savepoint = db.begin_nested()
    try:
        world = build_world(db)
        _signed_in(client, db, world, voice)
        before = snapshot(db)
        wrong: list[str] = []
        for key, route in ROUTES:
            model = form_model(route)
            if model is None:
                continue
            method, path = key.split(" ", 1)
            data = {name: values.draw(field_values, label=name) for name in model.model_fields}
            sent = {**data, "csrf_token": csrf_token(client)}
            response, changed = _send(client, db, method, fill(path, world), sent, before)
            for problem in _problems(response, changed, path, data, model):
                wrong.append(f"{key} {problem}")
        assert wrong == [], "\n".join(wrong[:40])
    finally:
        savepoint.rollback()
        client.cookies.clear()
