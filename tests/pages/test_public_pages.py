"""Start, urgent help, about and offline pages, in English and Welsh."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from tests.html import heading, parse, text

PAGES = ["/", "/urgent-help", "/about", "/offline"]


@pytest.mark.parametrize("path", PAGES)
def test_every_page_links_to_urgent_help_and_has_a_skip_link(client: TestClient, path: str) -> None:
    page = parse(client.get(path).text)
    footer = page.find("footer")
    assert footer is not None
    assert footer.find("a", href="/urgent-help") is not None
    skip = page.find("a", class_="govuk-skip-link")
    assert skip is not None and skip["href"] == "#main-content"
    assert page.find(id="main-content") is not None


def test_urgent_help_lists_999_nhs_111_option_2_and_samaritans(client: TestClient) -> None:
    response = client.get("/urgent-help")
    assert response.status_code == 200
    body = text(response.text)
    assert "Call 999" in body
    assert "NHS 111 and choose option 2" in body
    assert "116 123" in body
    links = {a["href"] for a in parse(response.text).find_all("a")}
    assert {"tel:999", "tel:111", "tel:116123"} <= links


def test_about_says_what_it_is_not_and_where_details_came_from(client: TestClient) -> None:
    body = text(client.get("/about").text)
    assert "No one can make you take a job through this app" in body
    assert "Where your details came from" in body


def test_welsh_is_chosen_by_the_language_link_and_remembered(client: TestClient) -> None:
    response = client.get("/language/cy?next=/about", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/about"
    assert "lang=cy" in response.headers["set-cookie"]
    page = client.get("/about")
    assert parse(page.text).html["lang"] == "cy"  # type: ignore[index]
    assert page.headers["content-language"] == "cy"
    assert heading(page.text) == "Ynglŷn â'r gwasanaeth hwn"
    switch = parse(page.text).find("a", hreflang="en")
    assert switch is not None and switch.get_text(strip=True) == "English"


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/", "/\\evil.example"])
def test_language_switch_never_redirects_off_site(client: TestClient, target: str) -> None:
    response = client.get("/language/cy", params={"next": target}, follow_redirects=False)
    assert response.headers["location"] == "/"


def test_offline_page_can_be_fetched_in_each_language(client: TestClient) -> None:
    assert parse(client.get("/offline?lang=cy").text).html["lang"] == "cy"  # type: ignore[index]
    assert parse(client.get("/offline?lang=en").text).html["lang"] == "en"  # type: ignore[index]


def test_only_pages_drawn_at_their_own_address_load_again_after_an_offline_change(
    client: TestClient,
) -> None:
    # "Waiting to send" stands at the address a form posted to: loading that again would not
    # show it (or would be a 405), so it does not take part.
    offline = parse(client.get("/offline?lang=en").text).find(id="change-status")
    waiting = parse(client.get("/offline/waiting?lang=en").text).find(id="change-status")
    assert offline is not None and offline.has_attr("data-redraw")
    assert waiting is not None and not waiting.has_attr("data-redraw")
    assert waiting["data-latest-link"] == "See the latest"


def test_unknown_page_is_a_kind_404(client: TestClient) -> None:
    response = client.get("/no-such-page", headers={"accept": "text/html"})
    assert response.status_code == 404
    assert heading(response.text) == "Page not found"


def test_security_headers_on_every_response(client: TestClient) -> None:
    headers = client.get("/").headers
    csp = headers["content-security-policy"]
    assert "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["referrer-policy"] == "same-origin"
    assert "camera=()" in headers["permissions-policy"]
    assert "strict-transport-security" not in headers  # only in production


def test_pages_have_no_inline_scripts_or_styles(client: TestClient) -> None:
    for path in PAGES:
        page = parse(client.get(path).text)
        assert all(script.get("src") for script in page.find_all("script"))
        assert page.find("style") is None
        assert not page.find_all(style=True)


def test_start_page_has_a_start_button_for_clients_and_a_quieter_link_for_staff(
    client: TestClient,
) -> None:
    page = parse(client.get("/").text)
    main = page.find("main")
    assert main is not None
    start = main.find("a", class_="govuk-button--start")
    assert start is not None and start["href"] == "/sign-in"
    assert start.get_text(" ", strip=True) == "Start now"
    staff = main.find("a", href="/adviser/sign-in")
    assert staff is not None and "govuk-button" not in str(staff.get("class"))
    assert staff.get_text(strip=True) == "Sign in as an adviser"


def test_start_page_start_button_in_welsh(client: TestClient) -> None:
    client.get("/language/cy?next=/")
    start = parse(client.get("/").text).find("a", class_="govuk-button--start")
    assert start is not None and start.get_text(" ", strip=True) == "Dechrau nawr"
