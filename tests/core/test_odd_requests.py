"""Requests a person (or a checker) can send that used to get a 500 or a 405: asset addresses
that cannot name a file, and HEAD."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient


@pytest.mark.parametrize(
    "path",
    [
        "/assets/%00",
        "/assets/app.css%00.js",
        "/assets/" + "a" * 300,
        "/assets/" + "a/" * 3000,
        "/assets/../../etc/passwd",
        "/assets/%2e%2e/%2e%2e/etc/passwd",
    ],
)
def test_an_asset_address_that_names_no_file_is_not_found(client: TestClient, path: str) -> None:
    answer = client.get(path)
    assert answer.status_code == 404


def test_a_built_asset_is_still_served(client: TestClient) -> None:
    from app.core.assets import asset_url

    answer = client.get(asset_url("app.css"))
    assert answer.status_code == 200 and answer.headers["content-type"].startswith("text/css")


@pytest.mark.parametrize("path", ["/", "/healthz", "/sign-in", "/sw.js"])
def test_head_answers_as_get_without_a_body(client: TestClient, path: str) -> None:
    got = client.get(path, headers={"accept-encoding": "identity"})
    head = client.head(path, headers={"accept-encoding": "identity"})
    assert head.status_code == got.status_code == 200
    assert head.content == b""
    assert head.headers["content-type"] == got.headers["content-type"]
    assert head.headers.get("content-security-policy") == got.headers.get("content-security-policy")
