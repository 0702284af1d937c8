"""The checker's pages: one question a page, errors in a summary, answers kept, every result."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from httpx import Response

from app.explainers.rtwc import BASE_PATH as BASE
from tests.html import heading, parse, text

HTML = {"accept": "text/html"}
RESULT_HEADINGS = {
    "likely": "Return to Work Credit is likely to apply to you",
    "permitted-work": "Permitted Work might suit you",
    "unlikely": "Return to Work Credit is not likely to apply to you",
    "ask-adviser": "Your adviser can check if Return to Work Credit applies to you",
}


def _get(client: TestClient, url: str, **params: str) -> Response:
    response: Response = client.get(url, params=params, headers=HTML, follow_redirects=False)
    return response


def _back_link(html: str) -> str:
    link = parse(html).find("a", class_="govuk-back-link")
    assert link is not None
    return str(link["href"])


def _hidden(html: str) -> dict[str, str]:
    return {
        str(field["name"]): str(field["value"])
        for field in parse(html).find_all("input", type="hidden")
    }


def _checked(html: str, name: str) -> str | None:
    field = parse(html).find("input", attrs={"name": name, "checked": True})
    return str(field["value"]) if field else None


def test_start_page_says_nothing_is_saved_and_links_to_the_first_question(
    client: TestClient,
) -> None:
    response = _get(client, BASE)
    assert response.status_code == 200
    assert heading(response.text) == "Check if Return to Work Credit might apply to you"
    assert "Nothing you choose is saved or sent to anyone" in text(response.text)
    start = parse(response.text).find("a", class_="govuk-button--start")
    assert start is not None and start["href"] == f"{BASE}/benefit"
    assert _back_link(response.text) == "/explainers/return-to-work-credit"


def test_first_question_is_a_get_form_with_no_error(client: TestClient) -> None:
    response = _get(client, f"{BASE}/benefit")
    assert response.status_code == 200
    assert heading(response.text) == "Do you get a benefit because of your health?"
    form = parse(response.text).find("form", action=f"{BASE}/benefit")
    assert form is not None and form["method"] == "get"
    assert parse(response.text).find(class_="govuk-error-summary") is None
    assert _hidden(response.text) == {"submitted": "yes"}
    assert _checked(response.text, "benefit") is None
    assert _back_link(response.text) == BASE


@pytest.mark.parametrize("value", [None, "", "maybe"])
def test_first_question_without_a_choice_shows_the_error_summary(
    client: TestClient, value: str | None
) -> None:
    params = {"submitted": "yes"} | ({"benefit": value} if value is not None else {})
    response = _get(client, f"{BASE}/benefit", **params)
    assert response.status_code == 200
    page = parse(response.text)
    summary = page.find(class_="govuk-error-summary")
    assert summary is not None
    assert summary.find("a", href="#benefit").get_text(strip=True) == (  # type: ignore[union-attr]
        "Select yes, no or I'm not sure"
    )
    assert page.find("input", id="benefit") is not None  # the summary link's target
    message = page.find(class_="govuk-error-message")
    assert message is not None and "Select yes, no or I'm not sure" in message.get_text()
    assert page.title is not None and page.title.get_text().startswith("Error:")


@pytest.mark.parametrize("value", ["yes", "no", "not-sure"])
def test_answering_the_first_question_goes_to_the_second(client: TestClient, value: str) -> None:
    response = _get(client, f"{BASE}/benefit", benefit=value, submitted="yes")
    assert response.status_code == 303
    assert response.headers["location"] == f"{BASE}/hours?benefit={value}"


def test_second_question_needs_the_first_answer(client: TestClient) -> None:
    for params in ({}, {"benefit": "perhaps"}, {"hours": "under-16"}):
        response = _get(client, f"{BASE}/hours", **params)
        assert response.status_code == 303
        assert response.headers["location"].startswith(f"{BASE}/benefit")
    kept = _get(client, f"{BASE}/hours", hours="under-16")
    assert kept.headers["location"] == f"{BASE}/benefit?hours=under-16"


def test_second_question_carries_the_first_answer_and_links_back_to_it(
    client: TestClient,
) -> None:
    response = _get(client, f"{BASE}/hours", benefit="yes")
    assert response.status_code == 200
    assert heading(response.text) == "How many hours a week will the paid work be?"
    assert _hidden(response.text) == {"benefit": "yes", "submitted": "yes"}
    assert _back_link(response.text) == f"{BASE}/benefit?benefit=yes"


def test_going_back_keeps_the_choice_made(client: TestClient) -> None:
    response = _get(client, f"{BASE}/benefit", benefit="not-sure", hours="16-or-more")
    assert response.status_code == 200
    assert _checked(response.text, "benefit") == "not-sure"
    assert _hidden(response.text) == {"hours": "16-or-more", "submitted": "yes"}


def test_second_question_error_keeps_the_first_answer(client: TestClient) -> None:
    response = _get(client, f"{BASE}/hours", benefit="no", hours="lots", submitted="yes")
    assert response.status_code == 200
    summary = parse(response.text).find(class_="govuk-error-summary")
    assert summary is not None
    assert "Select how many hours a week the work will be" in summary.get_text()
    assert summary.find("a", href="#hours") is not None
    assert _hidden(response.text) == {"benefit": "no", "submitted": "yes"}


@pytest.mark.parametrize("value", ["16-or-more", "under-16", "not-sure"])
def test_answering_the_second_question_goes_to_check_your_answers(
    client: TestClient, value: str
) -> None:
    response = _get(client, f"{BASE}/hours", benefit="yes", hours=value, submitted="yes")
    assert response.status_code == 303
    assert response.headers["location"] == (f"{BASE}/check-your-answers?benefit=yes&hours={value}")


def test_check_your_answers_lists_both_answers_with_change_links(client: TestClient) -> None:
    response = _get(client, f"{BASE}/check-your-answers", benefit="not-sure", hours="under-16")
    assert response.status_code == 200
    assert heading(response.text) == "Check your answers"
    rows = parse(response.text).find_all(class_="govuk-summary-list__row")
    values = [row.select_one(".govuk-summary-list__value").get_text(strip=True) for row in rows]  # type: ignore[union-attr]
    assert values == ["I'm not sure", "Under 16 hours a week"]
    changes = [row.select_one("a")["href"] for row in rows]  # type: ignore[index]
    assert changes == [
        f"{BASE}/benefit?benefit=not-sure&hours=under-16&change=yes",
        f"{BASE}/hours?benefit=not-sure&hours=under-16&change=yes",
    ]
    assert "Change whether you get a benefit because of your health" in text(response.text)
    assert _back_link(response.text) == f"{BASE}/hours?benefit=not-sure&hours=under-16"
    button = parse(response.text).find("a", class_="govuk-button")
    assert button is not None
    assert button["href"] == f"{BASE}/result?benefit=not-sure&hours=under-16"


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({}, f"{BASE}/benefit"),
        ({"hours": "under-16"}, f"{BASE}/benefit?hours=under-16"),
        ({"benefit": "yes"}, f"{BASE}/hours?benefit=yes"),
        ({"benefit": "yes", "hours": "forty"}, f"{BASE}/hours?benefit=yes"),
    ],
)
def test_check_your_answers_and_result_send_you_to_a_missing_answer(
    client: TestClient, params: dict[str, str], expected: str
) -> None:
    for page in ("check-your-answers", "result"):
        response = _get(client, f"{BASE}/{page}", **params)
        assert response.status_code == 303
        assert response.headers["location"] == expected


def test_changing_an_answer_returns_to_check_your_answers(client: TestClient) -> None:
    page = _get(client, f"{BASE}/benefit", benefit="yes", hours="under-16", change="yes")
    assert _checked(page.text, "benefit") == "yes"
    assert _hidden(page.text) == {"hours": "under-16", "change": "yes", "submitted": "yes"}
    assert _back_link(page.text) == f"{BASE}/check-your-answers?benefit=yes&hours=under-16"

    response = _get(
        client, f"{BASE}/benefit", benefit="no", hours="under-16", change="yes", submitted="yes"
    )
    assert response.status_code == 303
    assert response.headers["location"] == f"{BASE}/check-your-answers?benefit=no&hours=under-16"

    error = _get(client, f"{BASE}/hours", benefit="no", change="yes", submitted="yes")
    assert parse(error.text).find(class_="govuk-error-summary") is not None
    assert _hidden(error.text) == {"benefit": "no", "change": "yes", "submitted": "yes"}


@pytest.mark.parametrize(
    ("benefit", "hours", "outcome"),
    [
        ("yes", "16-or-more", "likely"),
        ("yes", "under-16", "permitted-work"),
        ("yes", "not-sure", "ask-adviser"),
        ("not-sure", "16-or-more", "ask-adviser"),
        ("not-sure", "under-16", "permitted-work"),
        ("not-sure", "not-sure", "ask-adviser"),
        ("no", "16-or-more", "unlikely"),
        ("no", "under-16", "unlikely"),
        ("no", "not-sure", "unlikely"),
    ],
)
def test_result_for_every_branch(
    client: TestClient, benefit: str, hours: str, outcome: str
) -> None:
    response = _get(client, f"{BASE}/result", benefit=benefit, hours=hours)
    assert response.status_code == 200
    assert heading(response.text) == RESULT_HEADINGS[outcome]
    body = text(response.text)
    assert "What you can do next" in body
    assert "Your adviser can check what applies to you now" in body
    assert _back_link(response.text) == (
        f"{BASE}/check-your-answers?benefit={benefit}&hours={hours}"
    )
    links = {str(a["href"]) for a in parse(response.text).find_all("a")}
    assert f"{BASE}/benefit" in links  # start again


def test_result_words_for_each_outcome(client: TestClient) -> None:
    likely = text(_get(client, f"{BASE}/result", benefit="yes", hours="16-or-more").text)
    assert "£40 a week" in likely and "tell your adviser about the job" in likely
    permitted = _get(client, f"{BASE}/result", benefit="yes", hours="under-16").text
    assert "keep your benefit" in text(permitted)
    assert parse(permitted).find("a", href="/explainers/permitted-work") is not None
    unlikely = _get(client, f"{BASE}/result", benefit="no", hours="16-or-more").text
    assert parse(unlikely).find("a", href="/explainers/tax-credits") is not None
    unsure = text(_get(client, f"{BASE}/result", benefit="not-sure", hours="not-sure").text)
    assert "we cannot say yet. That is fine." in unsure


def test_walking_the_whole_checker_by_submitting_forms(client: TestClient) -> None:
    page = client.get(f"{BASE}/benefit", headers=HTML)
    page = client.get(f"{BASE}/benefit", params={**_hidden(page.text), "benefit": "yes"})
    assert heading(page.text) == "How many hours a week will the paid work be?"
    page = client.get(f"{BASE}/hours", params={**_hidden(page.text), "hours": "16-or-more"})
    assert heading(page.text) == "Check your answers"
    result = parse(page.text).find("a", class_="govuk-button")
    assert result is not None
    page = client.get(str(result["href"]), headers=HTML)
    assert heading(page.text) == RESULT_HEADINGS["likely"]


def test_checker_in_welsh(client: TestClient) -> None:
    client.get("/language/cy?next=/")
    question = _get(client, f"{BASE}/benefit", submitted="yes")
    assert parse(question.text).html["lang"] == "cy"  # type: ignore[index]
    assert heading(question.text) == "Ydych chi'n cael budd-dal oherwydd eich iechyd?"
    assert "Mae problem" in text(question.text)
    result = _get(client, f"{BASE}/result", benefit="yes", hours="under-16")
    assert heading(result.text) == "Efallai y byddai Gwaith a Ganiateir yn addas i chi"
