"""The language cookie is read however untidy the rest of the Cookie header is (issue #21).

Browsers send cookies other sites' scripts or old versions of this app set; one malformed pair
must not make a Welsh speaker's pages turn English.
"""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse
from starlette.routing import Route

from app.core import i18n
from app.core.language import LanguageMiddleware
from tests.html import heading

# Each of these made http.cookies.SimpleCookie give up on the whole header.
MALFORMED_WITH_WELSH = [
    "weird=a b; lang=cy",  # the example in the issue: a space in a value
    'tracker="unclosed; lang=cy',  # a quote never closed
    "bad[name]=1; lang=cy",  # characters a cookie name may not have
    "flag; lang=cy",  # a pair with no "="
    "x=é; lang=cy",  # a character outside ASCII
    "lang=cy; weird=a b",  # the malformed pair after ours
]


def _language_app() -> TestClient:
    """A bare app behind the middleware that answers with the language it was given."""

    def which(_request: Request) -> PlainTextResponse:
        return PlainTextResponse(i18n.current_language())

    app = Starlette(routes=[Route("/", which)])
    return TestClient(LanguageMiddleware(app))


@pytest.mark.parametrize("header", MALFORMED_WITH_WELSH)
def test_welsh_is_kept_beside_a_malformed_cookie(header: str) -> None:
    # As bytes: a browser may send bytes outside ASCII, which httpx will not encode from str.
    response = _language_app().get("/", headers={"cookie": header.encode()})
    assert response.text == "cy"
    assert response.headers["content-language"] == "cy"


@pytest.mark.parametrize("header", ["", "weird=a b", "lang=xx; weird=a b", "lang="])
def test_english_when_no_usable_language_is_sent(header: str) -> None:
    response = _language_app().get("/", headers={"cookie": header})
    assert response.text == "en"


def test_a_real_page_is_welsh_with_the_header_from_the_issue(client: TestClient) -> None:
    page = client.get("/about", headers={"cookie": "weird=a b; lang=cy"})
    assert page.status_code == 200
    assert heading(page.text) == "Ynglŷn â'r gwasanaeth hwn"
