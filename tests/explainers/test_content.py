"""The content itself: both languages match, links resolve, it reads easily and kindly."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import textstat

from app.core.templating import TEMPLATES_DIR
from app.explainers import content, services
from app.explainers.content import GROUPS, ContentError, split_front_matter
from app.explainers.rendering import text_blocks
from app.explainers.tone import refused_phrases_in
from tests.readability import prose

ENGLISH = content.explainers("en")
WELSH = content.explainers("cy")
ISSUE_TOPICS = {
    "what-is-pathways",
    "work-focused-interview",
    "return-to-work-credit",
    "permitted-work",
    "tax-credits",
    "housing-and-council-tax",
    "first-pay-gap",
    "if-work-does-not-work-out",
    "in-work-support",
    "telling-an-employer",
    "condition-management-programme",
    "job-brokers",
    "disability-employment-advisers",
    "volunteering",
    "self-employment",
    "talking-therapies",
}


def _all_content() -> list[tuple[str, str, str]]:
    """(name, language, every word a reader sees) for each explainer and story."""
    found = []
    for language in ("en", "cy"):
        for item in content.explainers(language).values():
            words = "\n".join([item.title, item.summary, item.body, *item.sources])
            found.append((f"explainer {item.slug}", language, words))
        for story in content.stories(language).values():
            words = "\n".join([story.title, story.summary, story.body])
            found.append((f"story {story.slug}", language, words))
    return found


def test_every_topic_in_the_issue_has_an_explainer() -> None:
    assert set(ENGLISH) >= ISSUE_TOPICS


def test_every_explainer_exists_in_english_and_welsh_with_the_same_shape() -> None:
    assert set(ENGLISH) == set(WELSH)
    for slug, english in ENGLISH.items():
        welsh = WELSH[slug]
        assert (welsh.group, welsh.order, welsh.related) == (
            english.group,
            english.order,
            english.related,
        ), slug
        assert welsh.last_reviewed == english.last_reviewed, slug
        assert len(welsh.sources) == len(english.sources), slug
        assert welsh.title != english.title, f"{slug} looks untranslated"


def test_every_story_exists_in_english_and_welsh() -> None:
    assert set(content.stories("en")) == set(content.stories("cy"))
    assert len(content.stories("en")) >= 3


def test_every_related_slug_is_a_real_explainer_and_not_the_page_itself() -> None:
    for slug, item in ENGLISH.items():
        assert item.related, f"{slug} links to nothing"
        for related in item.related:
            assert related in ENGLISH, f"{slug} links to unknown '{related}'"
            assert related != slug


def test_every_explainer_has_a_source_a_review_date_and_a_known_group() -> None:
    for language in ("en", "cy"):
        for item in content.explainers(language).values():
            assert item.sources, item.slug
            assert all(source.strip() for source in item.sources)
            assert item.group in GROUPS
            assert item.last_reviewed.year >= 2026


def test_every_group_on_the_contents_page_has_explainers() -> None:
    assert [group for group, _ in content.grouped("en")] == list(GROUPS)
    assert [group for group, _ in content.grouped("cy")] == list(GROUPS)


ENGLISH_TEXTS = [
    pytest.param(item.title, item.summary, item.body, id=f"explainer-{slug}")
    for slug, item in ENGLISH.items()
] + [
    pytest.param(story.title, story.summary, story.body, id=f"story-{slug}")
    for slug, story in content.stories("en").items()
]


@pytest.mark.parametrize(("title", "summary", "body"), ENGLISH_TEXTS)
def test_english_reads_easily(title: str, summary: str, body: str) -> None:
    text = prose([title, summary, *text_blocks(body)])
    assert "#" not in text and "**" not in text, "Markdown was not stripped"
    assert textstat.flesch_reading_ease(text) >= 60
    assert textstat.avg_sentence_length(text) < 20


def test_the_readability_gate_catches_hard_text() -> None:
    hard = prose(
        [
            "Notwithstanding the aforementioned considerations, eligibility determinations "
            "regarding supplementary remuneration necessitate comprehensive documentation "
            "substantiating contractual employment arrangements exceeding the prescribed "
            "threshold of weekly hours."
        ]
    )
    assert textstat.flesch_reading_ease(hard) < 60
    assert textstat.avg_sentence_length(hard) >= 20


@pytest.mark.parametrize(("name", "language", "words"), _all_content())
def test_no_threat_or_pressure_words_in_content(name: str, language: str, words: str) -> None:
    assert refused_phrases_in(words) == [], f"{name} ({language})"


def test_no_threat_or_pressure_words_in_services() -> None:
    for service in services.all_services():
        for language in ("en", "cy"):
            words = " ".join(
                [service.name(language), service.hours_in(language), service.description(language)]
            )
            assert refused_phrases_in(words) == [], service.slug


TEMPLATES = sorted(TEMPLATES_DIR.rglob("*.html"))
_JINJA_COMMENT = re.compile(r"\{#.*?#\}", re.DOTALL)


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda p: str(p.relative_to(TEMPLATES_DIR)))
def test_no_threat_or_pressure_words_in_templates(path: Path) -> None:
    # Jinja comments are notes for developers; everything else may reach a client.
    words = _JINJA_COMMENT.sub(" ", path.read_text(encoding="utf-8"))
    assert refused_phrases_in(words) == []


def test_services_cover_the_issue_categories_and_real_national_lines() -> None:
    every = services.all_services()
    assert {service.category for service in every} == set(services.CATEGORIES)
    national = {service.slug for service in every if service.national}
    assert {"samaritans", "mind-infoline", "nhs-111-mental-health"} <= national
    for service in every:
        assert service.tel.isdigit()
        assert service.national or "(example)" in service.name("en"), service.slug


def test_front_matter_must_open_and_close() -> None:
    meta, body = split_front_matter("---\ntitle: Hello\n---\n\nBody text\n")
    assert meta == {"title": "Hello"}
    assert body == "Body text\n"
    for broken in ("title: Hello\n", "---\ntitle: Hello\n", "---\n- a list\n---\nBody"):
        with pytest.raises(ContentError):
            split_front_matter(broken)


def test_a_file_without_a_group_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "broken.md"
    path.write_text("---\ntitle: T\nsummary: S\nlast_reviewed: 2026-11-23\n---\nBody\n")
    with pytest.raises(ContentError, match="group"):
        content.parse_explainer(path, "en")
