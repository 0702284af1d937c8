"""Every address that names a record, given an id that cannot be one (too big for the
database, not a whole number, zero or negative), answers with the kind "page not found":
HTML with the usual headers for a browser, never a 500 and never JSON."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from tests.accounts.test_permission_table import STREAMS, TABLE
from tests.accounts.world import build_world, csrf_token, every_route, fill, sign_in_as

HOSTILE = ["9223372036854775808", "99999999999999999999", "abc", "1.5", "0", "-1", "٣"]
WHO = {
    "client-read": "client",
    "client-ask": "client",
    "client-self": "client",
    "caseload": "adviser",
    "any-adviser": "adviser",
    "admin": "admin",
}
ID = re.compile(r"\{\w+_id\}")


def _routes_for(person: str) -> list[tuple[str, str]]:
    return [
        (method, path)
        for method, path in every_route()
        if ID.search(path) and WHO.get(TABLE[(method, path)]) == person and path not in STREAMS
    ]


@pytest.mark.parametrize("person", ["client", "adviser", "admin"])
def test_an_id_that_cannot_be_a_record_is_page_not_found(
    person: str, client: TestClient, db: Session
) -> None:
    world = build_world(db)
    sign_in_as(client, db, world, person)
    client.get("/")
    wrong = []
    routes = _routes_for(person)
    assert routes
    for method, path in routes:
        for value in HOSTILE:
            # The first id in the address is the hostile one; any others are real.
            url = fill(ID.sub(value, path, count=1), world)
            if method == "GET":
                response = client.get(url, follow_redirects=False)
            else:
                data = {"csrf_token": csrf_token(client)}
                response = client.post(url, data=data, follow_redirects=False)
            html = "text/html" in response.headers.get("content-type", "")
            if response.status_code != 404 or not html:
                wrong.append(f"{method} {path} with {value}: {response.status_code}")
    assert wrong == [], "\n".join(wrong)
