"""An address with a slash too many or too few goes to the page it meant by a path alone: the
Host header a request came with never becomes part of our answer."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

HTML = {"accept": "text/html", "host": "evil.example"}


@pytest.mark.parametrize(
    ("asked", "sent_to"),
    [
        ("/assets", "/assets/"),
        ("/adviser/", "/adviser"),
        ("/plan/", "/plan"),
        ("/home/?tab=1&x=%3Cb%3E", "/home?tab=1&x=%3Cb%3E"),
        ("/adviser/clients/5/", "/adviser/clients/5"),
    ],
)
def test_a_slash_too_many_or_few_redirects_by_path_alone(
    client: TestClient, asked: str, sent_to: str
) -> None:
    answer = client.get(asked, headers=HTML, follow_redirects=False)
    assert answer.status_code == 307
    assert answer.headers["location"] == sent_to
    assert "evil" not in answer.text


@pytest.mark.parametrize("asked", ["/nothing-here/", "/nothing-here", "/adviser/clients/"])
def test_an_address_with_no_page_either_way_is_not_found(client: TestClient, asked: str) -> None:
    answer = client.get(asked, headers=HTML, follow_redirects=False)
    assert answer.status_code == 404 and "location" not in answer.headers


def test_a_form_posted_to_the_wrong_address_is_not_sent_on(client: TestClient) -> None:
    answer = client.post("/plan/progress/", headers=HTML, follow_redirects=False)
    assert answer.status_code in {403, 404} and "location" not in answer.headers
