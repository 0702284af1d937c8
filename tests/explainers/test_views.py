"""Explainer pages, contents, search, services and stories, in English and Welsh."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from app.explainers import content, services
from tests.html import heading, parse, text

HTML = {"accept": "text/html"}
SLUGS = list(content.explainers("en"))
GROUP_TITLES = {
    "en": ["Your appointments", "Before work", "Starting work", "In work", "Health and support"],
    "cy": [
        "Eich apwyntiadau",
        "Cyn gweithio",
        "Dechrau gweithio",
        "Mewn gwaith",
        "Iechyd a chymorth",
    ],
}


def _welsh(client: TestClient) -> None:
    client.get("/language/cy?next=/")


def _use(client: TestClient, language: str) -> None:
    if language == "cy":
        _welsh(client)


@pytest.mark.parametrize("language", ["en", "cy"])
def test_contents_page_groups_every_explainer(client: TestClient, language: str) -> None:
    _use(client, language)
    response = client.get("/explainers", headers=HTML)
    assert response.status_code == 200
    page = parse(response.text)
    assert page.html["lang"] == language  # type: ignore[index]
    groups = [h2.get_text(strip=True) for h2 in page.find_all("h2")]
    assert groups[:5] == GROUP_TITLES[language]
    for slug, item in content.explainers(language).items():
        link = page.find("a", href=f"/explainers/{slug}")
        assert link is not None and link.get_text(strip=True) == item.title
    assert page.find("form", action="/explainers/search") is not None
    assert page.find("a", href="/explainers/return-to-work-credit/check") is not None


@pytest.mark.parametrize("language", ["en", "cy"])
@pytest.mark.parametrize("slug", SLUGS)
def test_every_explainer_page_shows_sources_review_date_and_related(
    client: TestClient, slug: str, language: str
) -> None:
    _use(client, language)
    item = content.explainers(language)[slug]
    response = client.get(f"/explainers/{slug}", headers=HTML)
    assert response.status_code == 200
    page = parse(response.text)
    assert heading(response.text) == item.title
    body = text(response.text)
    for source in item.sources:
        assert source in body
    reviewed = page.find("time")
    assert reviewed is not None and reviewed["datetime"] == item.last_reviewed.isoformat()
    for related in item.related:
        link = page.find("a", href=f"/explainers/{related}")
        assert link is not None
        assert link.get_text(strip=True) == content.explainers(language)[related].title
    assert page.find(class_="govuk-inset-text") is not None
    assert all(script.get("src") for script in page.find_all("script"))
    assert not page.select("[style]")


def test_explainer_page_in_english_says_the_rules_and_how_to_print(client: TestClient) -> None:
    response = client.get("/explainers/permitted-work", headers=HTML)
    body = text(response.text)
    assert "Last reviewed 23 November 2026" in body
    assert (
        "This page describes the programme's rules. Your adviser can check what applies to you now."
        in body
    )
    assert "Print this page" in body
    assert "under 16 hours" in body


def test_explainer_page_in_welsh(client: TestClient) -> None:
    _welsh(client)
    body = text(client.get("/explainers/return-to-work-credit", headers=HTML).text)
    assert "Adolygwyd ddiwethaf 23 Tachwedd 2026" in body
    assert "Gall eich cynghorydd wirio beth sy'n berthnasol i chi nawr" in body
    assert "Credyd Dychwelyd i'r Gwaith" in body


def test_return_to_work_credit_page_links_to_the_checker(client: TestClient) -> None:
    page = parse(client.get("/explainers/return-to-work-credit", headers=HTML).text)
    assert page.find("a", href="/explainers/return-to-work-credit/check") is not None


@pytest.mark.parametrize("path", ["/explainers/no-such-thing", "/stories/no-such-story"])
def test_unknown_pages_are_a_kind_404(client: TestClient, path: str) -> None:
    response = client.get(path, headers=HTML)
    assert response.status_code == 404
    assert heading(response.text) == "Page not found"


def test_footer_links_to_explainers_and_services(client: TestClient) -> None:
    footer = parse(client.get("/", headers=HTML).text).find("footer")
    assert footer is not None
    assert footer.find("a", href="/explainers") is not None
    assert footer.find("a", href="/services") is not None


def test_search_in_english(client: TestClient) -> None:
    response = client.get("/explainers/search", params={"q": "permitted work"}, headers=HTML)
    assert response.status_code == 200
    page = parse(response.text)
    results = [a["href"] for a in page.select("main ul.govuk-list li a")]
    assert results[0] == "/explainers/permitted-work"
    assert page.find("input", attrs={"name": "q"})["value"] == "permitted work"  # type: ignore[index]
    assert "Pages about ‘permitted work’" in text(response.text)


def test_search_in_welsh(client: TestClient) -> None:
    _welsh(client)
    response = client.get("/explainers/search", params={"q": "Gwaith a Ganiateir"}, headers=HTML)
    page = parse(response.text)
    first = page.select("main ul.govuk-list li a")[0]
    assert first["href"] == "/explainers/permitted-work"
    assert first.get_text(strip=True) == "Gwaith a Ganiateir"


def test_search_with_no_words_or_no_results_is_kind(client: TestClient) -> None:
    empty = text(client.get("/explainers/search", headers=HTML).text)
    assert "Type a word or two about what you would like to know." in empty
    nothing = client.get("/explainers/search", params={"q": "xylophone"}, headers=HTML)
    assert nothing.status_code == 200
    body = text(nothing.text)
    assert "No pages about ‘xylophone’ yet" in body
    assert "You can also ask your adviser. No question is too small." in body


def test_search_words_are_escaped(client: TestClient) -> None:
    response = client.get("/explainers/search", params={"q": "<b>money</b>"}, headers=HTML)
    assert "<b>money</b>" not in response.text
    assert "&lt;b&gt;money&lt;/b&gt;" in response.text


def _service_names(html: str) -> list[str]:
    return [h3.get_text(strip=True) for h3 in parse(html).find_all("h3")]


def test_services_page_lists_every_service_with_phone_and_hours(client: TestClient) -> None:
    response = client.get("/services", headers=HTML)
    assert response.status_code == 200
    page = parse(response.text)
    assert sorted(_service_names(response.text)) == sorted(
        service.name("en") for service in services.all_services()
    )
    assert page.find("a", href="tel:116123") is not None
    assert page.find("a", href="tel:01134960123") is not None
    assert "Monday to Thursday, 10am to 7pm" in text(response.text)
    assert page.find("input", id="category")["checked"] is not None  # type: ignore[index]


def test_services_filter_by_category_and_area_keeps_national_lines(client: TestClient) -> None:
    response = client.get(
        "/services", params={"category": "peer-support", "area": "Northfield"}, headers=HTML
    )
    names = _service_names(response.text)
    assert names == ["Northfield Steps Peer Mentoring (example)", "Samaritans"]
    page = parse(response.text)
    assert page.find("input", id="category-peer-support").has_attr("checked")  # type: ignore[union-attr]
    checked_area = page.find("input", attrs={"name": "area", "checked": True})
    assert checked_area is not None and checked_area["value"] == "Northfield"


def test_services_filter_by_area_shows_only_that_area_and_national(client: TestClient) -> None:
    names = _service_names(client.get("/services?area=Riverside", headers=HTML).text)
    local = [s for s in services.all_services() if s.area == "Riverside"]
    national = [s for s in services.all_services() if s.national]
    assert names == [s.name("en") for s in local + national]


def test_services_with_no_local_match_say_so_kindly(client: TestClient) -> None:
    response = client.get("/services?category=housing&area=Riverside", headers=HTML)
    assert _service_names(response.text) == []
    assert "There are no local services of this type in this area yet" in text(response.text)


def test_services_ignore_unknown_filters(client: TestClient) -> None:
    response = client.get("/services?category=astrology&area=Atlantis", headers=HTML)
    assert response.status_code == 200
    assert len(_service_names(response.text)) == len(services.all_services())


def test_services_in_welsh(client: TestClient) -> None:
    _welsh(client)
    response = client.get("/services?category=counselling", headers=HTML)
    body = text(response.text)
    assert "Cwnsela Cymunedol Glan-yr-afon (enghraifft)" in _service_names(response.text)
    # The area filter and the card name the place in Welsh too (the venue is "Glan-yr-afon").
    assert "Riverside" not in response.text.replace('value="Riverside"', "").replace(
        "area=Riverside", ""
    )
    assert "Dydd Llun i ddydd Iau, 10:00 tan 19:00" in body
    assert heading(response.text) == "Dod o hyd i wasanaethau cymorth"


@pytest.mark.parametrize("language", ["en", "cy"])
def test_stories_list_and_pages(client: TestClient, language: str) -> None:
    _use(client, language)
    listing = parse(client.get("/stories", headers=HTML).text)
    for slug, story in content.stories(language).items():
        link = listing.find("a", href=f"/stories/{slug}")
        assert link is not None and link.get_text(strip=True) == story.title
        page = client.get(f"/stories/{slug}", headers=HTML)
        assert page.status_code == 200
        assert heading(page.text) == story.title
        assert parse(page.text).find("em") is not None  # "names have been changed"


def test_a_printed_explainer_keeps_the_urgent_help_numbers(client: TestClient) -> None:
    page = parse(client.get("/explainers/permitted-work", headers=HTML).text)
    numbers = page.select_one("footer #help-now-numbers-print")
    assert numbers is not None and "app-print-only" in str(numbers.get("class"))
    words = " ".join(numbers.get_text(" ").split())
    assert "999" in words and "NHS 111 and choose option 2" in words and "116 123" in words
