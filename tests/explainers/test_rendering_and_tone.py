"""Markdown is rendered safely with GOV.UK classes; the refused phrases are found."""

from __future__ import annotations

from app.explainers.rendering import plain_text, render_markdown, text_blocks
from app.explainers.tone import REFUSED_PHRASES, refused_phrases_in
from tests.html import parse


def test_raw_html_in_markdown_is_escaped_never_rendered() -> None:
    crafted = (
        "<script>alert('x')</script>\n\n"
        'Hello <img src=x onerror="alert(1)"> there\n\n'
        '<div onclick="alert(2)">block</div>\n\n'
        "<!-- a comment -->\n"
    )
    html = str(render_markdown(crafted))
    page = parse(html)
    assert page.find("script") is None
    assert page.find("img") is None
    assert page.find("div") is None
    assert "&lt;script&gt;alert('x')&lt;/script&gt;" in html
    assert "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;" in html
    assert "&lt;!-- a comment --&gt;" in html


def test_dangerous_links_are_not_made_into_links() -> None:
    html = str(render_markdown("[one](javascript:alert(1)) [two](data:text/html,hi)"))
    assert parse(html).find("a") is None


def test_markdown_gets_gov_uk_classes_and_headings_start_at_h2() -> None:
    html = render_markdown(
        "# Big\n\n## Section\n\n### Part\n\nText with [a link](/about).\n\n- one\n- two\n\n1. first\n"
    )
    page = parse(str(html))
    assert page.find("h1") is None
    assert [h["class"] for h in page.find_all("h2")] == [["govuk-heading-m"]] * 2
    assert page.find("h3")["class"] == ["govuk-heading-s"]  # type: ignore[index]
    assert page.find("p")["class"] == ["govuk-body"]  # type: ignore[index]
    assert page.find("a")["class"] == ["govuk-link"]  # type: ignore[index]
    assert page.find("ul")["class"] == ["govuk-list", "govuk-list--bullet"]  # type: ignore[index]
    assert page.find("ol")["class"] == ["govuk-list", "govuk-list--number"]  # type: ignore[index]


def test_plain_text_strips_markup_block_by_block() -> None:
    source = "## What it is\n\nIt is **£40** a week, [see more](/x).\n\n- One\n- Two\n"
    assert text_blocks(source) == ["What it is", "It is £40 a week, see more.", "One", "Two"]
    assert plain_text(source) == "What it is\nIt is £40 a week, see more.\nOne\nTwo"


def test_the_refused_list_holds_the_phrases_the_issue_names() -> None:
    named = {
        "sanction",
        "must attend",
        "failure to",
        "fail to",
        "you must",
        "penalty",
        "compulsory",
        "deadline",
        "urgent",
        "immediately",
        "lose your benefit",
    }
    assert named <= set(REFUSED_PHRASES)


def test_refused_phrases_are_found_whatever_the_case_and_spacing() -> None:
    text = "You MUST attend.\nSanctions may apply if you fail  to reply. Reply urgently."
    assert refused_phrases_in(text) == ["sanction", "must attend", "fail to", "you must", "urgent"]
    assert refused_phrases_in("Dyma'r dyddiad cau.") == ["dyddiad cau"]


def test_kind_words_are_not_refused() -> None:
    kind = (
        "Get urgent help, any time of day or night. Ask your GP for an urgent appointment. "
        "You can change the time. There is no rush. Failing that, your adviser can help."
    )
    assert refused_phrases_in(kind) == []
